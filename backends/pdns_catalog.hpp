// The catalog zone (RFC 9432) our PowerDNS primary produces (profile key catalog): a
// Producer zone whose member list PowerDNS builds itself from each Master zone's `catalog`
// field, transferred to and NOTIFYed at our secondaries, which consume it and so serve every
// member with no per-zone configuration. One plan step ("catalog NAME") creates it or brings
// its transfer settings to the profile's; a zone's membership is part of its "zone" step.
// Private to backends/pdns_target.cpp.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "backends/pdns.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/target.hpp"

namespace zonegen {

// The values of ALSO-NOTIFY ("ADDR[:PORT]" of each secondary) or ALLOW-AXFR-FROM (their
// addresses) that send a zone to our secondaries: a member zone's and the catalog's alike.
std::vector<std::string> secondary_metadata(const Profile& profile, const std::string& kind);

// The catalog as the profile wants it: {"kind": "Producer", "metadata": {KIND: [values]}}.
// With catalog.tsig_key, transfers need that key (TSIG-ALLOW-AXFR) and no address list.
nlohmann::json catalog_wanted(const Profile& profile);

// The catalog on the primary as the step compares it (null when absent), read with two
// requests; none once this process has found or made it as wanted.
nlohmann::json catalog_state(PdnsClient& client, const Profile& profile);

// The step that makes the catalog what the profile wants; nullopt when it is so. A zone of
// that name that is not a Producer zone is refused (UnsafeError): it is never converted.
std::optional<PlanStep> catalog_step(PdnsClient& client, const Profile& profile,
                                     const nlohmann::json& before);

// Runs the step: the Producer zone created (one made meanwhile by another run is taken as
// it is), its metadata set.
void run_catalog_step(PdnsClient& client, const Profile& profile, const PlanStep& step);

// A plan file's catalog step: only the profile's own catalog (InputError otherwise).
void check_catalog_step(const Profile& profile, const PlanStep& step);

}  // namespace zonegen
