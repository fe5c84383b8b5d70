#include "core/file_io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace stackshift {

Result<std::string> read_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return fail(path, {}, "is a directory, expected a file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(path, {}, std::string("cannot read file: ") + std::strerror(errno));
    // Read in one go into a string of the right size: templates are read on every run.
    std::string content;
    auto size = std::filesystem::file_size(path, ec);
    if (!ec) {
        content.resize(static_cast<std::size_t>(size));
        in.read(content.data(), static_cast<std::streamsize>(size));
        content.resize(static_cast<std::size_t>(in.gcount()));
    }
    // Whatever is left (a file that grew, or one without a size such as a pipe).
    std::ostringstream rest;
    rest << in.rdbuf();
    if (in.bad()) return fail(path, {}, "cannot read file: read error");
    content += rest.str();
    return content;
}

void write_file_atomic(const std::string& path, std::string_view content) {
    std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) throw InputError(path + ": cannot write file: " + std::strerror(errno));
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            std::remove(temporary.c_str());
            throw InputError(path + ": cannot write file: write error");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::remove(temporary.c_str());
        throw InputError(path + ": cannot write file: " + ec.message());
    }
}

}  // namespace stackshift
