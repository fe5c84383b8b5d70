// SHA-256 against the FIPS 180-4 example vectors (NIST's "SHA256.pdf" and the CAVP short
// messages), fed whole and in pieces.

#include <gtest/gtest.h>

#include <string>

#include "core/sha256.hpp"

namespace stackshift {
namespace {

TEST(Sha256, OneBlockMessageAbc) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, EmptyMessage) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, TwoBlockMessageOf448Bits) {
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, MillionLettersAFedInPieces) {
    Sha256 hash;
    std::string piece(1000, 'a');
    for (int i = 0; i < 1000; ++i) hash.update(piece);
    EXPECT_EQ(to_hex(hash.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PiecesOfAnyLengthGiveTheSameDigestAsTheWhole) {
    std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq and then some more bytes past a block";
    for (std::size_t cut = 0; cut <= text.size(); cut += 7) {
        Sha256 hash;
        hash.update(std::string_view(text).substr(0, cut)).update(std::string_view(text).substr(cut));
        EXPECT_EQ(to_hex(hash.finish()), sha256_hex(text)) << "cut at " << cut;
    }
}

TEST(Sha256, SpentHashRefusesMoreInput) {
    Sha256 hash;
    hash.update("abc");
    (void)hash.finish();
    EXPECT_THROW(hash.update("d"), std::logic_error);
    EXPECT_THROW((void)hash.finish(), std::logic_error);
}

TEST(Sha256, HexOfBytes) {
    const std::uint8_t bytes[] = {0x00, 0x0f, 0xa0, 0xff};
    EXPECT_EQ(to_hex(bytes, 4), "000fa0ff");
}

}  // namespace
}  // namespace stackshift

// ---- ISO times (core/utc_time.hpp) ----------------------------------------------------------

#include "core/utc_time.hpp"

namespace stackshift {
namespace {

TEST(UtcTime, WritesAndReadsTheSecondInUtc) {
    EXPECT_EQ(format_iso_utc(1796634764), "2026-12-07T09:12:44Z");
    EXPECT_EQ(parse_iso_utc("2026-12-07T09:12:44Z"), 1796634764);
    EXPECT_EQ(parse_iso_utc("1970-01-01T00:00:00Z"), 0);
}

TEST(UtcTime, RefusesAnyOtherShapeOrAnImpossibleDate) {
    EXPECT_FALSE(parse_iso_utc("2026-12-07 09:12:44Z"));
    EXPECT_FALSE(parse_iso_utc("2026-12-07T09:12:44"));
    EXPECT_FALSE(parse_iso_utc("2026-12-07T09:12:44+00:00"));
    EXPECT_FALSE(parse_iso_utc("2026-02-30T00:00:00Z"));
    EXPECT_FALSE(parse_iso_utc("2026-13-01T00:00:00Z"));
    EXPECT_FALSE(parse_iso_utc(""));
}

}  // namespace
}  // namespace stackshift
