// Templates: a spec and a profile become the desired zone (pattern A) or the records the
// customer adds to its own zone (patterns B and C).
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/calendar.hpp"
#include "zonegen/finding.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

struct GenerateOptions {
    std::optional<std::uint32_t> serial;  // --serial N
    std::time_t now = 0;                  // for the date-based serial (SOURCE_DATE_EPOCH)
};

struct Desired {
    Zone zone;              // A: the whole zone; B, C: the records for the customer's zone
    bool fragment = false;  // B and C
    std::uint32_t serial = 0;
    bool spf_merged = false;        // our addresses were merged into a v=spf1 of records:
    std::vector<Finding> findings;  // warnings about the spec and the zone
};

// The time generation runs "at": SOURCE_DATE_EPOCH when set (reproducible output), else now.
std::time_t generation_time();
// YYYYMMDD01 for the date of `t` in `time_zone` (the profile's; an IANA name); without
// one, in the time zone in use (the loaded profile's, Asia/Tokyo by default).
std::uint32_t date_serial(std::time_t t, const std::string& time_zone);
inline std::uint32_t date_serial(std::time_t t) {
    return date_serial(t, time_zone_in_use());
}

// Builds the desired records. Refusals (CNAME beside other data, mixed TTLs...) come back
// as error findings; the caller validates and decides.
Desired build_desired(const Spec& spec, const Profile& profile, const GenerateOptions& opts);

// The SPF terms that authorise the server: "ip4:192.0.2.10 ip6:2001:db8::10".
std::string spf_server_terms(const HostAddrs& server);
// The space-separated terms of an SPF text.
std::vector<std::string> spf_terms(const std::string& spf);
// Merges `terms` into an existing SPF text right after "v=spf1", skipping those present.
std::string merge_spf(const std::string& spf, const std::string& terms);
// True for TXT wire rdata whose strings concatenated start with "v=spf1" (RFC 7208 4.5).
bool is_spf(const std::string& txt_wire);
// The strings of TXT wire rdata, concatenated.
std::string join_txt(const std::string& txt_wire);

}  // namespace zonegen
