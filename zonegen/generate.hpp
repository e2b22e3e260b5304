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
#include "zonegen/mail_policy.hpp"
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
    // The DMARC, CAA, MTA-STS, TLS-RPT, SRV and autoconfig rrsets in `zone` (mail_policy.hpp):
    // why each is there, and which give way to the customer's own.
    std::vector<PolicyRRset> policy;
    const PolicyRRset* policy_at(const RRKey& k) const;
};

// YYYYMMDD01 for the date of `t` in `time_zone` (the profile's; an IANA name); without
// one, in the time zone in use (the loaded profile's, Asia/Tokyo by default).
std::uint32_t date_serial(std::time_t t, const std::string& time_zone);
inline std::uint32_t date_serial(std::time_t t) {
    return date_serial(t, time_zone_in_use());
}

// Builds the desired records. Refusals (CNAME beside other data, mixed TTLs...) come back
// as error findings; the caller validates and decides.
Desired build_desired(const Spec& spec, const Profile& profile, const GenerateOptions& opts);

}  // namespace zonegen
