#include "backends/pdns_transfers.hpp"

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "backends/pdns.hpp"
#include "zonegen/address.hpp"
#include "zonegen/customer_networks.hpp"
#include "zonegen/errors.hpp"

namespace zonegen {
namespace {

// A PowerDNS list setting: entries separated by commas and spaces.
std::vector<std::string> entries(const std::map<std::string, std::string>& config,
                                 const std::string& name) {
    auto it = config.find(name);
    std::vector<std::string> out;
    std::string cur;
    for (char c : (it == config.end() ? "" : it->second) + ",") {
        if (c == ',' || c == ' ' || c == '\t') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    return out;
}

// Covered by an entry, and by no negated one ("!192.0.2.0/24").
bool allowed(const std::vector<std::string>& nets, const std::string& address) {
    bool in = false;
    for (const auto& n : nets) {
        bool negated = !n.empty() && n[0] == '!';
        auto c = parse_cidr(negated ? std::string_view(n).substr(1) : std::string_view(n));
        if (!c || !c->contains(address)) continue;
        if (negated) return false;
        in = true;
    }
    return in;
}

// An also-notify entry names the endpoint: the same address and port (53 when none).
bool notified(const std::vector<std::string>& list, const std::string& endpoint) {
    auto want = parse_endpoint(endpoint);
    if (!want) return false;
    for (const auto& e : list)
        if (auto have = parse_endpoint(e); have && have->address == want->address &&
                                           have->port.value_or(53) == want->port.value_or(53))
            return true;
    return false;
}

std::string missing_of(PdnsClient& client, const Profile& profile) {
    auto config = client.config();
    auto axfr = entries(config, "allow-axfr-ips");
    auto notify = entries(config, "also-notify");
    std::string missing;
    auto add = [&](const std::string& what) { missing += (missing.empty() ? "" : "; ") + what; };
    for (const auto& ns : profile.nameservers) {
        if (ns.primary) continue;
        for (const auto& list : {ns.ipv4, ns.ipv6})
            for (const auto& a : list)
                if (!allowed(axfr, a))
                    add("allow-axfr-ips does not cover " + a + " (" + ns.name.to_string() + ")");
        for (const auto& e : ns.endpoints())
            if (!notified(notify, e))
                add("also-notify does not list " + e + " (" + ns.name.to_string() + ")");
    }
    return missing;
}

}  // namespace

void require_server_transfer_settings(PdnsClient& client, const Profile& profile) {
    static std::mutex mu;
    static std::set<std::string> checked;
    std::lock_guard<std::mutex> lock(mu);
    std::string key = client.url() + '\n' + profile.pdns_server_id;
    for (const auto& ns : profile.nameservers)
        for (const auto& e : ns.endpoints()) key += '\n' + e;
    if (checked.count(key)) return;
    std::string missing = missing_of(client, profile);
    if (!missing.empty())
        throw UnsafeError("the profile says pdns.transfer_settings: server, but the PowerDNS at " +
                          client.url() + " is not set up for it: " + missing +
                          ". Nothing was applied: set these in its configuration (pdns.conf) "
                          "and restart it, or use transfer_settings: zone");
    checked.insert(key);
}

}  // namespace zonegen
