#pragma once
// The command-line front end: one table of subcommands, and the one place where errors
// become "stackshift: error: ..." and an exit code.

namespace stackshift::cli {

int run(int argc, char** argv);

}  // namespace stackshift::cli
