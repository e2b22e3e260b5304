// Patterns B and C with import_from: the zone the customer serves today becomes its new
// zone, with our changes applied — web records (apex, www) to the managed server, the MX to
// the managed server's mail host when mail is a service (an MX elsewhere only with
// replace_external_mx), the server merged into the existing SPF, records at the old hosts'
// addresses moved, for B our secondary added to the NS rrset at its TTL; the SOA kept with
// its serial increased (RFC 1982). Everything else is kept as it is. Pure functions; the
// rendering (JSON, the instructions' words) is apart from the computing.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/generate.hpp"
#include "zonegen/old_hosts.hpp"
#include "zonegen/wording.hpp"

namespace zonegen {

// One rrset of the customer's zone changed. Applying every change to the old zone (replace:
// the rrset becomes `after`; delete: the rrset goes; add: the rrset is made) gives the new
// zone exactly.
struct CustomerChange {
    std::string action;  // add | replace | delete
    Name owner;
    RRType type = 0;
    std::uint32_t ttl = 0;                   // the rrset's after the change (before it, for delete)
    std::uint32_t ttl_before = 0;            // the rrset's before the change (0 for add)
    std::vector<std::string> before, after;  // wire rdata, sorted
    Reason reason;
};

struct CustomerZone {
    Zone zone;  // the customer's complete new zone
    std::vector<CustomerChange> changes;
    std::uint32_t serial_before = 0, serial_after = 0;
    std::vector<Finding> findings;  // mx-external, and the spec's warnings
};

// RFC 1982 section 3.2: true when serial `a` is greater than `b` (undefined pairs, exactly
// 2^31 apart, are not).
bool serial_greater(std::uint32_t a, std::uint32_t b);
// The serial after `old`: `wanted` (--serial) when greater, else refused (InputError);
// without it the date-based `dated` when greater, else old + 1 (wrapping). Never `old`.
std::uint32_t next_serial(std::uint32_t old, std::uint32_t dated,
                          std::optional<std::uint32_t> wanted);

// The customer's new zone (patterns B and C) from the zone it serves today.
CustomerZone build_customer_zone(const Spec& spec, const Profile& profile, const Zone& old,
                                 const GenerateOptions& opts);

// The rrset changes that turn `before` into `after`, the SOA serial included, deletions
// first; each gets the reason `why` gives for its key.
std::vector<CustomerChange> zone_changes(const Zone& before, const Zone& after,
                                         const std::map<RRKey, Reason>& why);
// `old` with `changes` applied, rrset by rrset.
Zone apply_customer_changes(const Zone& old, const std::vector<CustomerChange>& changes);

// [{action, owner, type, ttl, before, after, reason}], rdata in presentation form.
nlohmann::json customer_changes_json(const std::vector<CustomerChange>& changes);
// The changes in `w`'s words (changes), numbered, for the instructions.
std::string customer_changes_text(const std::vector<CustomerChange>& changes, const Name& zone,
                                  const Wording& w);
// Pattern B and C without import_from: what to replace and delete in the customer's zone
// before adding the generated records, one line each, in `w`'s words (directions.*).
std::vector<std::string> fragment_directions(const Spec& spec, const Profile& profile,
                                             const Wording& w);

}  // namespace zonegen
