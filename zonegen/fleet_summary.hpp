// fleet_summary: what `batch --action verify` says of our name servers across its domains,
// from each domain's verify result. Pure functions: no queries, no output.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "zonegen/verify.hpp"

namespace zonegen {

// What the summary keeps of one domain's verify (not its evidence: a batch holds many).
struct FleetDomain {
    Name zone;
    bool in_sync = false;
    std::vector<ServerState> servers;
};
FleetDomain fleet_domain(const Name& zone, const VerifyResult& r);

// One of our servers across the domains: the zones it serves, and those where it is a problem
// (in the domains' order).
struct FleetServer {
    Name name;
    std::size_t served = 0;
    std::vector<Name> missing;  // it does not serve the zone (no authoritative answer)
    std::vector<Name> lagging;  // it serves a serial behind the highest of ours
    std::vector<Name> lame;     // the parent delegates to it, and it does not serve the zone
};

struct FleetSummary {
    std::size_t in_sync = 0;           // domains whose servers of ours all serve one serial
    std::vector<FleetServer> servers;  // by name
};

FleetSummary fleet_summary(const std::vector<FleetDomain>& domains);

// {"in_sync", "servers": [{"name", "served", "missing", "lagging", "lame"}]}, each problem that
// is not 0 with its zones beside it ("missing_zones", ...), the first `max_zones` of them.
nlohmann::json fleet_summary_json(const FleetSummary& s, std::size_t max_zones = 100);

}  // namespace zonegen
