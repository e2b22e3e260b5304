#include "validators/checks.hpp"

#include <arpa/inet.h>
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "validators/caa.hpp"
#include "validators/dkim.hpp"
#include "validators/mail.hpp"
#include "validators/mta_sts.hpp"
#include "zonegen/address.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/old_hosts.hpp"
#include "zonegen/spf.hpp"

namespace zonegen {
namespace {

const std::vector<CheckInfo> kChecks = {
    // syntax (reported by the zone reader)
    {"syntax", Severity::error,
     "the master file does not parse (grammar, escapes, rdata, label or name length)"},
    {"include-refused", Severity::error, "$INCLUDE of a file outside --allow-include DIR"},
    {"owner-outside-zone", Severity::warning,
     "a record whose owner is not in the zone (ignored, as BIND and Knot do)"},
    {"ttl-range", Severity::warning, "a TTL above 2147483647 (RFC 2181 section 8: read as zero)"},
    {"hostname-syntax", Severity::warning,
     "a host name (address owner, NS, MX or SRV target) that is not LDH (RFC 952/1123)"},
    {"target-ip-literal", Severity::warning,
     "an NS, MX or SRV target that is written as an IP address"},
    // rrsets
    {"cname-and-other-data", Severity::error, "CNAME beside other data (RFC 1034 section 3.6.2)"},
    {"cname-multiple", Severity::error, "more than one CNAME at a name (RFC 2181 section 10.1)"},
    {"dname-multiple", Severity::error, "more than one DNAME at a name (RFC 6672 section 2.4)"},
    {"dname-and-ns", Severity::error,
     "DNAME and NS at one name below the apex (RFC 6672 section 2.3)"},
    {"duplicate-record", Severity::warning, "the same record twice (one is ignored)"},
    {"ttl-mixed", Severity::warning,
     "records of one rrset with different TTLs (RFC 2181 section 5.2)"},
    {"data-below-dname", Severity::error, "data below a DNAME (RFC 6672 section 2.4)"},
    {"data-below-delegation", Severity::warning,
     "data other than glue below a delegation (occluded, never served)"},
    {"target-is-cname", Severity::error,
     "an NS, MX or SRV target that is a CNAME (RFC 2181 section 10.3, RFC 2782)"},
    // zone
    {"soa-missing", Severity::error, "no SOA at the zone apex"},
    {"soa-multiple", Severity::error, "more than one SOA"},
    {"soa-not-at-apex", Severity::error, "an SOA below the zone apex"},
    {"soa-timers", Severity::warning, "SOA timers outside Zonemaster's ranges"},
    {"ns-apex-missing", Severity::error, "no NS at the zone apex"},
    {"ns-apex-count", Severity::warning,
     "fewer than two NS at the zone apex (RFC 1034 section 4.1)"},
    {"ns-target-no-address", Severity::error, "an in-zone name server without A or AAAA"},
    {"glue-missing", Severity::error, "a name server at or below a delegation without glue"},
    {"mx-target-no-address", Severity::warning,
     "an in-zone MX target without A or AAAA (mail to it bounces)"},
    {"ds-at-apex", Severity::error, "a DS at the zone apex (DS belongs in the parent)"},
    {"ds-not-at-delegation", Severity::warning, "a DS at a name that is not a delegation"},
    {"dnskey-not-at-apex", Severity::warning, "a DNSKEY below the zone apex"},
    // mail
    {"spf-multiple", Severity::error,
     "more than one v=spf1 record at a name (RFC 7208 section 3.2)"},
    {"spf-syntax", Severity::warning, "an SPF record that does not follow RFC 7208's grammar"},
    {"spf-lookups", Severity::warning,
     "an SPF record that needs more than 10 DNS lookups (RFC 7208 section 4.6.4)"},
    {"spf-include-unknown", Severity::warning,
     "an SPF include: outside the zone, whose lookups cannot be counted offline"},
    {"dmarc-syntax", Severity::warning, "a DMARC record that does not follow RFC 7489"},
    {"dmarc-multiple", Severity::error,
     "more than one v=DMARC1 record at a _dmarc name (RFC 7489 section 6.6.3: no policy "
     "applies)"},
    {"mta-sts-syntax", Severity::warning,
     "an _mta-sts TXT that does not follow RFC 8461 section 3.1, or more than one v=STSv1"},
    {"tls-rpt-syntax", Severity::warning,
     "an _smtp._tls TXT that does not follow RFC 8460 section 3, or more than one v=TLSRPTv1"},
    {"mx-target-ipv6-only", Severity::warning,
     "an in-zone MX target with AAAA but no A (senders with only IPv4 cannot reach it)"},
    {"dkim-syntax", Severity::warning,
     "a DKIM key record (at *._domainkey) whose tags do not follow RFC 6376 section 3.6.1"},
    {"dkim-key-invalid", Severity::error,
     "a DKIM key record whose p= is not base64 of a public key of its k= type (cut short?)"},
    {"dkim-key-weak", Severity::error,
     "a DKIM RSA key under 1024 bits (verifiers refuse it, RFC 8301 section 3.2)"},
    {"dkim-key-short", Severity::warning,
     "a DKIM RSA key under 2048 bits (RFC 8301 section 3.2: 2048 is the size to use)"},
    {"null-mx-not-alone", Severity::error,
     "a null MX (MX 0 .) beside another MX at a name (RFC 7505 section 3)"},
    {"mta-sts-stale", Severity::warning,
     "an MTA-STS policy kept while mail moves to the managed server (it names the old MX hosts)"},
    {"mta-sts-mx-uncertified", Severity::warning,
     "an MX host without a certificate of the managed server's (mail.mta_sts.certified_names) "
     "in the MTA-STS policy zonegen publishes: an error in mode enforce"},
    {"mta-sts-enforce-uncertified", Severity::error,
     "MTA-STS mode enforce without a certificate for mta-sts.<domain> on the policy host"},
    // certificates
    {"caa-forbids-ca", Severity::error,
     "the CAA records of a name the managed server serves do not permit its certificate "
     "authority (RFC 8659)"},
    {"caa-withheld", Severity::warning,
     "no default CAA published: names of the zone are served elsewhere, and a CAA for the "
     "managed server's CA alone would stop their certificates"},
    {"caa-constrained", Severity::warning,
     "CAA permits the managed server's certificate authority only with parameters (accounturi, "
     "validationmethods: RFC 8657)"},
    {"caa-syntax", Severity::warning,
     "a CAA record that does not follow RFC 8659 (tag, flags, issue/issuewild or iodef value): "
     "CAs ignore the property"},
    {"caa-critical-unknown", Severity::error,
     "a CAA property with the critical flag and a tag CAs do not know: no CA may issue for "
     "the names below it (RFC 8659 section 4.1)"},
    // pattern (validate --spec)
    {"pattern-ns", Severity::error, "the apex NS set does not fit the DNS pattern"},
    {"pattern-mname", Severity::error, "the SOA MNAME does not fit the DNS pattern"},
    {"pattern-records", Severity::error,
     "a web or mail record does not point at the managed server"},
    {"pattern-spf", Severity::error, "the SPF record does not authorise the managed server"},
    {"mail-undecided", Severity::error,
     "pattern A, mail not a service: no MX and no `mail: none`, so mail would go to the web "
     "server"},
    // spec and generation
    {"mx-external", Severity::error,
     "import_from: the MX points outside the domain (a mail service elsewhere) and moving the "
     "mail would replace it (leave mail out of services, or replace_external_mx: true)"},
    {"dnssec-in-source", Severity::warning,
     "import_from: the old zone is signed (remove the DS before the switch)"},
    {"tld-unknown", Severity::warning, "the TLD is not in the Public Suffix List"},
    {"glue-not-needed", Severity::warning, "addresses given for a name server outside the domain"},
    {"ttl-mixed-refused", Severity::error,
     "generation: records: gives one rrset two different TTLs (refused)"},
    {"ttl-explicit", Severity::warning,
     "generation: a records: TTL differs from the generated rrset's; it applies to all of it"},
    {"server-address-special", Severity::warning,
     "a server: address that is loopback, unspecified, multicast, link-local, broadcast or "
     "reserved"},
};

struct Ctx {
    const Zone& z;
    const ValidateOptions& o;
    std::vector<Finding>& out;
    std::vector<const RRset*> ns, txt;  // the NS and TXT rrsets, in canonical order
    void add(std::string_view id, const Name* owner, std::optional<RRType> type, std::string msg,
             int line = 0) {
        Finding f = make_finding(id, owner, type, std::move(msg), line);
        f.file = line ? o.file : "";
        out.push_back(std::move(f));
    }
};

bool has_address(const Zone& z, const Name& n) {
    return z.find(n, rrtype::A) || z.find(n, rrtype::AAAA);
}

bool looks_like_ip(const Name& n) {
    if (n.is_root() || !std::isdigit(static_cast<unsigned char>(n.wire()[1]))) return false;
    std::string s = n.to_string();
    s.pop_back();
    return canonical_ipv4(s).has_value();
}

// Wildcards supply addresses too (Knot accepts glue from *.ns.example).
bool has_address_or_wildcard(const Zone& z, const Name& n) {
    if (has_address(z, n)) return true;
    for (Name p = n.parent(); p.is_subdomain_of(z.origin()) && !p.is_root(); p = p.parent()) {
        Name w = p.prepend("*");
        if (has_address(z, w)) return true;
        if (p == z.origin()) break;
    }
    return false;
}

// The types that answer for `n`: its own, or when it holds nothing, those of the closest
// wildcard above it in the zone.
std::vector<RRType> answering_types(const Zone& z, const Name& n) {
    auto own = z.types_at(n);
    if (!own.empty()) return own;
    for (Name p = n.parent(); p.is_subdomain_of(z.origin()) && !p.is_root(); p = p.parent()) {
        auto w = z.types_at(p.prepend("*"));
        if (!w.empty()) return w;
        if (p == z.origin()) break;
    }
    return {};
}

// An in-zone MX target needs an address, and an A for the senders that have only IPv4. A
// fragment's target may have its addresses in the customer's zone, unless the fragment gives
// them (an IPv6-only managed server's mail host).
// `own`: the types at the target (in the zone, and not a CNAME).
void check_mx_target(Ctx& c, const Name& owner, const Name& target, const std::vector<RRType>& own,
                     int line) {
    const Zone& z = c.z;
    auto has_in = [](const std::vector<RRType>& ts, RRType t) {
        return std::find(ts.begin(), ts.end(), t) != ts.end();
    };
    bool addressed = has_in(own, rrtype::A) || has_in(own, rrtype::AAAA);
    if (!addressed && !has_address_or_wildcard(z, target)) {
        if (c.o.fragment) return;
        c.add("mx-target-no-address", &owner, rrtype::MX,
              "MX target " + target.to_string() + " is in the zone but has no A or AAAA", line);
        return;
    }
    auto types = own.empty() ? answering_types(z, target) : own;
    if (has_in(types, rrtype::AAAA) && !has_in(types, rrtype::A))
        c.add("mx-target-ipv6-only", &owner, rrtype::MX,
              "MX target " + target.to_string() +
                  " has an AAAA but no A: senders with only IPv4 (still many) cannot deliver "
                  "to it. Give it an A record too, or add an MX host that has one",
              line);
}

// One rrset on its own: duplicates, TTLs, where a type may stand, host names and targets.
void check_rrset(Ctx& c, const RRset& set) {
    const Zone& z = c.z;
    const Name& owner = set.owner;
    RRType t = set.type;
    if (!owner.is_subdomain_of(z.origin())) {
        c.add("owner-outside-zone", &owner, t,
              owner.to_string() + " is outside the zone " + z.origin().to_string(), set.line());
        return;
    }
    // Duplicates (each repeat reported at its own line) and TTLs.
    std::size_t distinct = set.rrs.size();
    if (set.rrs.size() > 1) {
        // The records by rdata, a repeat after its first (stable: in the rrset's order).
        std::vector<std::pair<Rr, std::size_t>> order;
        order.reserve(set.rrs.size());
        for (const Rr& rr : set.rrs) order.emplace_back(rr, order.size());
        std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
            if (a.first.rdata != b.first.rdata) return a.first.rdata < b.first.rdata;
            return a.second < b.second;
        });
        for (std::size_t i = 1; i < order.size(); ++i) {
            const Rr& rr = order[i].first;
            if (rr.rdata != order[i - 1].first.rdata) continue;
            --distinct;
            c.add("duplicate-record", &owner, t,
                  "the same " + type_name(t) + " record appears twice", rr.line);
        }
    }
    for (const auto& rr : set.rrs) {
        if (rr.ttl != set.rrs.front().ttl) {
            c.add("ttl-mixed", &owner, t,
                  "TTL " + std::to_string(rr.ttl) + " differs from " +
                      std::to_string(set.rrs.front().ttl) + " of the rrset's first record",
                  rr.line);
            break;
        }
    }
    for (const auto& rr : set.rrs)
        if (rr.ttl > 2147483647u)
            c.add("ttl-range", &owner, t, "TTL " + std::to_string(rr.ttl) + " is above 2147483647",
                  rr.line);
    if (t == rrtype::SOA) {
        if (owner != z.origin())
            c.add("soa-not-at-apex", &owner, t, "SOA record below the zone apex", set.line());
        else if (distinct > 1)
            c.add("soa-multiple", &owner, t, "more than one SOA record", set.rrs[1].line);
    }
    if (t == rrtype::MX && distinct > 1)
        for (const auto& rr : set.rrs)
            if (auto target = rdata_target(t, rr.rdata); target && target->is_root()) {
                c.add("null-mx-not-alone", &owner, t,
                      "a null MX (MX 0 .: the domain receives no mail) beside other MX records: "
                      "a null MX must be the only MX (RFC 7505 section 3). Keep the null MX or "
                      "the others",
                      rr.line);
                break;
            }
    if (t == rrtype::CNAME && distinct > 1)
        c.add("cname-multiple", &owner, t, "more than one CNAME record", set.rrs[1].line);
    if (t == rrtype::DNAME && distinct > 1)
        c.add("dname-multiple", &owner, t, "more than one DNAME record", set.rrs[1].line);
    if (t == rrtype::DNSKEY && owner != z.origin())
        c.add("dnskey-not-at-apex", &owner, t, "DNSKEY below the zone apex", set.line());
    if (t == rrtype::DS && owner == z.origin())
        c.add("ds-at-apex", &owner, t, "DS record at the zone apex: it belongs in the parent zone",
              set.line());
    if (t == rrtype::DS && owner != z.origin() && !z.find(owner, rrtype::NS))
        c.add("ds-not-at-delegation", &owner, t,
              "DS record at a name without NS (not a delegation)", set.line());

    // Host names and targets.
    if ((t == rrtype::A || t == rrtype::AAAA) && !owner.is_wildcard() && !is_hostname(owner, false))
        c.add("hostname-syntax", &owner, t,
              owner.to_string() + " has addresses but is not a host name", set.line());
    if (t == rrtype::NS || t == rrtype::MX || t == rrtype::SRV) {
        for (const auto& rr : set.rrs) {
            auto target = rdata_target(t, rr.rdata);
            if (!target || target->is_root()) continue;  // null MX (RFC 7505), "no service" SRV
            if (looks_like_ip(*target))
                c.add("target-ip-literal", &owner, t,
                      type_name(t) + " target " + target->to_string() +
                          " is an IP address, not a host name",
                      rr.line);
            else if (!is_hostname(*target, false))
                c.add("hostname-syntax", &owner, t,
                      type_name(t) + " target " + target->to_string() + " is not a host name",
                      rr.line);
            if (!target->is_subdomain_of(z.origin())) continue;
            auto own = z.types_at(*target);  // one search for what the checks ask of it
            if (std::find(own.begin(), own.end(), rrtype::CNAME) != own.end())
                c.add("target-is-cname", &owner, t,
                      type_name(t) + " target " + target->to_string() + " is a CNAME", rr.line);
            else if (t == rrtype::MX)
                check_mx_target(c, owner, *target, own, rr.line);
        }
    }
}

// One walk over the zone in canonical order: every rrset, then each name with what it holds
// (CNAME beside other data, DNAME and NS, data below a DNAME or a zone cut). Names below a
// cut or a DNAME follow it in canonical order, so a stack of the open ones is enough.
// Collects the NS and TXT rrsets for the checks that only look at those.
void walk(Ctx& c) {
    const Zone& z = c.z;
    const auto& sets = z.rrsets();
    std::vector<const Name*> cuts, dnames;
    std::vector<RRType> types;
    for (auto it = sets.begin(); it != sets.end();) {
        const Name& owner = it->owner;
        int line = it->line();
        types.clear();
        for (; it != sets.end() && it->owner == owner; ++it) {
            types.push_back(it->type);
            check_rrset(c, *it);
            if (it->type == rrtype::NS) c.ns.push_back(&*it);
            if (it->type == rrtype::TXT) c.txt.push_back(&*it);
        }
        if (!owner.is_subdomain_of(z.origin())) continue;
        auto has = [&](RRType t) {
            return std::find(types.begin(), types.end(), t) != types.end();
        };
        if (has(rrtype::CNAME)) {
            for (RRType t : types) {
                if (t == rrtype::CNAME || t == rrtype::RRSIG || t == rrtype::NSEC) continue;
                c.add("cname-and-other-data", &owner, rrtype::CNAME,
                      "CNAME beside other data (" + type_name(t) + ")", z.find(owner, t)->line());
                break;
            }
        }
        if (has(rrtype::DNAME) && has(rrtype::NS) && owner != z.origin())
            c.add("dname-and-ns", &owner, rrtype::DNAME, "DNAME beside NS below the zone apex",
                  line);
        while (!cuts.empty() && !owner.is_subdomain_of(*cuts.back())) cuts.pop_back();
        while (!dnames.empty() && !owner.is_subdomain_of(*dnames.back())) dnames.pop_back();
        if (!dnames.empty() && owner != *dnames.back())
            c.add("data-below-dname", &owner, types.front(),
                  "data below the DNAME at " + dnames.back()->to_string(), line);
        if (!cuts.empty() && owner != *cuts.back()) {
            bool glue_only = true;
            for (RRType t : types) glue_only &= (t == rrtype::A || t == rrtype::AAAA);
            if (!glue_only)
                c.add(
                    "data-below-delegation", &owner, types.front(),
                    "data below the delegation at " + cuts.back()->to_string() + " is never served",
                    line);
        }
        if (has(rrtype::DNAME)) dnames.push_back(&owner);
        if (owner != z.origin() && has(rrtype::NS) && (cuts.empty() || owner != *cuts.back()))
            cuts.push_back(&owner);
    }
}

// Is `n` at or below a delegation (other than the apex)?
bool below_cut(const Zone& z, const Name& n) {
    for (Name p = n; p != z.origin() && p.is_subdomain_of(z.origin()); p = p.parent())
        if (z.find(p, rrtype::NS)) return true;
    return false;
}

void check_apex_and_ns(Ctx& c) {
    const Zone& z = c.z;
    const Name& apex = z.origin();
    if (!c.o.fragment) {
        const RRset* soa = z.find(apex, rrtype::SOA);
        if (!soa) {
            c.add("soa-missing", &apex, rrtype::SOA,
                  "no SOA record at the zone apex " + apex.to_string());
        } else if (auto f = parse_soa(soa->rrs.front().rdata)) {
            std::vector<std::string> why;
            if (f->refresh < 14400)
                why.push_back("refresh " + std::to_string(f->refresh) + " < 14400");
            if (f->retry < 3600) why.push_back("retry " + std::to_string(f->retry) + " < 3600");
            if (f->retry >= f->refresh)
                why.push_back("retry " + std::to_string(f->retry) + " >= refresh");
            if (f->expire < 604800)
                why.push_back("expire " + std::to_string(f->expire) + " < 604800");
            if (f->minimum < 300 || f->minimum > 86400)
                why.push_back("minimum " + std::to_string(f->minimum) + " outside 300..86400");
            if (!why.empty()) {
                std::string msg = "SOA timers outside Zonemaster's ranges: ";
                for (std::size_t i = 0; i < why.size(); ++i) msg += (i ? ", " : "") + why[i];
                c.add("soa-timers", &apex, rrtype::SOA, msg, soa->line());
            }
        }
        const RRset* ns = z.find(apex, rrtype::NS);
        if (!ns)
            c.add("ns-apex-missing", &apex, rrtype::NS,
                  "no NS records at the zone apex " + apex.to_string());
        else if (ns->rdata().size() < 2)
            c.add("ns-apex-count", &apex, rrtype::NS,
                  "only one NS at the apex; RFC 1034 asks for at least two", ns->line());
    }
    // Every NS target in the zone needs an address: glue below a cut, authoritative data else.
    for (const RRset* ns_set : c.ns) {
        const RRset& set = *ns_set;
        if (!set.owner.is_subdomain_of(apex)) continue;
        if (c.o.fragment && set.owner == apex)
            continue;  // the customer's own NS live in their zone
        if (set.owner != apex && below_cut(c.z, set.owner.parent()))
            continue;  // occluded by a cut above
        for (const auto& rr : set.rrs) {
            auto target = rdata_target(rrtype::NS, rr.rdata);
            if (!target || !target->is_subdomain_of(apex)) continue;
            if (has_address_or_wildcard(z, *target)) continue;
            if (below_cut(z, *target) || (set.owner != apex && target->is_subdomain_of(set.owner)))
                c.add("glue-missing", &set.owner, rrtype::NS,
                      "name server " + target->to_string() +
                          " is below a delegation and has no glue (A or AAAA)",
                      rr.line);
            else
                c.add("ns-target-no-address", &set.owner, rrtype::NS,
                      "name server " + target->to_string() + " is in the zone but has no A or AAAA",
                      rr.line);
        }
    }
}

void check_pattern(Ctx& c) {
    const Spec& spec = *c.o.spec;
    const Profile& profile = *c.o.profile;
    const Zone& z = c.z;
    const Name& apex = z.origin();
    std::set<Name> ns;
    if (const RRset* s = z.find(apex, rrtype::NS))
        for (const auto& r : s->rrs)
            if (auto t = rdata_target(rrtype::NS, r.rdata)) ns.insert(*t);
    const RRset* soa_set = z.find(apex, rrtype::SOA);
    std::optional<Soa> soa = soa_set ? parse_soa(soa_set->rrs.front().rdata) : std::nullopt;
    switch (spec.pattern) {
        case Pattern::A: {
            std::set<Name> ours;
            for (const auto& n : profile.nameservers) ours.insert(n.name);
            if (ns != ours) {
                std::string want;
                for (const auto& n : ours) want += " " + n.to_string();
                c.add("pattern-ns", &apex, rrtype::NS,
                      "pattern A: the apex NS set must be exactly our name servers:" + want);
            }
            if (soa && !profile.is_ours(soa->mname))
                c.add("pattern-mname", &apex, rrtype::SOA,
                      "pattern A: the SOA MNAME " + soa->mname.to_string() +
                          " is not one of our name servers");
            if (!spec.mail && !spec.mail_none && !z.find(apex, rrtype::MX))
                c.add("mail-undecided", &apex, rrtype::MX,
                      "mail is not a service and the zone has no MX: mail to " + apex.to_string() +
                          " would go to the web server's address (without an MX, senders "
                          "deliver to the domain's A/AAAA, RFC 5321 section 5.1). Say where mail "
                          "goes: the MX of the customer's mail service in records: (or in the "
                          "imported zone), e.g. {name: \"@\", type: MX, data: \"10 "
                          "mx.mail-provider.example.\"}, or `mail: none` for a domain that "
                          "receives no mail (a null MX, RFC 7505: all mail to it bounces at once)");
            break;
        }
        case Pattern::B: {
            const auto& sec = profile.pattern_b_secondary();
            if (!ns.count(sec.name))
                c.add("pattern-ns", &apex, rrtype::NS,
                      "pattern B: our secondary " + sec.name.to_string() +
                          " is not among the apex NS");
            if (soa && profile.is_ours(soa->mname))
                c.add("pattern-mname", &apex, rrtype::SOA,
                      "pattern B: the SOA MNAME " + soa->mname.to_string() +
                          " must be the customer's primary, not ours");
            break;
        }
        case Pattern::C:
            for (const auto& n : ns)
                if (profile.is_ours(n))
                    c.add(
                        "pattern-ns", &apex, rrtype::NS,
                        "pattern C: our name server " + n.to_string() + " must not serve the zone");
            break;
    }
    // The web and mail records the spec wants must be there as the templates make them.
    GenerateOptions go;
    go.serial = 1;
    Desired want = build_desired(spec, profile, go);
    for (const RRset& set : want.zone.rrsets()) {
        if (set.type == rrtype::SOA || set.type == rrtype::NS || set.type == rrtype::TXT) continue;
        const RRset* have = z.find(set.owner, set.type);
        // The mail policy records (CAA, SRV, MTA-STS...: mail_policy.hpp) are recommended, not
        // the pattern's: a zone without them, or with the customer's own, still works. The
        // checks of their contents (caa-*, mta-sts-*, dmarc-*) read what is there.
        if (want.policy_at({set.owner, set.type})) continue;
        auto w = set.rdata();
        // records: alone adds to an imported rrset (old_hosts.hpp): its records must be there.
        if (have && from_records_only(spec, profile, {set.owner, set.type}) &&
            merged_rdata(have->rdata(), w) == have->rdata())
            continue;
        if (!have || have->rdata() != w) {
            std::string shown;
            for (const auto& r : w) shown += (shown.empty() ? "" : ", ") + rdata_text(set.type, r);
            c.add("pattern-records", &set.owner, set.type,
                  type_name(set.type) + " at " + set.owner.to_string() + " should be " + shown,
                  have ? have->line() : 0);
        }
    }
    if (spec.mail) {
        std::string spf;
        int line = 0;
        if (const RRset* txt = z.find(apex, rrtype::TXT))
            for (const auto& r : txt->rrs)
                if (is_spf(r.rdata)) {
                    spf = join_txt(r.rdata);
                    line = r.line;
                }
        const auto missing = spf_missing_server_terms(spf, spec.server);
        if (spf.empty())
            c.add("pattern-spf", &apex, rrtype::TXT,
                  "no SPF record at the apex authorises the managed server");
        else if (!missing.empty()) {
            std::string m;
            for (const auto& x : missing) m += " " + x;
            c.add("pattern-spf", &apex, rrtype::TXT,
                  "the SPF record does not authorise the managed server:" + m, line);
        }
    }
}

}  // namespace

const std::vector<CheckInfo>& check_table() {
    return kChecks;
}

const CheckInfo& check_info(std::string_view id) {
    for (const auto& c : kChecks)
        if (c.id == id) return c;
    static const CheckInfo unknown{"unknown", Severity::error, ""};
    return unknown;
}

Finding make_finding(std::string_view id, const Name* owner, std::optional<RRType> type,
                     std::string message, int line) {
    return Finding{std::string(id),
                   check_info(id).severity,
                   owner ? owner->to_string() : "",
                   type,
                   std::move(message),
                   line,
                   {}};
}

std::vector<Finding> validate_zone(const Zone& zone, const ValidateOptions& opts) {
    std::vector<Finding> out, walked;
    Ctx w{zone, opts, walked, {}, {}};
    walk(w);
    Ctx c{zone, opts, out, std::move(w.ns), std::move(w.txt)};
    check_apex_and_ns(c);
    out.insert(out.end(), std::make_move_iterator(walked.begin()),
               std::make_move_iterator(walked.end()));
    check_mail(c.txt, opts, out);
    std::vector<Finding> caa, sts;
    check_dkim(c.txt, opts, out);
    if (opts.spec && opts.profile) {
        check_pattern(c);
        caa = check_caa(zone, certificate_names(zone, *opts.spec),
                        opts.profile->certificate_authorities);
        sts = check_mta_sts(zone, *opts.spec, opts.profile);
    }
    std::vector<std::string> caa_refused;  // caa-forbids-ca names a critical unknown tag first
    for (const auto& f : caa)
        if (f.check == "caa-forbids-ca") caa_refused.push_back(f.owner);
    auto caa_syntax = check_caa_syntax(zone, caa_refused);
    for (auto* fs : {&caa, &sts, &caa_syntax})
        for (auto& f : *fs) {
            f.file = f.line ? opts.file : "";
            out.push_back(std::move(f));
        }
    std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
        int la = a.line ? a.line : 0x7fffffff, lb = b.line ? b.line : 0x7fffffff;
        return la < lb;
    });
    return out;
}

}  // namespace zonegen
