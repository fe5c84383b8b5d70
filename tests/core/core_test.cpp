// The core helpers: diagnostics, "did you mean", atomic writes, durations.

#include <filesystem>

#include "core/diagnostic.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/fingerprint.hpp"
#include "core/text.hpp"
#include "test_support.hpp"

namespace stackshift {
namespace {

TEST(Diagnostic, NamesFileLineAndColumn) {
    EXPECT_EQ((Diagnostic{"t.yaml", {3, 7}, "bad"}).to_string(), "t.yaml:3:7: bad");
    EXPECT_EQ((Diagnostic{"t.yaml", {3, 0}, "bad"}).to_string(), "t.yaml:3: bad");
    EXPECT_EQ((Diagnostic{"t.yaml", {}, "bad"}).to_string(), "t.yaml: bad");
    EXPECT_EQ((Diagnostic{"", {}, "bad"}).to_string(), "bad");
    EXPECT_EQ(to_string(Diagnostics{{"a", {1, 1}, "x"}, {"b", {2, 2}, "y"}}), "a:1:1: x\nb:2:2: y");
}

TEST(Text, EditDistance) {
    EXPECT_EQ(edit_distance("", ""), 0u);
    EXPECT_EQ(edit_distance("GetAtt", "GetAttr"), 1u);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Text, DidYouMeanOnlyForLikelyTypos) {
    std::vector<std::string> names{"diff", "plan", "apply"};
    EXPECT_EQ(did_you_mean("dif", names), " (did you mean 'diff'?)");
    EXPECT_EQ(did_you_mean("aply", names), " (did you mean 'apply'?)");
    EXPECT_EQ(did_you_mean("zzzz", names), "");
    EXPECT_EQ(did_you_mean("x", names), "");
}

TEST(Text, QuoteShortensLongValues) {
    EXPECT_EQ(quote("abc"), "'abc'");
    EXPECT_EQ(quote(std::string(100, 'x')), "'" + std::string(80, 'x') + "...'");
}

TEST(Text, AppendUtf8EncodesEveryLength) {
    std::string out;
    for (std::uint32_t code : {0x41u, 0xE9u, 0x20ACu, 0x1F600u}) append_utf8(out, code);
    EXPECT_EQ(out, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    EXPECT_EQ(first_invalid_utf8(out), std::nullopt);
}

TEST(FileIo, AtomicWriteLeavesNoTemporaryFile) {
    testing::TempDir dir;
    std::string path = dir.file("out.json");
    write_file_atomic(path, "{}\n");
    EXPECT_EQ(testing::read_text(path), "{}\n");
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    auto back = read_file(path);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, "{}\n");
}

TEST(FileIo, UnwritablePlaceIsAnInputError) {
    EXPECT_THROW(write_file_atomic("/nonexistent/dir/out.json", "x"), InputError);
}

TEST(FileIo, DirectoryIsNotAFile) {
    testing::TempDir dir;
    auto r = read_file(dir.path());
    ASSERT_FALSE(r);
    EXPECT_EQ(to_string(r.diagnostics()), dir.path() + ": is a directory, expected a file");
}

TEST(Duration, HoursMinutesSeconds) {
    EXPECT_EQ(format_duration(3723), "1h2m3s");
    EXPECT_EQ(format_duration(245), "4m5s");
    EXPECT_EQ(format_duration(3600), "1h0m0s");
    EXPECT_EQ(format_duration(7), "7s");
    EXPECT_EQ(format_duration(-5), "0s");
}

TEST(Fingerprint, IsFnv1a64InHex) {
    EXPECT_EQ(fingerprint(""), "cbf29ce484222325");
    EXPECT_EQ(fingerprint("a"), "af63dc4c8601ec8c");
    EXPECT_NE(fingerprint("{\"a\":1}"), fingerprint("{\"a\":2}"));
}

}  // namespace
}  // namespace stackshift
