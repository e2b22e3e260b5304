#include "validators/caa.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "validators/checks.hpp"
#include "validators/policy_text.hpp"

namespace zonegen {
namespace {

bool is_wsp(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim_wsp(std::string_view s) {
    while (!s.empty() && is_wsp(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_wsp(s.back())) s.remove_suffix(1);
    return s;
}

bool alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// label and tag: (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT)) (RFC 8659 section 4.2).
bool ldh_label(std::string_view s) {
    if (s.empty() || !alnum(s.front()) || !alnum(s.back())) return false;
    for (char c : s)
        if (!alnum(c) && c != '-') return false;
    return true;
}

bool issuer_domain_name(std::string_view s) {
    for (;;) {
        auto dot = s.find('.');
        if (!ldh_label(s.substr(0, dot))) return false;
        if (dot == std::string_view::npos) return true;
        s.remove_prefix(dot + 1);
    }
}

// value = *(%x21-3A / %x3C-7E): printable ASCII but for space and ';'.
bool parameter_value(std::string_view s) {
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x21 || u > 0x7e || u == 0x3b) return false;
    }
    return true;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The tags RFC 8659 defines. A CA refuses to issue under a critical property with any other
// tag (section 4.1).
bool known_tag(const std::string& tag) {
    return tag == "issue" || tag == "issuewild" || tag == "iodef";
}

// The critical flag is 128. Let's Encrypt reads flag 1 as critical too (so many publishers set
// it by mistake that its CA software treats it as an alias), so zonegen does as well.
bool critical(std::uint8_t flags) {
    return (flags & (128 | 1)) != 0;
}

std::string caa_line(const Name& owner, const std::string& tag, const std::string& ca) {
    return "`" + owner.to_string() + " CAA 0 " + tag + " \"" + ca + "\"`";
}

std::string shown(const CertName& n) {
    return (n.wildcard ? "*." : "") + n.name.to_string();
}

std::string join_names(const std::vector<CertName>& ns) {
    std::string s;
    for (const auto& n : ns) s += (s.empty() ? "" : ", ") + shown(n);
    return s;
}

// What one relevant set says about the certificates of one kind (issue for a name,
// issuewild-or-issue for a wildcard).
struct Verdict {
    bool permitted = true;
    std::vector<std::string> constraints;  // when permitted only with parameters
};

bool binds_account(const CaaIssue& iv) {
    for (const auto& kv : iv.parameters)
        if (kv.first == "accounturi") return true;
    return false;
}

// RFC 8659 section 4.2 and 4.3, RFC 8657: is `ca` permitted by `props` (the issue, or the
// issuewild, properties of the relevant set)? None at all permits every CA.
Verdict verdict(const std::vector<const CaaProperty*>& props, const std::string& ca) {
    if (props.empty()) return {};
    Verdict v{false, {}};
    for (const auto* p : props) {
        CaaIssue iv = parse_caa_issue(p->value);
        if (!iv.valid || iv.issuer != ca) continue;
        // An account URI names the ACME account of whoever wrote the record (the old host's,
        // in a migration): the managed server's account is another, so the CA refuses it.
        if (binds_account(iv)) continue;
        std::vector<std::string> cs;
        for (const auto& [tag, value] : iv.parameters) {
            if (tag == "validationmethods")
                cs.push_back("validationmethods=" + value +
                             " (RFC 8657 section 4: the managed server must validate by one of "
                             "these methods)");
        }
        if (cs.empty()) return {true, {}};  // an unconstrained permission wins
        v.permitted = true;
        for (auto& c : cs) v.constraints.push_back(std::move(c));
    }
    return v;
}

// Why `props` do not permit `ca`, for the message.
std::string refusal(const std::vector<const CaaProperty*>& props, const std::string& ca) {
    std::set<std::string> issuers;
    std::string malformed;
    for (const auto* p : props) {
        CaaIssue iv = parse_caa_issue(p->value);
        if (iv.valid && !iv.issuer.empty()) issuers.insert(iv.issuer);
        if (!iv.valid && p->value.find(ca) != std::string::npos)
            malformed = "; `" + p->tag + " \"" + p->value +
                        "\"` does not follow RFC 8659's grammar, and a CA ignores it";
        if (iv.valid && iv.issuer == ca && binds_account(iv))
            malformed = "; `" + p->tag + " \"" + p->value +
                        "\"` permits only that ACME account (RFC 8657 section 3), not the "
                        "managed server's";
        if (iv.valid && iv.issuer != ca && lower(iv.issuer) == ca)
            malformed =
                "; CAs compare the issuer exactly, so `" + iv.issuer + "` is not `" + ca + "`";
    }
    std::string s;
    for (const auto& i : issuers) s += (s.empty() ? "" : ", ") + i;
    const std::string tag = props.front()->tag;
    if (s.empty()) return "`" + tag + " \";\"` forbids every CA" + malformed;
    return "they permit only " + s + malformed;
}

struct Group {
    std::vector<CertName> names, wild;
};

}  // namespace

std::optional<CaaProperty> parse_caa(std::string_view w) {
    if (w.size() < 2) return std::nullopt;
    std::size_t len = static_cast<unsigned char>(w[1]);
    if (len == 0 || 2 + len > w.size()) return std::nullopt;
    CaaProperty p;
    p.flags = static_cast<std::uint8_t>(w[0]);
    p.tag = lower(std::string(w.substr(2, len)));
    p.value = std::string(w.substr(2 + len));
    return p;
}

CaaIssue parse_caa_issue(std::string_view value) {
    CaaIssue out;
    auto semi = value.find(';');
    std::string_view domain = trim_wsp(value.substr(0, semi));
    if (!domain.empty() && !issuer_domain_name(domain)) return out;
    out.issuer = std::string(domain);
    if (semi != std::string_view::npos) {
        std::string_view rest = value.substr(semi + 1);
        if (!trim_wsp(rest).empty()) {
            for (;;) {
                auto next = rest.find(';');
                std::string_view param = rest.substr(0, next);
                auto eq = param.find('=');
                if (eq == std::string_view::npos) return out;
                std::string_view tag = trim_wsp(param.substr(0, eq));
                std::string_view val = trim_wsp(param.substr(eq + 1));
                if (!ldh_label(tag) || !parameter_value(val)) return out;
                out.parameters.emplace_back(std::string(tag), std::string(val));
                if (next == std::string_view::npos) break;
                rest.remove_prefix(next + 1);
            }
        }
    }
    out.valid = true;
    return out;
}

namespace {

// CAA(X) as a lookup answers it (RFC 8659 section 3, RFC 1034 section 4.3.2): the CAA rrset
// at X, or at the end of its CNAME chain while that stays in the zone.
const RRset* caa_at(const Zone& z, Name n) {
    for (int hops = 0; hops < 8; ++hops) {
        if (const RRset* s = z.find(n, rrtype::CAA)) return s;
        const RRset* cname = z.find(n, rrtype::CNAME);
        if (!cname || cname->rrs.empty()) return nullptr;
        auto target = rdata_target(rrtype::CNAME, cname->rrs.front().rdata);
        if (!target || !target->is_subdomain_of(z.origin())) return nullptr;
        n = *target;
    }
    return nullptr;
}

}  // namespace

const RRset* relevant_caa(const Zone& z, const Name& name) {
    const Name& apex = z.origin();
    if (!name.is_subdomain_of(apex)) return nullptr;
    for (Name n = name; n != apex; n = n.parent())
        if (z.find(n, rrtype::NS)) return nullptr;  // the child zone's CAA decides
    for (Name n = name;; n = n.parent()) {
        if (const RRset* s = caa_at(z, n)) return s;
        if (n == apex) return nullptr;
    }
}

std::vector<CertName> certificate_names(const Zone& zone, const Spec& spec) {
    const Name& apex = zone.origin();
    std::set<CertName> out;
    if (spec.web) {
        out.insert({apex, false});
        out.insert({apex.prepend("www"), false});
    }
    std::set<std::string, std::less<>> v4, v6;
    for (const auto& a : spec.server.ipv4) v4.insert(parse_rdata(rrtype::A, a, apex));
    for (const auto& a : spec.server.ipv6) v6.insert(parse_rdata(rrtype::AAAA, a, apex));
    for (const RRset& s : zone.rrsets()) {
        if (!s.owner.is_subdomain_of(apex)) continue;
        bool points = false;
        for (const auto& rr : s.rrs) {
            if (s.type == rrtype::A) points |= v4.count(rr.rdata) > 0;
            if (s.type == rrtype::AAAA) points |= v6.count(rr.rdata) > 0;
            if (s.type == rrtype::CNAME)
                points |= rdata_target(rrtype::CNAME, rr.rdata) == spec.server.name;
        }
        if (points)
            out.insert(s.owner.is_wildcard() ? CertName{s.owner.parent(), true}
                                             : CertName{s.owner, false});
    }
    return {out.begin(), out.end()};
}

std::vector<Finding> check_caa(const Zone& zone, const std::vector<CertName>& names,
                               const std::vector<std::string>& cas) {
    std::vector<Finding> out;
    if (cas.empty()) return out;
    // The names by their relevant set, in the zone's order.
    std::map<RRKey, Group> groups;
    for (const auto& n : names)
        if (const RRset* s = relevant_caa(zone, n.name)) {
            Group& g = groups[RRKey{s->owner, rrtype::CAA}];
            (n.wildcard ? g.wild : g.names).push_back(n);
        }
    for (const auto& [key, g] : groups) {
        const RRset& set = *zone.find(key.owner, key.type);
        std::vector<CaaProperty> props;
        for (const auto& rr : set.rrs)
            if (auto p = parse_caa(rr.rdata)) props.push_back(*p);
        std::vector<CertName> all = g.names;
        all.insert(all.end(), g.wild.begin(), g.wild.end());
        bool stop = false;
        for (const auto& p : props) {
            if (stop || known_tag(p.tag) || !critical(p.flags)) continue;
            out.push_back(make_finding(
                "caa-forbids-ca", &set.owner, rrtype::CAA,
                "the CAA records at " + set.owner.to_string() + " hold `" +
                    std::to_string(p.flags) + " " + p.tag + " \"" + p.value +
                    "\"`, a critical property whose tag CAs do not know: no CA may issue a "
                    "certificate for " +
                    join_names(all) + " (RFC 8659 section 4.1). Remove it, or set its flag to 0",
                set.line()));
            stop = true;
        }
        if (stop) continue;
        std::vector<const CaaProperty*> issue, issuewild;
        for (const auto& p : props) {
            if (p.tag == "issue") issue.push_back(&p);
            if (p.tag == "issuewild") issuewild.push_back(&p);
        }
        // Wildcard certificates follow issuewild when there is one, else issue (section 4.3).
        const auto& wild_props = issuewild.empty() ? issue : issuewild;
        for (const auto& ca : cas) {
            Verdict plain = verdict(issue, ca), wild = verdict(wild_props, ca);
            std::vector<CertName> refused, bound;
            std::vector<std::string> fixes, why, constraints, loosen;
            auto judge = [&](const std::vector<CertName>& ns, const Verdict& v,
                             const std::vector<const CaaProperty*>& ps, const std::string& tag) {
                if (ns.empty()) return;
                if (!v.permitted) {
                    refused.insert(refused.end(), ns.begin(), ns.end());
                    fixes.push_back(caa_line(set.owner, tag, ca));
                    why.push_back(refusal(ps, ca));
                } else if (!v.constraints.empty()) {
                    bound.insert(bound.end(), ns.begin(), ns.end());
                    loosen.push_back(caa_line(set.owner, tag, ca));
                    for (const auto& c : v.constraints)
                        if (std::find(constraints.begin(), constraints.end(), c) ==
                            constraints.end())
                            constraints.push_back(c);
                }
            };
            judge(g.names, plain, issue, "issue");
            judge(g.wild, wild, wild_props, issuewild.empty() ? "issue" : "issuewild");
            if (!refused.empty()) {
                std::string fix, reason;
                for (const auto& f : fixes)
                    if (fix.find(f) == std::string::npos) fix += (fix.empty() ? "" : " and ") + f;
                for (const auto& r : why)
                    if (reason.find(r) == std::string::npos)
                        reason += (reason.empty() ? "" : "; ") + r;
                out.push_back(make_finding(
                    "caa-forbids-ca", &set.owner, rrtype::CAA,
                    "the CAA records at " + set.owner.to_string() + " do not permit " + ca +
                        ", the certificate authority of the managed server, to issue "
                        "certificates for " +
                        join_names(refused) + " (" + reason + "): add " + fix +
                        " (RFC 8659), or the server's HTTPS certificates cannot be issued",
                    set.line()));
            }
            if (!bound.empty()) {
                std::string c, fix;
                for (const auto& x : constraints) c += (c.empty() ? "" : " and ") + x;
                for (const auto& f : loosen)
                    if (fix.find(f) == std::string::npos) fix += (fix.empty() ? "" : " and ") + f;
                out.push_back(make_finding(
                    "caa-constrained", &set.owner, rrtype::CAA,
                    "the CAA records at " + set.owner.to_string() + " permit " + ca +
                        " to issue certificates for " + join_names(bound) + " only with " + c +
                        ": otherwise the CA refuses. Make sure the managed server meets that, "
                        "or add " +
                        fix + " to permit it without conditions",
                    set.line()));
            }
        }
    }
    return out;
}

namespace {

// tag = (ALPHA / DIGIT) 0*14(ALPHA / DIGIT) (RFC 8659 section 4.1).
bool caa_tag(const std::string& tag) {
    if (tag.empty() || tag.size() > 15) return false;
    return std::all_of(tag.begin(), tag.end(), alnum);
}

// iodef (RFC 8659 section 4.4): a mailto: URI, or an http: or https: URI of an IODEF service.
bool iodef_url(const std::string& value) {
    std::string v = lower(value);
    if (v.rfind("mailto:", 0) == 0) return report_uri_problem(value, false).empty();
    if (v.rfind("http:", 0) == 0)
        return report_uri_problem("https:" + value.substr(5), false).empty();
    return v.rfind("https:", 0) == 0 && report_uri_problem(value, false).empty();
}

// What is wrong with one property for caa-syntax ("" when nothing).
std::string caa_syntax_problem(const CaaProperty& p) {
    if (!caa_tag(p.tag)) return "the tag is not 1-15 letters and digits (RFC 8659 section 4.1)";
    if (p.flags != 0 && p.flags != 128)
        return "flags " + std::to_string(p.flags) +
               ": only 0 and 128 (critical) are defined (RFC 8659 section 4.1)";
    if ((p.tag == "issue" || p.tag == "issuewild") && !parse_caa_issue(p.value).valid)
        return "the value is not `issuer-domain; tag=value ...` (RFC 8659 section 4.2): CAs "
               "ignore it, so it permits no CA";
    if (p.tag == "iodef" && !iodef_url(p.value))
        return "the iodef value is not a mailto: or http(s): URI (RFC 8659 section 4.4)";
    return "";
}

}  // namespace

std::vector<Finding> check_caa_syntax(const Zone& zone, const std::vector<std::string>& reported) {
    std::vector<Finding> out;
    for (const RRset& set : zone.rrsets()) {
        if (set.type != rrtype::CAA) continue;
        const std::string owner = set.owner.to_string();
        for (const auto& rr : set.rrs) {
            auto p = parse_caa(rr.rdata);
            if (!p) continue;  // the zone reader refuses a CAA without a tag
            std::string shown =
                "`" + std::to_string(p->flags) + " " + p->tag + " \"" + p->value + "\"`";
            if (critical(p->flags) && !known_tag(p->tag)) {
                if (std::find(reported.begin(), reported.end(), owner) == reported.end())
                    out.push_back(make_finding(
                        "caa-critical-unknown", &set.owner, rrtype::CAA,
                        "the CAA property " + shown +
                            " is critical and its tag is not one CAs know: no CA may issue a "
                            "certificate for " +
                            owner +
                            " or the names below it that use this CAA set (RFC 8659 "
                            "section 4.1). Remove it, or set its flag to 0",
                        rr.line));
                continue;
            }
            if (auto why = caa_syntax_problem(*p); !why.empty())
                out.push_back(make_finding("caa-syntax", &set.owner, rrtype::CAA,
                                           "the CAA property " + shown + ": " + why, rr.line));
        }
    }
    return out;
}

}  // namespace zonegen
