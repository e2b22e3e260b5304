#include "backends/delegation.hpp"

#include <ldns/ldns.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <mutex>
#include <set>

#include "backends/dnsask.hpp"

namespace zonegen {
namespace {

using Clock = std::chrono::steady_clock;

// What a run has learnt: answers by zone and servers asked, the parent zone's servers the
// resolver named, and the servers that stayed silent.
struct ParentServers {
    std::optional<Name> parent;
    std::vector<Endpoint> servers;
    std::string why;  // servers empty: why
};
struct RunMemory {
    std::mutex mu;
    std::map<std::string, ParentDelegation> answers;
    std::map<Name, ParentServers> found;
    std::set<std::string> silent;
};
RunMemory& memory() {
    static RunMemory m;
    return m;
}

bool is_silent(const std::string& at) {
    std::lock_guard<std::mutex> lock(memory().mu);
    return memory().silent.count(at) > 0;
}

std::string at_text(const Endpoint& e) {
    Endpoint full = e;
    if (!full.port) full.port = 53;
    return full.to_string();
}

std::string join(const std::vector<std::string>& v, const char* sep = "; ") {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

using Usable = std::function<bool(const DnsAnswer&, std::string*)>;

// Asks servers in turn, each up to `tries` times when it stays silent (a refusal or an
// unreachable server is not asked again), all before one deadline.
class Asker {
  public:
    explicit Asker(const ParentQueryOptions& o) : opts_(o) {
        deadline_ = Clock::now() + std::chrono::milliseconds(o.deadline_ms);
    }

    // The first answer `usable` accepts; nullopt with every server's reason in *why.
    std::optional<DnsAnswer> first(const std::vector<Endpoint>& servers, const Name& name,
                                   RRType type, bool rd, const Usable& usable, std::string* why,
                                   std::vector<std::string>* asked = nullptr,
                                   std::string* answered_by = nullptr) {
        std::vector<std::string> notes;
        std::set<std::string> done;
        std::map<std::string, int> silent_tries;
        auto note = [&](const std::string& at, const std::string& w) {
            notes.push_back(at + ": " + w);
            done.insert(at);
        };
        for (int t = 0; t < std::max(opts_.tries, 1); ++t)
            for (const auto& s : servers) {
                std::string at = at_text(s);
                if (done.count(at)) continue;
                if (is_silent(at)) {
                    note(at, "silent earlier in this run, not asked again");
                    continue;
                }
                int left = ms_left();
                if (left <= 0) {
                    note(at, silent_tries[at] ? "no answer, then the question's deadline passed"
                                              : "not asked: the question's deadline passed");
                    continue;
                }
                if (asked && std::find(asked->begin(), asked->end(), at) == asked->end())
                    asked->push_back(at);
                if (opts_.trace)
                    opts_.trace("asking " + at + " " + name.to_string() + " " + type_name(type) +
                                (rd ? " (recursive)" : ""));
                const int timeout = std::min(opts_.timeout_ms, left);
                AskResult r = ask_server(s.address, s.port.value_or(53), name, type, rd, timeout);
                if (r.timed_out) {
                    if (++silent_tries[at] < std::max(opts_.tries, 1)) continue;
                    // Silent for the rest of the run, unless the deadline cut its wait short.
                    if (timeout == opts_.timeout_ms) {
                        std::lock_guard<std::mutex> lock(memory().mu);
                        memory().silent.insert(at);
                    }
                    notes.push_back(at + ": " + r.error + " (" + std::to_string(silent_tries[at]) +
                                    " tries)");
                    done.insert(at);
                    continue;
                }
                if (!r.answer.answered) {
                    note(at, r.error);
                    continue;
                }
                std::string w;
                if (usable(r.answer, &w)) {
                    if (answered_by) *answered_by = at;
                    return r.answer;
                }
                note(at, w);
            }
        *why = notes.empty() ? "no server to ask" : join(notes);
        return std::nullopt;
    }

  private:
    int ms_left() const {
        auto l = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
        return l.count() > 0 ? static_cast<int>(l.count()) : 0;
    }
    const ParentQueryOptions& opts_;
    Clock::time_point deadline_;
};

bool any_answer(const DnsAnswer& a, std::string* why) {
    if (a.rcode == "NOERROR" || a.rcode == "NXDOMAIN") return true;
    *why = "answered " + a.rcode;
    return false;
}

std::vector<Name> ns_names_at(const Name& owner, const std::vector<DnsRecord>& section) {
    std::vector<Name> out;
    for (const auto& r : section)
        if (r.type == rrtype::NS && r.owner == owner)
            if (auto t = rdata_target(rrtype::NS, r.rdata)) out.push_back(*t);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// The addresses (A, AAAA) a section gives for `name`, canonical.
std::vector<std::string> addresses_of(const Name& name, const std::vector<DnsRecord>& section) {
    std::vector<std::string> out;
    for (const auto& r : section) {
        if (r.owner != name || (r.type != rrtype::A && r.type != rrtype::AAAA)) continue;
        std::string t = rdata_text(r.type, r.rdata);
        auto c = r.type == rrtype::A ? canonical_ipv4(t) : canonical_ipv6(t);
        if (c && std::find(out.begin(), out.end(), *c) == out.end()) out.push_back(*c);
    }
    return out;
}

std::optional<Name> soa_owner(const std::vector<DnsRecord>& section) {
    for (const auto& r : section)
        if (r.type == rrtype::SOA) return r.owner;
    return std::nullopt;
}

// The name servers of /etc/resolv.conf (read by ldns), port 53.
std::vector<Endpoint> system_resolvers(const std::string& path, std::string* why) {
    ldns_resolver* raw = nullptr;
    ldns_status st = ldns_resolver_new_frm_file(&raw, path.c_str());
    if (st != LDNS_STATUS_OK || !raw) {
        *why = "no system resolver: " + path + ": " + ldns_get_errorstr_by_id(st);
        return {};
    }
    std::unique_ptr<ldns_resolver, void (*)(ldns_resolver*)> res(raw, ldns_resolver_deep_free);
    std::vector<Endpoint> out;
    ldns_rdf** ns = ldns_resolver_nameservers(res.get());
    for (std::size_t i = 0; i < ldns_resolver_nameserver_count(res.get()); ++i) {
        char* s = ldns_rdf2str(ns[i]);
        std::string text = s ? s : "";
        std::free(s);
        if (auto v4 = canonical_ipv4(text))
            out.push_back(Endpoint{*v4, false, 53});
        else if (auto v6 = canonical_ipv6(text))
            out.push_back(Endpoint{*v6, true, 53});
    }
    if (out.empty()) *why = "no system resolver: " + path + " names no name server";
    return out;
}

// The first addresses of up to `max_names` names without one yet, asked of the resolvers.
void resolve_addresses(const std::vector<Name>& names,
                       std::map<Name, std::vector<std::string>>& addrs,
                       const std::vector<Endpoint>& resolvers, Asker& ask, std::size_t max_names) {
    std::size_t n = 0;
    for (const auto& name : names) {
        if (!addrs[name].empty()) continue;
        if (n++ == max_names) break;
        for (RRType t : {rrtype::A, rrtype::AAAA}) {
            std::string why;
            if (auto a = ask.first(resolvers, name, t, true, any_answer, &why))
                for (const auto& x : addresses_of(name, a->answer)) addrs[name].push_back(x);
        }
    }
}

// The parent zone and its servers, as the system resolver names them: the zone that holds
// ZONE's parent name (its SOA), that zone's NS names and their addresses.
ParentServers through_resolver(const Name& zone, Asker& ask,
                               const std::vector<Endpoint>& resolvers) {
    ParentServers f;
    std::string why;
    auto soa = ask.first(resolvers, zone.parent(), rrtype::SOA, true, any_answer, &why);
    if (!soa) {
        f.why = "the system resolver did not answer: " + why;
        return f;
    }
    f.parent = enclosing_zone(*soa);
    if (!f.parent) {
        f.why = "the system resolver named no zone holding " + zone.parent().to_string();
        return f;
    }
    auto ns = ask.first(resolvers, *f.parent, rrtype::NS, true, any_answer, &why);
    std::vector<Name> names = ns ? ns_names_at(*f.parent, ns->answer) : std::vector<Name>{};
    if (names.empty()) {
        f.why =
            "the system resolver gave no NS for " + f.parent->to_string() + (ns ? "" : ": " + why);
        return f;
    }
    std::map<Name, std::vector<std::string>> addrs;
    for (const auto& n : names) addrs[n] = addresses_of(n, ns->additional);
    resolve_addresses(names, addrs, resolvers, ask, 3);
    for (const auto& n : names)
        for (const auto& a : addrs[n])
            if (f.servers.size() < 6)
                f.servers.push_back(Endpoint{a, canonical_ipv6(a).has_value(), 53});
    if (f.servers.empty())
        f.why = "the system resolver gave no address for the servers of " + f.parent->to_string() +
                " (" + names.front().to_string() + "...)";
    return f;
}

std::string cache_key(const Name& zone, const std::vector<Endpoint>& servers) {
    std::string k = zone.to_string() + "|";
    for (const auto& s : servers) k += at_text(s) + ",";
    return k;
}

}  // namespace

bool read_parent_answer(const Name& zone, const DnsAnswer& a, ParentDelegation& out,
                        std::string* why) {
    auto fail = [&](const std::string& w) {
        if (why) *why = w;
        return false;
    };
    if (!a.answered) return fail("no answer");
    if (a.rcode != "NOERROR" && a.rcode != "NXDOMAIN") return fail("answered " + a.rcode);
    std::vector<Name> ns;
    bool aa_answer = false;
    if (a.rcode == "NOERROR") {
        if (a.aa) ns = ns_names_at(zone, a.answer);
        aa_answer = !ns.empty();
        if (ns.empty()) ns = ns_names_at(zone, a.authority);  // a referral
    }
    if (ns.empty() && !a.aa) {
        for (const auto& r : a.authority)
            if (r.type == rrtype::NS)
                return fail("a referral to " + r.owner.to_string() + ": not a server of " +
                            zone.to_string() + "'s parent zone");
        return fail(a.rcode == "NXDOMAIN" ? "NXDOMAIN without authority (AA)"
                                          : "neither a delegation nor an authoritative answer");
    }
    out.answered = true;
    out.why.clear();
    out.authoritative = aa_answer;
    out.ns = ns;
    out.addresses.clear();
    for (const auto& n : ns)
        if (auto v = addresses_of(n, a.additional); !v.empty()) out.addresses[n] = v;
    if (auto p = soa_owner(a.authority); p && *p != zone && zone.is_subdomain_of(*p))
        out.parent = *p;  // an authoritative "no delegation here" names the parent zone
    return true;
}

std::optional<Name> enclosing_zone(const DnsAnswer& a) {
    if (auto p = soa_owner(a.answer)) return p;
    return soa_owner(a.authority);
}

const char* to_string(DelegationVerdict v) {
    switch (v) {
        case DelegationVerdict::ours:
            return "ours";
        case DelegationVerdict::elsewhere:
            return "elsewhere";
        case DelegationVerdict::none:
            return "none";
        case DelegationVerdict::unknown:
            break;
    }
    return "unknown";
}

DelegationMatch match_delegation(const ParentDelegation& d, const std::vector<ProviderNs>& ours) {
    DelegationMatch m;
    if (!d.answered) return m;
    if (d.ns.empty()) {
        m.verdict = DelegationVerdict::none;
        return m;
    }
    auto our_address = [&](const std::string& a) {
        for (const auto& ns : ours)
            for (const auto* list : {&ns.ipv4, &ns.ipv6})
                if (std::find(list->begin(), list->end(), a) != list->end()) return true;
        return false;
    };
    for (const auto& n : d.ns) {
        bool by_name =
            std::any_of(ours.begin(), ours.end(), [&](const ProviderNs& o) { return o.name == n; });
        if (by_name) {
            m.ours.push_back(n.to_string());
            continue;
        }
        auto it = d.addresses.find(n);
        if (it == d.addresses.end()) continue;
        for (const auto& a : it->second)
            if (our_address(a)) {
                m.ours.push_back(n.to_string() + " (" + a + ")");
                break;
            }
    }
    m.verdict = m.ours.empty() ? DelegationVerdict::elsewhere : DelegationVerdict::ours;
    return m;
}

ParentDelegation parent_delegation(const Name& zone, const ParentQueryOptions& opts) {
    const std::string key = cache_key(zone, opts.servers);
    {
        std::lock_guard<std::mutex> lock(memory().mu);
        if (auto it = memory().answers.find(key); it != memory().answers.end()) return it->second;
    }
    Asker ask(opts);
    ParentDelegation d;
    d.zone = zone;
    std::vector<Endpoint> servers = opts.servers, resolvers;
    if (servers.empty()) {
        d.via_resolver = true;
        ParentServers f;
        if (zone.is_root()) f.why = "the root zone has no parent";
        if (!zone.is_root()) resolvers = system_resolvers(opts.resolv_conf, &f.why);
        if (!resolvers.empty()) {
            std::unique_lock<std::mutex> lock(memory().mu);
            auto it = memory().found.find(zone.parent());
            bool known = it != memory().found.end();
            if (known) f = it->second;
            lock.unlock();
            if (!known) f = through_resolver(zone, ask, resolvers);
            if (!known && !f.servers.empty()) {
                std::lock_guard<std::mutex> relock(memory().mu);
                memory().found[zone.parent()] = f;
            }
        }
        d.parent = f.parent;
        servers = f.servers;
        d.why = f.why;
    }
    if (!servers.empty()) {
        ParentDelegation got = d;
        auto usable = [&](const DnsAnswer& a, std::string* w) {
            return read_parent_answer(zone, a, got, w);
        };
        std::string why;
        if (ask.first(servers, zone, rrtype::NS, false, usable, &why, &d.asked, &d.answered_by)) {
            got.asked = d.asked;
            got.answered_by = d.answered_by;
            d = std::move(got);
            if (d.via_resolver) resolve_addresses(d.ns, d.addresses, resolvers, ask, 4);
            for (auto it = d.addresses.begin(); it != d.addresses.end();)
                it = it->second.empty() ? d.addresses.erase(it) : std::next(it);
        } else {
            d.why = why;
        }
    }
    std::lock_guard<std::mutex> lock(memory().mu);
    memory().answers[key] = d;
    return d;
}

void forget_parent_answers() {
    std::lock_guard<std::mutex> lock(memory().mu);
    memory().answers.clear();
    memory().found.clear();
    memory().silent.clear();
}

}  // namespace zonegen
