#pragma once
// The check behind architecture_test.cpp: the table of layers in ARCHITECTURE.md ("What may
// depend on what") against every #include of src/. It takes texts, not a folder, so that a test
// can feed it a forged include and see it fail.

#include <string>
#include <string_view>
#include <vector>

namespace stackshift::testing {

struct SourceFile {
    std::string path;  // from the project root: "src/apply/board.cpp"
    std::string text;
};

// Every problem, one a line, in a stable order: an include against the arrows, or of a library
// outside the files the table names (each with file:line); a cycle of includes between the files
// of a layer (a .cpp and its .hpp count as one) unless the table of known cycles lists exactly
// it, and a listed one that is gone; a file in a folder the table does not list; a row that
// names a layer listed after it (the table goes from the bottom up, so it has no cycle).
std::vector<std::string> check_architecture(std::string_view architecture_md, const std::vector<SourceFile>& sources);

// The .hpp, .cpp and .inc files under root/src, sorted by path.
std::vector<SourceFile> read_sources(const std::string& root);

}  // namespace stackshift::testing
