// How the parent zone delegates a zone, asked live: the parent's servers directly (the
// operator names them: --parent-server, the profile's parent_servers) or, without them,
// the servers the system resolver (/etc/resolv.conf) names for the parent zone. Each is
// asked ZONE NS without recursion: a referral's authority section is the delegation; a
// parent that also serves the zone answers it with AA. Bounded: each query `timeout_ms`
// (a server nothing listens on, or no route to, fails at once), `tries` per server, the
// whole question within `deadline_ms`. Kept for the rest of the run (a batch asks once per
// zone); a server that stayed silent is not asked again in this run.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backends/dnsquery.hpp"
#include "zonegen/address.hpp"
#include "zonegen/name.hpp"
#include "zonegen/profile.hpp"

namespace zonegen {

struct ParentQueryOptions {
    std::vector<Endpoint> servers;  // the parent zone's servers; empty: via the system resolver
    std::string resolv_conf = "/etc/resolv.conf";
    int timeout_ms = 2000;    // one query
    int tries = 2;            // per server
    int deadline_ms = 10000;  // the whole question
    std::function<void(const std::string&)> trace;
};

struct ParentDelegation {
    Name zone;
    bool via_resolver = false;       // the parent's servers came from the system resolver
    std::optional<Name> parent;      // the parent zone, when an answer named it
    std::vector<std::string> asked;  // the servers asked, ADDR:PORT, in order
    bool answered = false;           // a server of the parent zone answered
    std::string why;                 // !answered: why not
    std::string answered_by;         // the server whose answer this is
    bool authoritative = false;      // AA: the server serves the zone itself too
    std::vector<Name> ns;            // the zone's NS names there, sorted; empty: not delegated
    std::map<Name, std::vector<std::string>> addresses;  // an NS name's addresses (glue)
};

ParentDelegation parent_delegation(const Name& zone, const ParentQueryOptions& opts);

// What one server's answer to ZONE NS says (pure). False, with the reason in *why, when it
// is not an answer from the zone's parent: REFUSED or SERVFAIL, a referral to another zone,
// a non-authoritative answer without a delegation.
bool read_parent_answer(const Name& zone, const DnsAnswer& a, ParentDelegation& out,
                        std::string* why);

// The zone that holds a name, from a resolver's answer to NAME SOA: the SOA's owner in the
// answer section (NAME is an apex) or in the authority section (NXDOMAIN, no data).
std::optional<Name> enclosing_zone(const DnsAnswer& a);

enum class DelegationVerdict { ours, elsewhere, none, unknown };
const char* to_string(DelegationVerdict v);

struct DelegationMatch {
    DelegationVerdict verdict = DelegationVerdict::unknown;
    // What of ours the delegation names: "ns1.example.net." (by name) or
    // "ns.alias.example. (192.0.2.53)" (another name with one of our addresses as glue).
    std::vector<std::string> ours;
};

// Does the delegation point at our name servers, by name or by address (pure)?
DelegationMatch match_delegation(const ParentDelegation& d, const std::vector<ProviderNs>& ours);

// Forgets this run's answers and silent servers (for tests).
void forget_parent_answers();

}  // namespace zonegen
