#include "zonegen/generate.hpp"

#include <set>
#include <string_view>

#include "zonegen/calendar.hpp"
#include "zonegen/customer_networks.hpp"
#include "zonegen/dkim.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/spf.hpp"

namespace zonegen {
namespace {

// Expands one template into its rdata: one per address for {ipv4}/{ipv6}, none when the
// server has no address of that family.
std::vector<std::string> expand(const RecordTemplate& t, const HostAddrs& server) {
    auto substitute = [&](std::string s, const std::string& ph, const std::string& v) {
        for (auto pos = s.find(ph); pos != std::string::npos; pos = s.find(ph, pos + v.size()))
            s.replace(pos, ph.size(), v);
        return s;
    };
    std::string base = substitute(t.data, "{server}", server.name.to_string());
    std::vector<std::string> out;
    bool v4 = base.find("{ipv4}") != std::string::npos,
         v6 = base.find("{ipv6}") != std::string::npos;
    if (v4 && v6) throw InputError("profile template '" + t.data + "' uses both {ipv4} and {ipv6}");
    if (v4) {
        for (const auto& a : server.ipv4) out.push_back(substitute(base, "{ipv4}", a));
    } else if (v6) {
        for (const auto& a : server.ipv6) out.push_back(substitute(base, "{ipv6}", a));
    } else {
        out.push_back(base);
    }
    return out;
}

}  // namespace

std::uint32_t date_serial(std::time_t t, const std::string& time_zone) {
    Date day = date_in(t, time_zone);
    return static_cast<std::uint32_t>(day.y * 1000000u + day.m * 10000u + day.d * 100u + 1u);
}

namespace {

// Builds a zone from a spec: strict insertion, refusals kept as findings. Generated records go
// in first and the spec's records last, so a conflict is refused on the spec's line and never
// drops a record the pattern needs (which a later check would report as missing).
class Builder {
  public:
    Builder(const Spec& spec, Desired& out) : spec_(spec), out_(out) {}

    void generated(const Name& owner, RRType type, std::uint32_t ttl, std::string rdata) {
        const RRset* set = out_.zone.find(owner, type);
        if (set && explicit_.count(RRKey{owner, type})) {
            if (set->ttl() != ttl) overridden(*set, ttl, set->ttl(), set->line());
            ttl = set->ttl();
        }
        add(owner, type, ttl, std::move(rdata), 0);
    }

    // A records: entry. Its own `ttl:` applies to the whole rrset, over a generated TTL; one
    // without `ttl:` joins an existing rrset at that rrset's TTL.
    void record(const ExtraRecord& r, std::string rdata, std::uint32_t default_ttl) {
        RRKey key{r.owner, r.type};
        const RRset* set = out_.zone.find(r.owner, r.type);
        std::uint32_t ttl = r.ttl.value_or(set ? set->ttl() : default_ttl);
        if (set && r.ttl && set->ttl() != ttl && !explicit_.count(key)) {
            overridden(*set, set->ttl(), ttl, r.line);
            retime(*set, ttl);
        }
        if (r.ttl) explicit_.insert(key);
        add(r.owner, r.type, ttl, std::move(rdata), r.line);
    }

  private:
    void add(const Name& owner, RRType type, std::uint32_t ttl, std::string rdata, int line) {
        if (auto f = out_.zone.add(owner, type, ttl, std::move(rdata), line)) {
            f->file = line ? spec_.source : "";
            out_.findings.push_back(std::move(*f));
        }
    }
    void retime(const RRset& set, std::uint32_t ttl) {
        RRset copy = set;
        out_.zone.erase(copy.owner, copy.type);
        for (const Rr& rr : copy.rrs)
            add(copy.owner, copy.type, ttl, std::string(rr.rdata), rr.line);
    }
    void overridden(const RRset& set, std::uint32_t generated, std::uint32_t given, int line) {
        out_.findings.push_back(
            {"ttl-explicit", Severity::warning, set.owner.to_string(), set.type,
             "records: gives TTL " + std::to_string(given) + " to the " + type_name(set.type) +
                 " rrset that zonegen generates with TTL " + std::to_string(generated) +
                 "; the rrset has one TTL (RFC 2181 section 5.2), so " + std::to_string(given) +
                 " applies to all of it",
             line, line ? spec_.source : ""});
    }

    const Spec& spec_;
    Desired& out_;
    std::set<RRKey> explicit_;  // rrsets whose TTL a records: entry gives
};

// The first v=spf1 at the apex among the spec's records, or nullptr.
const ExtraRecord* spec_spf(const Spec& spec) {
    for (const auto& r : spec.records)
        if (r.owner == spec.domain && r.type == rrtype::TXT && is_spf(r.rdata)) return &r;
    return nullptr;
}

bool has_apex_spf(const Zone& z, const Name& apex) {
    if (const RRset* txt = z.find(apex, rrtype::TXT))
        for (const auto& rr : txt->rrs)
            if (is_spf(rr.rdata)) return true;
    return false;
}

// Merges `terms` into a v=spf1 that a template put at the apex; false when there is none.
bool merge_zone_spf(Zone& z, const Name& apex, const std::string& terms) {
    const RRset* txt = z.find(apex, rrtype::TXT);
    if (!txt) return false;
    std::vector<std::string> rdata;
    for (const auto& rr : txt->rrs) rdata.emplace_back(rr.rdata);
    if (!merge_first_spf(rdata, terms)) return false;
    z.set(apex, rrtype::TXT, txt->ttl(), rdata);
    return true;
}

}  // namespace

Desired build_desired(const Spec& spec, const Profile& profile, const GenerateOptions& opts) {
    check_customer_addresses(spec, profile);  // what the spec names must be the customer's to name
    const Name& d = spec.domain;
    Desired out{Zone(d), spec.pattern != Pattern::A, 0, false, spec.warnings, {}};
    Zone& z = out.zone;
    Builder b(spec, out);
    const std::uint32_t ttl = spec.ttl.value_or(profile.ttl_default);

    if (spec.pattern == Pattern::A) {
        out.serial = opts.serial ? *opts.serial : date_serial(opts.now, profile.time_zone);
        Soa soa{profile.soa_mname, profile.soa_rname, out.serial,     profile.refresh,
                profile.retry,     profile.expire,    profile.minimum};
        b.generated(d, rrtype::SOA, profile.ttl_soa, soa_wire(soa));
        for (const auto& ns : profile.nameservers)
            b.generated(d, rrtype::NS, profile.ttl_ns, ns.name.wire());
        // A multi-signer move: the old provider's keys beside ours (PowerDNS adds its own).
        for (const auto& key : spec.old_dnskeys) b.generated(d, rrtype::DNSKEY, ttl, key);
    } else if (spec.pattern == Pattern::B) {
        const auto& sec = profile.pattern_b_secondary();
        // Added to the customer's NS rrset, whose TTL it takes: the fragment prints it without
        // one, so $TTL applies (render.cpp), never a second TTL beside theirs.
        b.generated(d, rrtype::NS, ttl, sec.name.wire());
    }
    // One of our name servers inside the customer's domain needs its addresses in the zone.
    for (const auto& ns : profile.nameservers) {
        bool serves = spec.pattern == Pattern::A || (spec.pattern == Pattern::B && ns.pattern_b);
        if (!serves || !ns.name.is_subdomain_of(d)) continue;
        for (const auto& a : ns.ipv4)
            b.generated(ns.name, rrtype::A, profile.ttl_ns, parse_rdata(rrtype::A, a, d));
        for (const auto& a : ns.ipv6)
            b.generated(ns.name, rrtype::AAAA, profile.ttl_ns, parse_rdata(rrtype::AAAA, a, d));
    }

    auto apply_templates = [&](const std::vector<RecordTemplate>& ts) {
        for (const auto& t : ts) {
            Name owner = Name::parse(t.owner, &d);
            for (const auto& data : expand(t, spec.server)) {
                std::string rdata;
                try {
                    rdata = parse_rdata(t.type, data, d);
                } catch (const RdataError& e) {
                    throw InputError(profile.source + ":" + std::to_string(t.line) +
                                     ": template: " + e.what());
                }
                b.generated(owner, t.type, t.ttl.value_or(ttl), rdata);
            }
        }
    };
    if (spec.web) apply_templates(profile.web);
    if (spec.mail) apply_templates(profile.mail);

    // Our addresses go into a v=spf1 at the apex: the spec's, else a template's, else ours.
    const ExtraRecord* user_spf = spec_spf(spec);
    const std::string terms = spf_server_terms(spec.server);
    if (spec.mail && !user_spf) {
        out.spf_merged = merge_zone_spf(z, d, terms);
        if (!out.spf_merged)
            b.generated(d, rrtype::TXT, ttl, txt_wire("v=spf1 " + terms + " " + profile.spf_all));
    }
    if (spec.mail_none) {
        // The domain receives no mail (RFC 7505): a null MX, and no sender is authorised.
        // (A web-only pattern-A zone that says nothing of mail is mail-undecided: validators.)
        b.generated(d, rrtype::MX, ttl, std::string("\0\0\0", 3));
        if (!user_spf && !has_apex_spf(z, d))
            b.generated(d, rrtype::TXT, ttl, txt_wire("v=spf1 -all"));
    }
    // DKIM: each key's public record at <selector>._domainkey (read_dkim_keys read it).
    for (const auto& k : spec.dkim)
        if (spec.mail)
            b.generated(dkim_owner(k.selector, d), rrtype::TXT, ttl, txt_wire(dkim_record(k)));
    for (const auto& r : spec.records) {
        bool merge = spec.mail && &r == user_spf;
        b.record(r, merge ? merge_spf_wire(r.rdata, terms) : r.rdata, ttl);
        out.spf_merged |= merge;
    }
    // Last: the MTA-STS policy follows the MX the spec's records may have given.
    out.policy = mail_policy_rrsets(z, spec, profile, out.findings);
    for (const auto& r : out.policy)
        for (const auto& rd : r.rdata) b.generated(r.owner, r.type, ttl, rd);
    return out;
}

const PolicyRRset* Desired::policy_at(const RRKey& k) const {
    for (const auto& p : policy)
        if (p.owner == k.owner && p.type == k.type) return &p;
    return nullptr;
}

}  // namespace zonegen
