#pragma once
// Small text helpers shared by every layer.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

namespace stackshift {

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo.
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string> candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

// Items joined with a separator.
std::string join(std::span<const std::string> items, std::string_view separator);

// Quoted for a message: 'value', shortened when long.
std::string quote(std::string_view value);

bool starts_with(std::string_view text, std::string_view prefix);

// Where the first byte that is not valid UTF-8 stands (line and column counted in characters
// from 1), or nullopt when the whole text is valid UTF-8.
std::optional<Position> first_invalid_utf8(std::string_view text);

// Appends a code point (at most 0x10FFFF, not a surrogate) encoded as UTF-8.
void append_utf8(std::string& out, std::uint32_t code);

}  // namespace stackshift
