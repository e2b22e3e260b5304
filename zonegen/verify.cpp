#include "zonegen/verify.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "backends/dnsquery.hpp"
#include "zonegen/atomic_file.hpp"
#include "zonegen/customer_networks.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/input.hpp"

namespace zonegen {
namespace {

struct Server {
    std::string label;  // "ns1.example.net. (192.0.2.53)"
    std::string address;
    std::uint16_t port = 53;
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
            a, ns.dns_port};
}

Server server_of(const Endpoint& e, const std::string& what) {
    return {what + " " + e.to_string(), e.address, e.port.value_or(53)};
}

// Every query verify makes, asked up front in parallel (see query_all): the checks below
// then read the answers. The list follows the checks' own order and conditions.
class Answers {
  public:
    Answers(const Spec& spec, const VerifyOptions& opts, const Desired& want,
            const std::vector<Server>& ours) {
        const Name& zone = spec.domain;
        for (const auto& s : ours) {
            add(s, zone, rrtype::SOA);
            for (const RRset& set : want.zone.rrsets())
                if (set.type != rrtype::SOA &&
                    (set.type != rrtype::NS || spec.pattern == Pattern::A))
                    add(s, set.owner, set.type);
        }
        if (spec.pattern == Pattern::B && !spec.customer_primary.empty()) {
            Server p = server_of(spec.customer_primary.front(), "customer primary");
            add(p, zone, rrtype::SOA);
            add(p, zone, rrtype::NS);
        }
        if (opts.parent_server) {
            Server p = server_of(*opts.parent_server, "parent");
            add(p, zone, rrtype::NS);
            add(p, zone, rrtype::DS);
        }
        if (opts.old_server) {
            Server o = server_of(*opts.old_server, "old server");
            add(o, zone, rrtype::SOA);
            for (const RRset& set : want.zone.rrsets())
                if (set.type != rrtype::SOA && set.type != rrtype::NS && set.type != rrtype::TXT)
                    add(o, set.owner, set.type);
            add(o, zone, rrtype::NS);
        }
        if (opts.trace)
            for (std::size_t i = 0; i < questions_.size(); ++i)
                opts.trace("query " + labels_[i] + " " + questions_[i].name.to_string() + " " +
                           type_name(questions_[i].type));
        QueryBudget budget;
        budget.timeout_ms = opts.timeout_ms;
        budget.deadline_ms = opts.deadline_ms;
        answers_ = query_all(questions_, budget);
    }

    // The answer to a question asked above (an unanswered one when it was not asked).
    DnsAnswer get(const Server& s, const Name& n, RRType t) const {
        for (std::size_t i = 0; i < questions_.size(); ++i)
            if (questions_[i].address == s.address && questions_[i].port == s.port &&
                questions_[i].type == t && questions_[i].name == n)
                return answers_[i];
        return {};
    }

  private:
    void add(const Server& s, const Name& n, RRType t) {
        questions_.push_back({s.address, s.port, n, t});
        labels_.push_back(s.label);
    }
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

}  // namespace

bool VerifyResult::problem() const {
    return std::any_of(checks.begin(), checks.end(),
                       [](const VerifyCheck& c) { return c.status == "problem"; });
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
    VerifyResult r;
    const Name& zone = spec.domain;
    GenerateOptions go;
    go.serial = 1;
    Desired want = build_desired(spec, profile, go);

    // 1. Our servers.
    std::vector<Server> ours;
    if (spec.pattern == Pattern::A)
        for (const auto& ns : profile.nameservers) ours.push_back(server_of(ns));
    else if (spec.pattern == Pattern::B)
        ours.push_back(server_of(profile.pattern_b_secondary()));
    const Answers answers(spec, opts, want, ours);
    auto q = [&](const Server& s, const Name& n, RRType t) { return answers.get(s, n, t); };
    std::set<Name> our_names;
    for (const auto& ns : profile.nameservers) our_names.insert(ns.name);
    std::set<Name> serving;  // ours that serve the zone
    {
        VerifyCheck c{"our-servers", "ok", "", {}};
        std::optional<std::uint32_t> first_serial;
        for (const auto& s : ours) {
            auto a = q(s, zone, rrtype::SOA);
            if (!a.answered) {
                c.status = "problem";
                c.evidence.push_back(s.label + ": no answer within " +
                                     std::to_string(opts.timeout_ms) + " ms");
                continue;
            }
            auto soa = a.rdata(zone, rrtype::SOA);
            if (!a.aa || a.rcode != "NOERROR" || soa.empty()) {
                c.status = "problem";
                c.evidence.push_back(s.label + ": does not serve " + zone.to_string() + " (" +
                                     a.rcode + (a.aa ? "" : ", not authoritative") + ")");
                continue;
            }
            std::uint32_t serial = parse_soa(soa.front())->serial;
            c.evidence.push_back(s.label + ": serves the zone, serial " + std::to_string(serial));
            for (const auto& ns : profile.nameservers)
                if (server_of(ns).label == s.label) serving.insert(ns.name);
            if (!first_serial) first_serial = serial;
            if (serial != *first_serial) {
                c.status = "problem";
                c.evidence.push_back(s.label + ": serial " + std::to_string(serial) +
                                     " differs from " + std::to_string(*first_serial) +
                                     " (a secondary lagging behind)");
            }
            // The records the spec wants (the NS set only where we hold the whole zone).
            for (const RRset& set : want.zone.rrsets()) {
                const RRKey k{set.owner, set.type};
                if (k.type == rrtype::SOA || (k.type == rrtype::NS && spec.pattern != Pattern::A))
                    continue;
                auto ra = q(s, k.owner, k.type);
                if (!ra.answered) {
                    c.status = "problem";
                    c.evidence.push_back(s.label + ": " + k.owner.to_string() + " " +
                                         type_name(k.type) + ": no answer");
                    continue;
                }
                auto got = ra.rdata(k.owner, k.type);
                auto exp = set.rdata();
                if (k.type == rrtype::TXT) {  // other TXT values may stand beside ours
                    bool all = std::all_of(exp.begin(), exp.end(), [&](const std::string& x) {
                        return std::find(got.begin(), got.end(), x) != got.end();
                    });
                    if (all) continue;
                } else if (got == exp) {
                    continue;
                }
                c.status = "problem";
                c.evidence.push_back(s.label + ": " + k.owner.to_string() + " " +
                                     type_name(k.type) + " is " + shown(k.type, got) + ", want " +
                                     shown(k.type, exp));
            }
        }
        if (spec.pattern == Pattern::C)
            c.message = "pattern C: nothing of the zone is on our servers";
        else
            c.message = c.status == "ok" ? "our servers serve the zone with the same serial and "
                                           "the records the spec wants"
                                         : "our servers are not ready";
        // B: the primary's view.
        if (spec.pattern == Pattern::B && !spec.customer_primary.empty()) {
            Server p = server_of(spec.customer_primary.front(), "customer primary");
            auto a = q(p, zone, rrtype::SOA);
            auto soa = a.rdata(zone, rrtype::SOA);
            if (soa.empty()) {
                c.status = "problem";
                c.evidence.push_back(p.label + ": does not answer for the zone");
            } else {
                std::uint32_t ps = parse_soa(soa.front())->serial;
                c.evidence.push_back(p.label + ": serial " + std::to_string(ps));
                if (first_serial && *first_serial != ps) {
                    c.status = "problem";
                    c.evidence.push_back("our secondary is at serial " +
                                         std::to_string(*first_serial) + ", the primary at " +
                                         std::to_string(ps) + ": transfers are not arriving");
                } else if (!first_serial) {
                    c.evidence.push_back(
                        "our secondary has not transferred the zone: the primary must allow AXFR "
                        "to it");
                }
                auto ns = q(p, zone, rrtype::NS).rdata(zone, rrtype::NS);
                const auto& sec = profile.pattern_b_secondary();
                if (std::find(ns.begin(), ns.end(), sec.name.wire()) == ns.end()) {
                    c.status = "problem";
                    c.evidence.push_back(p.label + ": its NS set lacks our secondary " +
                                         sec.name.to_string());
                }
            }
        }
        r.checks.push_back(std::move(c));
    }

    // 2. The delegation at the parent.
    std::set<Name> expected;
    if (spec.pattern == Pattern::A)
        for (const auto& ns : profile.nameservers) expected.insert(ns.name);
    else
        for (const auto& ns : spec.customer_nameservers) expected.insert(ns.name);
    if (spec.pattern == Pattern::B) expected.insert(profile.pattern_b_secondary().name);
    std::uint32_t parent_ns_ttl = 0;
    {
        VerifyCheck c{"delegation", "unknown", "", {}};
        if (!opts.parent_server) {
            c.message = "not checked: give --parent-server (a server of the parent zone)";
        } else {
            Server p = server_of(*opts.parent_server, "parent");
            auto a = q(p, zone, rrtype::NS);
            if (!a.answered) {
                c.message = "the parent server does not answer";
                c.evidence.push_back(p.label + ": no answer within " +
                                     std::to_string(opts.timeout_ms) + " ms");
            } else {
                std::set<Name> got;
                for (const auto* sec : {&a.authority, &a.answer})
                    for (const auto& rr : *sec)
                        if (rr.type == rrtype::NS && rr.owner == zone) {
                            if (auto t = rdata_target(rrtype::NS, rr.rdata)) got.insert(*t);
                            parent_ns_ttl = std::max(parent_ns_ttl, rr.ttl);
                        }
                std::string gs;
                for (const auto& n : got) gs += " " + n.to_string();
                c.evidence.push_back(p.label + ": NS" + (gs.empty() ? " (none)" : gs) + ", TTL " +
                                     std::to_string(parent_ns_ttl));
                r.delegation_switched = got == expected;
                c.status = "ok";
                c.message = r.delegation_switched
                                ? "the parent delegates to the expected name servers"
                                : "the parent still delegates elsewhere: not switched yet";
                // Lame: the parent names a server of ours that does not serve the zone.
                for (const auto& n : got)
                    if (our_names.count(n) && !serving.count(n) && spec.pattern != Pattern::C) {
                        c.status = "problem";
                        c.evidence.push_back("lame delegation: " + n.to_string() +
                                             " is ours but does not serve the zone");
                    }
                // Glue for name servers inside the domain.
                for (const auto& ns : spec.customer_nameservers) {
                    if (!ns.name.is_subdomain_of(zone) || !got.count(ns.name)) continue;
                    std::vector<std::string> glue;
                    for (const auto& rr : a.additional)
                        if (rr.owner == ns.name &&
                            (rr.type == rrtype::A || rr.type == rrtype::AAAA))
                            glue.push_back(rdata_text(rr.type, rr.rdata));
                    std::vector<std::string> want_glue = ns.ipv4;
                    want_glue.insert(want_glue.end(), ns.ipv6.begin(), ns.ipv6.end());
                    std::sort(glue.begin(), glue.end());
                    std::sort(want_glue.begin(), want_glue.end());
                    if (glue != want_glue) {
                        c.status = "problem";
                        c.evidence.push_back(
                            "glue for " + ns.name.to_string() + " is " +
                            (glue.empty() ? std::string("missing") : glue.front()) + ", want " +
                            (want_glue.empty() ? std::string("none") : want_glue.front()));
                    }
                }
                auto ds = q(p, zone, rrtype::DS).rdata(zone, rrtype::DS);
                if (!ds.empty()) {
                    c.status = "problem";
                    c.evidence.push_back(
                        p.label +
                        ": publishes a DS, but the zone is not signed by us: validating "
                        "resolvers will fail; remove the DS at the registrar");
                }
            }
        }
        r.checks.push_back(std::move(c));
    }

    // 3. The switch time and the old server.
    if (opts.switched_at) {
        r.switched_at = opts.switched_at;
        r.delegation_switched = true;
    } else if (!opts.state_file.empty()) {
        auto seen = read_state(opts.state_file);
        if (seen) r.switched_at = seen;
        if (r.delegation_switched && !seen) {
            r.switched_at = opts.now;
            write_file_atomic(opts.state_file,
                              nlohmann::json{{"zone", zone.to_string()},
                                             {"switched_at", opts.now},
                                             {"switched_at_text", format_time(opts.now)}}
                                      .dump(2) +
                                  "\n");
        }
    } else if (r.delegation_switched) {
        r.switched_at = opts.now;
    }
    r.longest_ttl = parent_ns_ttl;
    {
        VerifyCheck c{"old-server", "unknown", "", {}};
        if (!opts.old_server) {
            c.message = "not checked: give --old-server ADDR[:PORT]";
        } else {
            Server o = server_of(*opts.old_server, "old server");
            auto soa = q(o, zone, rrtype::SOA);
            if (!soa.answered) {
                c.status = r.delegation_switched ? "ok" : "unknown";
                c.message = r.delegation_switched
                                ? "the old server no longer answers (fine after the switch)"
                                : "the old server does not answer";
                c.evidence.push_back(o.label + ": no answer within " +
                                     std::to_string(opts.timeout_ms) + " ms");
            } else {
                c.status = "ok";
                std::vector<std::string> differ;
                std::size_t unanswered = 0;
                for (const RRset& set : want.zone.rrsets()) {
                    const RRKey k{set.owner, set.type};
                    if (k.type == rrtype::SOA || k.type == rrtype::NS || k.type == rrtype::TXT)
                        continue;
                    auto a = q(o, k.owner, k.type);
                    if (!a.answered) {
                        ++unanswered;
                        continue;
                    }
                    for (const auto& rr : a.answer) r.longest_ttl = std::max(r.longest_ttl, rr.ttl);
                    auto got = a.rdata(k.owner, k.type);
                    if (got != set.rdata())
                        differ.push_back(k.owner.to_string() + " " + type_name(k.type) + " " +
                                         shown(k.type, got));
                }
                auto ns = q(o, zone, rrtype::NS);
                for (const auto& rr : ns.answer) r.longest_ttl = std::max(r.longest_ttl, rr.ttl);
                c.message = differ.empty()
                                ? "the old server already answers like ours"
                                : std::to_string(differ.size()) +
                                      " names still answer differently on the old server";
                for (const auto& d : differ) c.evidence.push_back(o.label + ": " + d);
                if (unanswered)
                    c.evidence.push_back(o.label + ": " + std::to_string(unanswered) +
                                         " queries unanswered (it stopped answering, or "
                                         "verify's --deadline-ms came first)");
            }
            c.evidence.push_back("longest TTL in play: " + std::to_string(r.longest_ttl) + " s");
        }
        r.checks.push_back(std::move(c));
    }

    // 4. The verdict.
    bool ours_ok = r.checks[0].status == "ok";
    if (!r.delegation_switched) {
        r.verdict = ours_ok ? "ready to switch" : "not ready to switch";
    } else {
        std::time_t sw = r.switched_at.value_or(opts.now);
        std::time_t parallel = static_cast<std::time_t>(profile.parallel_min_days) * 86400;
        r.safe_after = sw + std::max<std::time_t>(parallel, r.longest_ttl);
        if (opts.now < *r.safe_after)
            r.verdict = "switched, parallel operation until " + format_time(*r.safe_after);
        else
            r.verdict = "safe to cancel the old server (once no more mail arrives there)";
    }
    return r;
}

nlohmann::json verify_json(const VerifyResult& r) {
    auto checks = nlohmann::json::array();
    for (const auto& c : r.checks)
        checks.push_back({{"check", c.id},
                          {"status", c.status},
                          {"message", c.message},
                          {"evidence", c.evidence}});
    auto t = [](const std::optional<std::time_t>& x) {
        return x ? nlohmann::json(format_time(*x)) : nlohmann::json(nullptr);
    };
    return {{"verdict", r.verdict},
            {"problem", r.problem()},
            {"delegation_switched", r.delegation_switched},
            {"switched_at", t(r.switched_at)},
            {"safe_after", t(r.safe_after)},
            {"longest_ttl", r.longest_ttl},
            {"checks", checks}};
}

std::string verify_text(const VerifyResult& r) {
    std::string out = r.verdict + "\n";
    for (const auto& c : r.checks) {
        out += c.status + std::string(c.status.size() < 8 ? 8 - c.status.size() : 1, ' ') + c.id +
               ": " + c.message + "\n";
        for (const auto& e : c.evidence) out += "        " + e + "\n";
    }
    if (r.verdict.rfind("safe to cancel", 0) == 0)
        out +=
            "The parallel period is over; cancel the old server only once the customer confirms no "
            "more mail "
            "arrives there.\n";
    return out;
}

}  // namespace zonegen
