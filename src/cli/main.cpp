#include "cli/app.hpp"
#include "cli/memory.hpp"

int main(int argc, char** argv) {
    stackshift::cli::prefer_huge_pages();
    return stackshift::cli::run(argc, argv);
}
