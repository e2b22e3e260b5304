#include "zonegen/fleet_summary.hpp"

#include <map>
#include <nlohmann/json.hpp>

namespace zonegen {

FleetDomain fleet_domain(const Name& zone, const VerifyResult& r) {
    return {zone, r.in_sync(), r.servers};
}

namespace {

void add(FleetServer& f, const Name& zone, const ServerState& s) {
    if (s.serves)
        ++f.served;
    else
        f.missing.push_back(zone);
    if (s.lagging) f.lagging.push_back(zone);
    if (s.lame) f.lame.push_back(zone);
}

// "missing": N, and when N is not 0 "missing_zones": the first `max` of them.
void add_problem(nlohmann::json& j, const char* key, const std::vector<Name>& zones,
                 std::size_t max) {
    j[key] = zones.size();
    if (zones.empty()) return;
    auto names = nlohmann::json::array();
    for (std::size_t i = 0; i < zones.size() && i < max; ++i) names.push_back(zones[i].to_string());
    j[std::string(key) + "_zones"] = names;
}

}  // namespace

FleetSummary fleet_summary(const std::vector<FleetDomain>& domains) {
    FleetSummary out;
    std::map<Name, FleetServer> by_name;
    for (const auto& d : domains) {
        if (d.in_sync) ++out.in_sync;
        for (const auto& s : d.servers) {
            FleetServer& f = by_name[s.name];
            f.name = s.name;
            add(f, d.zone, s);
        }
    }
    for (auto& [name, f] : by_name) out.servers.push_back(std::move(f));
    return out;
}

nlohmann::json fleet_summary_json(const FleetSummary& s, std::size_t max_zones) {
    auto servers = nlohmann::json::array();
    for (const auto& f : s.servers) {
        nlohmann::json j = {{"name", f.name.to_string()}, {"served", f.served}};
        add_problem(j, "missing", f.missing, max_zones);
        add_problem(j, "lagging", f.lagging, max_zones);
        add_problem(j, "lame", f.lame, max_zones);
        servers.push_back(j);
    }
    return {{"in_sync", s.in_sync}, {"servers", servers}};
}

}  // namespace zonegen
