// Presentation: master files, PowerDNS request bodies and findings. Data first, rendering
// apart; nothing here decides anything.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "zonegen/finding.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

struct ZoneTextOptions {
    std::vector<std::string> header;   // comment lines (without "; "), printed first
    std::uint32_t default_ttl = 3600;  // the $TTL line
    // Rrsets printed without a TTL of their own ($TTL applies): B's NS line, which joins the
    // customer's NS rrset at its TTL.
    std::vector<RRKey> no_ttl;
};

// A master file: $ORIGIN, $TTL, then every record with an explicit TTL; the apex first
// (SOA, NS, then by type), then names in canonical order.
std::string zone_text(const Zone& zone, const ZoneTextOptions& opts);

// The text `generate` prints for a spec (with its explanatory comments).
std::string generated_text(const Spec& spec, const Profile& profile, const Desired& desired);

// The records a B or C customer sets (the instructions): the zone under `header` (one
// comment line, in the customer's language), B's NS line without a TTL of its own.
std::string records_text(const Spec& spec, const Profile& profile, const Desired& desired,
                         const std::string& header);

// PowerDNS zone-creation body: A a Master zone with rrsets, B a Slave zone with masters;
// null for C.
nlohmann::json pdns_create_body(const Spec& spec, const Desired& desired);
// The rrsets of a zone in PowerDNS's form (name, type, ttl, records[{content, disabled}]).
nlohmann::json pdns_rrsets(const Zone& zone);

nlohmann::json finding_json(const Finding& f);
nlohmann::json findings_json(const std::vector<Finding>& fs);
// `file:line: severity: [owner] message (check)`
std::string finding_text(const Finding& f);

}  // namespace zonegen
