#include "zonegen/verify.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "backends/dnsquery.hpp"
#include "backends/dnssec_sig.hpp"
#include "zonegen/atomic_file.hpp"
#include "zonegen/customer_networks.hpp"
#include "zonegen/customer_zone.hpp"
#include "zonegen/dnssec.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/input.hpp"
#include "zonegen/verify_dnssec.hpp"

namespace zonegen {
namespace {

struct Server {
    std::string label;  // "ns1.example.net. (192.0.2.53)"
    std::string address;
    std::uint16_t port = 53;
    Name name;  // one of ours: its name in the profile
};

std::string shown(RRType t, const std::vector<std::string>& rd) {
    if (rd.empty()) return "(nothing)";
    std::string s;
    for (const auto& r : rd) s += (s.empty() ? "" : ", ") + rdata_text(t, r);
    return s;
}

Server server_of(const ProviderNs& ns) {
    const std::string& a = ns.first_address();
    return {ns.name.to_string() + " (" + a +
                (ns.dns_port == 53 ? "" : ":" + std::to_string(ns.dns_port)) + ")",
            a, ns.dns_port, ns.name};
}

Server server_of(const Endpoint& e, const std::string& what) {
    return {what + " " + e.to_string(), e.address, e.port.value_or(53), Name()};
}

// The questions of a run, each check's in the table's order, then their answers: every
// query is asked up front, in parallel (8 at a time, under the run's deadline).
class Answers {
  public:
    void ask(const Server& s, const Name& n, RRType t, bool dnssec = false) {
        questions_.push_back({s.address, s.port, n, t, dnssec});
        labels_.push_back(s.label);
    }

    void fetch(const VerifyOptions& opts) {
        if (opts.trace)
            for (std::size_t i = 0; i < questions_.size(); ++i)
                opts.trace("query " + labels_[i] + " " + questions_[i].name.to_string() + " " +
                           type_name(questions_[i].type));
        QueryBudget budget;
        budget.timeout_ms = opts.timeout_ms;
        budget.deadline_ms = opts.deadline_ms;
        answers_ = opts.ask ? opts.ask(questions_, budget) : query_all(questions_, budget);
    }

    // The answer to a question asked above (an unanswered one when it was not asked).
    DnsAnswer get(const Server& s, const Name& n, RRType t) const {
        for (std::size_t i = 0; i < questions_.size() && i < answers_.size(); ++i)
            if (questions_[i].address == s.address && questions_[i].port == s.port &&
                questions_[i].type == t && questions_[i].name == n)
                return answers_[i];
        return {};
    }

  private:
    std::vector<DnsQuestion> questions_;
    std::vector<std::string> labels_;
    std::vector<DnsAnswer> answers_;
};

std::optional<std::time_t> read_state(const std::string& path) {
    try {
        auto j = nlohmann::json::parse(read_input(path));
        if (j.contains("switched_at") && j["switched_at"].is_number_integer())
            return j["switched_at"].get<std::time_t>();
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

void write_state(const std::string& path, const Name& zone, std::time_t now) {
    write_file_atomic(path, nlohmann::json{{"zone", zone.to_string()},
                                           {"switched_at", now},
                                           {"switched_at_text", format_time(now)}}
                                    .dump(2) +
                                "\n");
}

// What the spec makes (serial 1: serials are not compared).
Desired desired_of(const Spec& spec, const Profile& profile) {
    GenerateOptions go;
    go.serial = 1;
    return build_desired(spec, profile, go);
}

// Our servers for the pattern: A all of them, B its secondary, C none.
std::vector<Server> ours_of(const Spec& spec, const Profile& profile) {
    std::vector<Server> out;
    if (spec.pattern == Pattern::A)
        for (const auto& ns : profile.nameservers) out.push_back(server_of(ns));
    else if (spec.pattern == Pattern::B)
        out.push_back(server_of(profile.pattern_b_secondary()));
    return out;
}

// Our servers sign the zone (pattern A, dnssec).
bool signs_of(const Spec& spec, const Profile& profile) {
    auto d = dnssec_intent(spec, profile);
    return d && d->sign;
}

// One run of verify: its inputs, the answers, and what a check learns for the later ones.
struct Run {
    Run(const Spec& s, const Profile& p, const VerifyOptions& o)
        : spec(s),
          profile(p),
          opts(o),
          want(desired_of(s, p)),
          ours(ours_of(s, p)),
          signing(signs_of(s, p)) {}

    const Spec& spec;
    const Profile& profile;
    const VerifyOptions& opts;
    Desired want;
    std::vector<Server> ours;
    bool signing;  // our servers sign the zone (pattern A, dnssec)
    Answers answers;
    std::set<Name> serving;                   // our-servers: ours that serve the zone
    std::vector<ServerState> states;          // our-servers: each of ours, as `ours`; lame later
    std::optional<std::uint32_t> our_serial;  // our-servers: the first serial seen on ours
    bool delegation_seen = false;  // delegation: the parent delegates as the procedure expects
    std::vector<std::string> our_dnskeys;  // our-servers: the DNSKEYs the first of ours serves
    std::uint32_t longest_ttl = 0;         // the parent's NS TTL, raised by the old zone's TTLs

    const Name& zone() const { return spec.domain; }
    bool signs() const { return signing; }
    DnsAnswer q(const Server& s, const Name& n, RRType t) const { return answers.get(s, n, t); }
    // Switched, as the parent shows it or as --switched-at says.
    bool switched() const { return delegation_seen || opts.switched_at.has_value(); }
    std::string no_answer(const Server& s) const {
        return s.label + ": no answer within " + std::to_string(opts.timeout_ms) + " ms";
    }
    bool has_customer_primary() const {
        return spec.pattern == Pattern::B && !spec.customer_primary.empty();
    }
    Server customer_primary() const {
        return server_of(spec.customer_primary.front(), "customer primary");
    }
    Server parent() const { return server_of(*opts.parent_server, "parent"); }
    Server old_server() const { return server_of(*opts.old_server, "old server"); }
};

void problem(VerifyCheck& c, std::string evidence) {
    c.status = CheckStatus::problem;
    c.evidence.push_back(std::move(evidence));
}

// The wanted rrsets compared on our servers: the NS set only where we hold the whole zone.
bool compared_on_ours(const Run& run, RRType t) {
    return t != rrtype::SOA && (t != rrtype::NS || run.spec.pattern == Pattern::A);
}

// The wanted rrsets compared on the old server: the apex NS and TXT are its own.
bool compared_on_old(RRType t) {
    return t != rrtype::SOA && t != rrtype::NS && t != rrtype::TXT;
}

// ---- our-servers: each of ours serves the zone, at one serial, with what the spec wants -------

void ask_our_servers(Run& run) {
    for (const auto& s : run.ours) {
        // Signed: the SOA and the DNSKEY with their RRSIGs (DO), which check_our_dnssec verifies.
        run.answers.ask(s, run.zone(), rrtype::SOA, run.signs());
        if (run.signs()) run.answers.ask(s, run.zone(), rrtype::DNSKEY, true);
        for (const RRset& set : run.want.zone.rrsets())
            if (compared_on_ours(run, set.type)) run.answers.ask(s, set.owner, set.type);
    }
    if (run.has_customer_primary()) {
        Server p = run.customer_primary();
        run.answers.ask(p, run.zone(), rrtype::SOA);
        run.answers.ask(p, run.zone(), rrtype::NS);
    }
}

// Whether `got` holds what the spec wants: exactly, but other TXT values may stand beside ours.
bool holds(RRType t, const std::vector<std::string>& got, const std::vector<std::string>& want) {
    if (t != rrtype::TXT) return got == want;
    return std::all_of(want.begin(), want.end(), [&](const std::string& x) {
        return std::find(got.begin(), got.end(), x) != got.end();
    });
}

void check_wanted_rrset(const Run& run, const Server& s, const RRset& set, VerifyCheck& c) {
    std::string what = s.label + ": " + set.owner.to_string() + " " + type_name(set.type);
    auto a = run.q(s, set.owner, set.type);
    if (!a.answered) {
        problem(c, what + ": no answer");
        return;
    }
    auto got = a.rdata(set.owner, set.type);
    auto want = set.rdata();
    if (!holds(set.type, got, want))
        problem(c, what + " is " + shown(set.type, got) + ", want " + shown(set.type, want));
}

// The signatures over `type` at the apex: present, valid with our keys now, and not within
// kSignatureMargin of their expiry (a secondary that stopped transferring serves the old
// ones until they expire, and the domain then fails validation).
constexpr std::time_t kSignatureMargin = 7 * 86400;

void check_our_rrsig(const Run& run, const Server& s, RRType type,
                     const std::vector<std::string>& keys, VerifyCheck& c) {
    const Name& zone = run.zone();
    auto a = run.q(s, zone, type);
    std::string what = s.label + ": the RRSIG over " + type_name(type);
    std::uint32_t ttl = 0;
    for (const auto& r : a.answer)
        if (r.owner == zone && r.type == type) ttl = r.ttl;
    bool any = false;
    for (const auto& r : a.answer) {
        auto f = r.type == rrtype::RRSIG ? parse_rrsig(r.rdata) : std::nullopt;
        if (!f || f->covered != type || r.owner != zone) continue;
        any = true;
        if (auto why = rrsig_problem(zone, zone, type, ttl, a.rdata(zone, type), r.rdata, keys,
                                     run.opts.now);
            !why.empty())
            problem(c, what + " (key " + std::to_string(f->key_tag) + ") does not verify: " + why);
        else if (f->expiration - run.opts.now < kSignatureMargin)
            problem(c, what + " expires " + format_time(f->expiration) +
                           ", within 7 days: the renewed signatures have not reached this server");
    }
    if (!any) problem(c, what + " is missing: the zone is not served signed there");
}

// dnssec: each of ours serves a DNSKEY with the SEP flag (the key the parent's DS names).
void check_our_dnskey(Run& run, const Server& s, VerifyCheck& c) {
    auto keys = run.q(s, run.zone(), rrtype::DNSKEY).rdata(run.zone(), rrtype::DNSKEY);
    bool sep = std::any_of(keys.begin(), keys.end(), [](const std::string& k) {
        return rdata_text(rrtype::DNSKEY, k).rfind("257 ", 0) == 0;
    });
    if (!sep) {
        problem(c, s.label +
                       ": serves no DNSKEY with the SEP flag: the zone is not signed there "
                       "(apply the spec with dnssec: true)");
        return;
    }
    if (run.our_dnskeys.empty()) run.our_dnskeys = keys;
    for (RRType t : {rrtype::SOA, rrtype::DNSKEY}) check_our_rrsig(run, s, t, keys, c);
}

void check_our_server(Run& run, const Server& s, ServerState& state, VerifyCheck& c) {
    const Name& zone = run.zone();
    auto a = run.q(s, zone, rrtype::SOA);
    if (!a.answered) {
        problem(c, run.no_answer(s));
        return;
    }
    auto soa = a.rdata(zone, rrtype::SOA);
    if (!a.aa || a.rcode != "NOERROR" || soa.empty()) {
        problem(c, s.label + ": does not serve " + zone.to_string() + " (" + a.rcode +
                       (a.aa ? "" : ", not authoritative") + ")");
        return;
    }
    std::uint32_t serial = parse_soa(soa.front())->serial;
    c.evidence.push_back(s.label + ": serves the zone, serial " + std::to_string(serial));
    run.serving.insert(s.name);
    state.serves = true;
    state.serial = serial;
    if (!run.our_serial) run.our_serial = serial;
    for (const RRset& set : run.want.zone.rrsets())
        if (compared_on_ours(run, set.type)) check_wanted_rrset(run, s, set, c);
    if (run.signs()) check_our_dnskey(run, s, c);
}

// B: our secondary against the customer's primary, which must list it in its NS set.
void check_customer_primary(const Run& run, VerifyCheck& c) {
    const Name& zone = run.zone();
    Server p = run.customer_primary();
    auto soa = run.q(p, zone, rrtype::SOA).rdata(zone, rrtype::SOA);
    if (soa.empty()) {
        problem(c, p.label + ": does not answer for the zone");
        return;
    }
    std::uint32_t ps = parse_soa(soa.front())->serial;
    c.evidence.push_back(p.label + ": serial " + std::to_string(ps));
    if (run.our_serial && *run.our_serial != ps)
        problem(c, "our secondary is at serial " + std::to_string(*run.our_serial) +
                       ", the primary at " + std::to_string(ps) + ": transfers are not arriving");
    else if (!run.our_serial)
        c.evidence.push_back(
            "our secondary has not transferred the zone: the primary must allow AXFR to it");
    auto ns = run.q(p, zone, rrtype::NS).rdata(zone, rrtype::NS);
    const auto& sec = run.profile.pattern_b_secondary();
    if (std::find(ns.begin(), ns.end(), sec.name.wire()) == ns.end())
        problem(c, p.label + ": its NS set lacks our secondary " + sec.name.to_string());
}

// Lagging: serving a serial other than the highest any of ours serves (RFC 1982; two serials
// 2^31 apart have no order, and differ all the same), each a problem.
void mark_lagging(Run& run, VerifyCheck& c) {
    std::optional<std::uint32_t> highest;
    for (const auto& st : run.states)
        if (st.serial && (!highest || serial_greater(*st.serial, *highest))) highest = st.serial;
    for (std::size_t i = 0; i < run.states.size(); ++i) {
        ServerState& st = run.states[i];
        st.lagging = st.serial && *st.serial != *highest;
        if (st.lagging)
            problem(c, run.ours[i].label + ": lagging: serial " + std::to_string(*st.serial) +
                           ", behind " + std::to_string(*highest) +
                           ", the highest of ours (its transfers are not arriving)");
    }
}

VerifyCheck check_our_servers(Run& run) {
    VerifyCheck c{VerifyCheckId::our_servers, CheckStatus::ok, "", {}};
    for (const auto& s : run.ours) {
        run.states.push_back(ServerState{s.name, false, std::nullopt, false, false});
        check_our_server(run, s, run.states.back(), c);
    }
    mark_lagging(run, c);
    if (run.spec.pattern == Pattern::C)
        c.message = "pattern C: nothing of the zone is on our servers";
    else
        c.message = c.status == CheckStatus::ok
                        ? "our servers serve the zone with the same serial and the records the "
                          "spec wants"
                        : "our servers are not ready";
    if (run.has_customer_primary()) check_customer_primary(run, c);
    return c;
}

// ---- delegation: what the parent delegates to, its glue and DS -------------------------------

void ask_parent(Run& run) {
    run.answers.ask(run.parent(), run.zone(), rrtype::NS);
    run.answers.ask(run.parent(), run.zone(), rrtype::DS);
}

// The name servers the parent names once switched: A ours; B and C the customer's, B with our
// secondary.
std::set<Name> expected_delegation(const Run& run) {
    std::set<Name> out;
    if (run.spec.pattern == Pattern::A)
        for (const auto& ns : run.profile.nameservers) out.insert(ns.name);
    else
        for (const auto& ns : run.spec.customer_nameservers) out.insert(ns.name);
    if (run.spec.pattern == Pattern::B) out.insert(run.profile.pattern_b_secondary().name);
    return out;
}

struct Referral {
    std::set<Name> ns;
    std::uint32_t ttl = 0;  // the longest NS TTL
};

// The parent's NS for the zone, from its referral (authority) or its answer.
Referral referral_of(const DnsAnswer& a, const Name& zone) {
    Referral r;
    for (const auto* sec : {&a.authority, &a.answer})
        for (const auto& rr : *sec)
            if (rr.type == rrtype::NS && rr.owner == zone) {
                if (auto t = rdata_target(rrtype::NS, rr.rdata)) r.ns.insert(*t);
                r.ttl = std::max(r.ttl, rr.ttl);
            }
    return r;
}

// Lame: the parent names a server of ours that does not serve the zone.
void check_lame(Run& run, const std::set<Name>& named, VerifyCheck& c) {
    if (run.spec.pattern == Pattern::C) return;
    std::set<Name> our_names;
    for (const auto& ns : run.profile.nameservers) our_names.insert(ns.name);
    for (const auto& n : named) {
        if (!our_names.count(n) || run.serving.count(n)) continue;
        problem(c, "lame delegation: " + n.to_string() + " is ours but does not serve the zone");
        for (auto& st : run.states)
            if (st.name == n) st.lame = true;
    }
}

// Glue for the name servers inside the domain: the addresses the spec gives them.
void check_glue(const Run& run, const DnsAnswer& a, const std::set<Name>& named, VerifyCheck& c) {
    for (const auto& ns : run.spec.customer_nameservers) {
        if (!ns.name.is_subdomain_of(run.zone()) || !named.count(ns.name)) continue;
        std::vector<std::string> glue;
        for (const auto& rr : a.additional)
            if (rr.owner == ns.name && (rr.type == rrtype::A || rr.type == rrtype::AAAA))
                glue.push_back(rdata_text(rr.type, rr.rdata));
        std::vector<std::string> want = ns.addresses();
        std::sort(glue.begin(), glue.end());
        std::sort(want.begin(), want.end());
        if (glue != want)
            problem(c, "glue for " + ns.name.to_string() + " is " +
                           (glue.empty() ? std::string("missing") : glue.front()) + ", want " +
                           (want.empty() ? std::string("none") : want.front()));
    }
}

// The parent's DS against the keys we serve. Not signed by us: any DS makes validating
// resolvers fail. Signed: a DS of ours secures it; a DS of no key we serve (the old
// provider's) is the classic outage once the delegation points at us, and a problem before
// it too, since switching then causes it.
void check_parent_ds(const Run& run, const Server& p, VerifyCheck& c) {
    auto ds = run.q(p, run.zone(), rrtype::DS).rdata(run.zone(), rrtype::DS);
    if (!run.signs()) {
        if (!ds.empty())
            problem(c, p.label +
                           ": publishes a DS, but the zone is not signed by us: validating "
                           "resolvers will fail; remove the DS at the registrar");
        return;
    }
    if (ds.empty()) {
        c.evidence.push_back(p.label +
                             ": no DS: the zone resolves unsigned (insecure) until our "
                             "DS is registered (instructions --with-ds)");
        return;
    }
    DsMatch m = match_ds(run.zone(), ds, run.our_dnskeys);
    for (const auto& d : m.ours) c.evidence.push_back(p.label + ": DS " + d + " is our key's");
    if (m.foreign.empty() || !m.ours.empty()) return;  // ours beside a foreign one still validates
    std::string d = m.foreign.front();
    if (run.switched())
        problem(c, p.label + ": the DS " + d +
                       " matches no key our servers serve: every validating resolver fails the "
                       "domain (SERVFAIL) now; remove it at the registrar and register ours");
    else
        problem(c, p.label + ": the DS " + d +
                       " matches no key our servers serve (the old provider's): if the name "
                       "servers change while it is published, every validating resolver fails the "
                       "domain; remove it first and wait out its TTL");
}

VerifyCheck check_delegation(Run& run) {
    VerifyCheck c{VerifyCheckId::delegation, CheckStatus::unknown, "", {}};
    Server p = run.parent();
    auto a = run.q(p, run.zone(), rrtype::NS);
    if (!a.answered) {
        c.message = "the parent server does not answer";
        c.evidence.push_back(run.no_answer(p));
        return c;
    }
    Referral r = referral_of(a, run.zone());
    std::string names;
    for (const auto& n : r.ns) names += " " + n.to_string();
    c.evidence.push_back(p.label + ": NS" + (names.empty() ? " (none)" : names) + ", TTL " +
                         std::to_string(r.ttl));
    run.delegation_seen = r.ns == expected_delegation(run);
    run.longest_ttl = r.ttl;
    c.status = CheckStatus::ok;
    c.message = run.delegation_seen ? "the parent delegates to the expected name servers"
                                    : "the parent still delegates elsewhere: not switched yet";
    check_lame(run, r.ns, c);
    check_glue(run, a, r.ns, c);
    check_parent_ds(run, p, c);
    return c;
}

// ---- old-server: what still answers differently there, and the longest TTL in play -----------

void ask_old_server(Run& run) {
    Server o = run.old_server();
    run.answers.ask(o, run.zone(), rrtype::SOA);
    for (const RRset& set : run.want.zone.rrsets())
        if (compared_on_old(set.type)) run.answers.ask(o, set.owner, set.type);
    run.answers.ask(o, run.zone(), rrtype::NS);
}

void raise_ttl(Run& run, const DnsAnswer& a) {
    for (const auto& rr : a.answer) run.longest_ttl = std::max(run.longest_ttl, rr.ttl);
}

// Silent: fine once switched, unknown before.
void old_server_silent(const Run& run, const Server& o, VerifyCheck& c) {
    c.status = run.switched() ? CheckStatus::ok : CheckStatus::unknown;
    c.message = run.switched() ? "the old server no longer answers (fine after the switch)"
                               : "the old server does not answer";
    c.evidence.push_back(run.no_answer(o));
}

void compare_old_server(Run& run, const Server& o, VerifyCheck& c) {
    c.status = CheckStatus::ok;
    std::vector<std::string> differ;
    std::size_t unanswered = 0;
    for (const RRset& set : run.want.zone.rrsets()) {
        if (!compared_on_old(set.type)) continue;
        auto a = run.q(o, set.owner, set.type);
        if (!a.answered) {
            ++unanswered;
            continue;
        }
        raise_ttl(run, a);
        auto got = a.rdata(set.owner, set.type);
        if (got != set.rdata())
            differ.push_back(set.owner.to_string() + " " + type_name(set.type) + " " +
                             shown(set.type, got));
    }
    raise_ttl(run, run.q(o, run.zone(), rrtype::NS));
    c.message = differ.empty() ? "the old server already answers like ours"
                               : std::to_string(differ.size()) +
                                     " names still answer differently on the old server";
    for (const auto& d : differ) c.evidence.push_back(o.label + ": " + d);
    if (unanswered)
        c.evidence.push_back(o.label + ": " + std::to_string(unanswered) +
                             " queries unanswered (it stopped answering, or verify's "
                             "--deadline-ms came first)");
}

VerifyCheck check_old_server(Run& run) {
    VerifyCheck c{VerifyCheckId::old_server, CheckStatus::unknown, "", {}};
    Server o = run.old_server();
    if (!run.q(o, run.zone(), rrtype::SOA).answered)
        old_server_silent(run, o, c);
    else
        compare_old_server(run, o, c);
    c.evidence.push_back("longest TTL in play: " + std::to_string(run.longest_ttl) + " s");
    return c;
}

// ---- the table --------------------------------------------------------------------------------

const char* never_skipped(const Run&) {
    return nullptr;
}
const char* without_parent_server(const Run& run) {
    return run.opts.parent_server ? nullptr
                                  : "not checked: give --parent-server (a server of the parent "
                                    "zone)";
}
const char* without_old_server(const Run& run) {
    return run.opts.old_server ? nullptr : "not checked: give --old-server ADDR[:PORT]";
}

// A check: when it is skipped (why, which becomes its `unknown` message; nullptr: it runs),
// the questions it needs answered (asked up front, all at once), and the check itself.
struct CheckDef {
    VerifyCheckId id;
    const char* (*skipped)(const Run&);
    void (*ask)(Run&);
    VerifyCheck (*check)(Run&);
};

// In the order they run: a check may use what the ones before learned (delegation: which of
// our servers serve the zone; old-server: whether the delegation switched).
constexpr CheckDef kChecks[] = {
    {VerifyCheckId::our_servers, never_skipped, ask_our_servers, check_our_servers},
    {VerifyCheckId::delegation, without_parent_server, ask_parent, check_delegation},
    {VerifyCheckId::old_server, without_old_server, ask_old_server, check_old_server},
};

// ---- the switch time and the verdict ----------------------------------------------------------

// --switched-at; else the state file, which the first run that sees the new delegation
// writes; else now, once switched.
std::optional<std::time_t> switch_time(const Run& run) {
    const VerifyOptions& o = run.opts;
    if (o.switched_at) return o.switched_at;
    if (o.state_file.empty())
        return run.delegation_seen ? std::optional<std::time_t>(o.now) : std::nullopt;
    if (auto seen = read_state(o.state_file)) return seen;
    if (!run.delegation_seen) return std::nullopt;
    write_state(o.state_file, run.zone(), o.now);
    return o.now;
}

// Before the switch: ready when our servers are. After it: the parallel operation lasts the
// longer of parallel_min_days and the longest TTL in play.
void decide(VerifyResult& r, const Profile& profile, std::time_t now) {
    if (!r.delegation_switched) {
        const VerifyCheck* ours = r.find(VerifyCheckId::our_servers);
        r.verdict = ours && ours->status == CheckStatus::ok ? Verdict::ready : Verdict::not_ready;
        return;
    }
    std::time_t parallel = static_cast<std::time_t>(profile.parallel_min_days) * 86400;
    r.safe_after = r.switched_at.value_or(now) + std::max<std::time_t>(parallel, r.longest_ttl);
    r.verdict = now < *r.safe_after ? Verdict::parallel : Verdict::safe_to_cancel;
}

}  // namespace

bool VerifyResult::in_sync() const {
    if (servers.empty()) return false;
    return std::all_of(servers.begin(), servers.end(), [&](const ServerState& s) {
        return s.serves && s.serial == servers.front().serial;
    });
}

bool VerifyResult::problem() const {
    return std::any_of(checks.begin(), checks.end(),
                       [](const VerifyCheck& c) { return c.status == CheckStatus::problem; });
}

const VerifyCheck* VerifyResult::find(VerifyCheckId id) const {
    for (const auto& c : checks)
        if (c.id == id) return &c;
    return nullptr;
}

std::time_t parse_time(const std::string& s) {
    bool digits =
        !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) return static_cast<std::time_t>(std::stoll(s));
    std::tm tm{};
    int y, mo, d, h = 0, mi = 0, se = 0;
    char z = 0;
    int n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z);
    if (!(n == 3 && s.size() == 10) && !(n == 7 && z == 'Z'))
        throw std::invalid_argument(
            "'" + s + "' is not a time (2026-11-01T10:00:00Z, 2026-11-01 or epoch seconds)");
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    return timegm(&tm);
}

std::string format_time(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

VerifyResult verify_switch(const Spec& spec, const Profile& profile, const VerifyOptions& opts) {
    // In the control panel's mode the old server is the customer's word: checked before any
    // query (the spec's own addresses are checked by build_desired).
    if (profile.control_panel && opts.old_server)
        CustomerNetworks(profile).check(opts.old_server->address,
                                        opts.old_server->port.value_or(53), "--old-server");
    Run run(spec, profile, opts);
    for (const CheckDef& def : kChecks)
        if (!def.skipped(run)) def.ask(run);
    run.answers.fetch(opts);
    VerifyResult r;
    for (const CheckDef& def : kChecks) {
        const char* why = def.skipped(run);
        r.checks.push_back(why ? VerifyCheck{def.id, CheckStatus::unknown, why, {}}
                               : def.check(run));
    }
    r.servers = run.states;
    r.delegation_switched = run.switched();
    r.switched_at = switch_time(run);
    r.longest_ttl = run.longest_ttl;
    decide(r, profile, opts.now);
    return r;
}

}  // namespace zonegen
