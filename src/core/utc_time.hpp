#pragma once
// Times as files and messages write them: ISO 8601 in UTC to the second ("2026-12-07T09:12:44Z"),
// the form AWS reports and a reviewer reads. Seconds since the Unix epoch inside.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stackshift {

std::string format_iso_utc(std::int64_t seconds);

// "YYYY-MM-DDTHH:MM:SSZ" exactly (what format_iso_utc writes); nullopt for anything else.
std::optional<std::int64_t> parse_iso_utc(std::string_view text);

}  // namespace stackshift
