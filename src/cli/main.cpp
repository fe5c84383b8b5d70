#include "cli/app.hpp"

int main(int argc, char** argv) { return stackshift::cli::run(argc, argv); }
