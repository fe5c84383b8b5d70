#pragma once
// SHA-256 (FIPS 180-4): the content hash that pins a saved plan's templates and records the
// deployed templates a plan was made from. Incremental, so that a caller can hash what it
// streams (a request signature later) without holding it in one string.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace stackshift {

class Sha256 {
public:
    using Digest = std::array<std::uint8_t, 32>;

    Sha256();
    // Adds bytes to the message; may be called any number of times before finish.
    Sha256& update(std::string_view bytes);
    // Pads the message and returns its digest; the object is spent afterwards (update and
    // finish again throw std::logic_error).
    Digest finish();

private:
    void compress(const std::uint8_t* block);

    std::array<std::uint32_t, 8> m_state;
    std::array<std::uint8_t, 64> m_block{};
    std::size_t m_used = 0;       // bytes waiting in m_block
    std::uint64_t m_length = 0;   // message length in bytes
    bool m_finished = false;
};

// Lowercase hexadecimal of bytes (two digits a byte).
std::string to_hex(const std::uint8_t* bytes, std::size_t size);
std::string to_hex(const Sha256::Digest& digest);

// The SHA-256 of a text as 64 lowercase hex digits.
std::string sha256_hex(std::string_view text);

}  // namespace stackshift
