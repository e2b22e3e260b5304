#include "zonegen/migrate.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "zonegen/old_hosts.hpp"
#include "zonegen/spf.hpp"

namespace zonegen {
namespace {

bool is_dnssec_type(RRType t) {
    return t == rrtype::DNSKEY || t == rrtype::RRSIG || t == rrtype::NSEC || t == rrtype::NSEC3 ||
           t == rrtype::NSEC3PARAM || t == rrtype::CDS || t == rrtype::CDNSKEY;
}

std::string shown(RRType t, const std::vector<std::string>& rd) {
    std::string s;
    for (const auto& r : rd) s += (s.empty() ? "" : ", ") + rdata_text(t, r);
    return s;
}

// Every old TXT value kept where zonegen puts TXT too; the old SPF gets the server merged in
// (never a second one), or, for mail: none, gives way to ours ("v=spf1 -all"). The values,
// and why they changed.
std::pair<std::vector<std::string>, std::string> merged_txt(const Spec& spec, const RRset& old,
                                                            const RRset& want) {
    std::vector<std::string> rd;
    bool old_spf = false, no_mail_spf = false;
    const bool apex = old.owner == spec.domain;
    for (const auto& r : old.rdata()) {
        if (is_spf(r) && spec.mail_none && apex) {
            no_mail_spf = true;
        } else if (is_spf(r) && spec.mail && apex) {
            old_spf = true;
            // The server's senders, and those a records: SPF gives (never dropped).
            rd.push_back(merge_spf_wire(r, spf_terms_to_merge(want.rdata(), spec.server)));
        } else {
            rd.push_back(r);
        }
    }
    for (const auto& r : want.rdata())
        if (!(old_spf && is_spf(r)) && std::find(rd.begin(), rd.end(), r) == rd.end())
            rd.push_back(r);
    return {rd, no_mail_spf ? "mail: none: v=spf1 -all replaces the old SPF; other values kept"
                : old_spf   ? "the managed server merged into the existing SPF; other values kept"
                            : "TXT values merged"};
}

Finding dnssec_in_source(const Name& apex) {
    return {"dnssec-in-source",
            Severity::warning,
            apex.to_string(),
            rrtype::DNSKEY,
            "the old zone is signed: if the parent publishes a DS for " + apex.to_string() +
                ", switching the name servers breaks the domain for validating resolvers. Remove "
                "the DS at the registrar, wait for its TTL to pass, then switch (or carry the "
                "keys over)",
            0,
            ""};
}

}  // namespace

Desired build_migrated(const Spec& spec, const Profile& profile, const Zone& imported,
                       const GenerateOptions& opts, Migration* report) {
    Desired ours = build_desired(spec, profile, opts);
    yield_to_aliases(ours.policy, ours.zone, imported);
    Desired out = ours;
    Zone& z = out.zone;
    Migration m;
    const Name& apex = spec.domain;
    auto item = [&](const char* action, const RRKey& k, std::vector<std::string> before,
                    std::vector<std::string> after, std::string reason) {
        m.items.push_back(
            {action, k.owner, k.type, std::move(before), std::move(after), std::move(reason)});
    };
    if (auto f = mx_external_finding(spec, imported)) out.findings.push_back(*f);
    // Records at the old web and mail hosts' addresses move with them (old_hosts.hpp).
    std::map<RRKey, HostMove> moves;
    for (auto& mv : old_host_moves(spec, profile, imported))
        if (!ours.zone.find(mv.owner, mv.type) && !ours.zone.find(mv.owner, rrtype::CNAME))
            moves.emplace(RRKey{mv.owner, mv.type}, mv);
    const std::uint32_t ttl = spec.ttl.value_or(profile.ttl_default);
    for (const RRset& old : imported.rrsets()) {
        const RRKey k{old.owner, old.type};
        auto before = old.rdata();
        if (!k.owner.is_subdomain_of(apex)) {
            item("dropped", k, before, {}, "outside the zone " + apex.to_string());
        } else if (k.type == rrtype::SOA && k.owner == apex) {
            item("replaced", k, before, ours.zone.find(apex, rrtype::SOA)->rdata(),
                 "the SOA names the new primary");
        } else if (k.type == rrtype::NS && k.owner == apex) {
            item("replaced", k, before, ours.zone.find(apex, rrtype::NS)->rdata(),
                 "the old provider's name servers; the zone is served by ours");
        } else if (is_dnssec_type(k.type)) {
            m.dnssec = true;
            item("dropped", k, before, {},
                 "DNSSEC data of the old signer: zonegen does not sign zones");
        } else if (const PolicyRRset* pol = ours.policy_at(k);
                   pol && pol->yields && customer_has_own(old, *pol)) {
            // The customer's own DMARC or CAA stays as it is; zonegen's default is not added.
            z.erase(k.owner, k.type);
            for (const auto& r : old.rrs)
                if (auto f = z.add(k.owner, k.type, old.ttl(), r.rdata)) out.findings.push_back(*f);
            item("kept", k, before, before,
                 "the customer's own, kept instead of zonegen's default");
        } else if (const PolicyRRset* own = ours.policy_at(k); own && !own->yields) {
            // _mta-sts, _smtp._tls...: the managed server's policy replaces the old one.
            auto after = ours.zone.find(k.owner, k.type)->rdata();
            item(after == before ? "kept" : "replaced", k, before, after, own->reason.en);
        } else if (k.type == rrtype::TXT && ours.zone.find(k.owner, k.type)) {
            const RRset* want = ours.zone.find(k.owner, k.type);
            auto [rd, why] = merged_txt(spec, old, *want);
            z.set(k.owner, k.type, want->ttl(), rd);
            auto after = z.find(k.owner, k.type)->rdata();
            item(after == before ? "kept" : "replaced", k, before, after,
                 after == before ? "" : why);
        } else if (ours.zone.find(k.owner, k.type) && from_records_only(spec, profile, k)) {
            // records: adds to the imported rrset (a CAA beside the old one).
            const RRset* want = ours.zone.find(k.owner, k.type);
            auto after = merged_rdata(before, want->rdata());
            std::uint32_t t = records_ttl(spec, k) ? want->ttl() : old.ttl();
            z.set(k.owner, k.type, t, after);
            if (after == before && t == old.ttl())
                item("kept", k, before, after, "");
            else
                item("replaced", k, before, after, "records: adds to the existing rrset");
        } else if (ours.zone.find(k.owner, k.type)) {
            auto after = ours.zone.find(k.owner, k.type)->rdata();
            if (after == before && ours.zone.find(k.owner, k.type)->ttl() == old.ttl())
                item("kept", k, before, after, "");
            else
                item("replaced", k, before, after,
                     ours.policy_at(k) ? ours.policy_at(k)->reason.en
                     : k.type == rrtype::MX
                         ? (spec.mail_none ? "mail: none: the domain receives no mail "
                                             "(RFC 7505 null MX)"
                                           : "mail goes to the managed server")
                         : "points at the managed server now");
        } else if (k.type == rrtype::CNAME && !ours.zone.types_at(k.owner).empty()) {
            // The old alias gives way to the managed server's records at this name.
            item("replaced", k, before, {},
                 "the managed server's records at this name replace the CNAME");
        } else if (ours.zone.find(k.owner, rrtype::CNAME)) {
            const PolicyRRset* alias = ours.policy_at({k.owner, rrtype::CNAME});
            item("dropped", k, before, {},
                 alias ? alias->reason.en : std::string("records: puts a CNAME at this name"));
        } else if (auto mv = moves.find(k); mv != moves.end()) {
            if (!mv->second.after.empty()) z.set(k.owner, k.type, old.ttl(), mv->second.after);
            item(mv->second.after.empty() ? "dropped" : "replaced", k, before, mv->second.after,
                 mv->second.reason.en);
        } else {
            for (const auto& r : old.rrs)
                if (auto f = z.add(k.owner, k.type, old.ttl(), r.rdata)) out.findings.push_back(*f);
            item("kept", k, before, before, "");
        }
    }
    for (const RRset& s : ours.zone.rrsets())
        if (!imported.find(s.owner, s.type)) {
            const PolicyRRset* pol = ours.policy_at({s.owner, s.type});
            item("added", {s.owner, s.type}, {}, s.rdata(), pol ? pol->reason.en : "");
        }
    for (const auto& [k, mv] : moves)
        if (!imported.find(k.owner, k.type) && !mv.after.empty()) {
            const RRset* sib =
                imported.find(k.owner, k.type == rrtype::A ? rrtype::AAAA : rrtype::A);
            z.set(k.owner, k.type, sib ? sib->ttl() : ttl, mv.after);
            item("added", k, {}, mv.after, mv.reason.en);
        }
    if (withhold_caa(z, imported, spec, profile, out.findings))
        std::erase_if(m.items,
                      [&](const auto& i) { return i.type == rrtype::CAA && i.owner == apex; });
    if (m.dnssec) out.findings.push_back(dnssec_in_source(apex));
    if (report) *report = std::move(m);
    return out;
}

nlohmann::json migration_json(const Migration& m) {
    auto arr = nlohmann::json::array();
    for (const auto& i : m.items) {
        auto txt = [&](const std::vector<std::string>& v) {
            auto a = nlohmann::json::array();
            for (const auto& r : v) a.push_back(rdata_text(i.type, r));
            return a;
        };
        arr.push_back({{"action", i.action},
                       {"name", i.owner.to_string()},
                       {"type", type_name(i.type)},
                       {"before", txt(i.before)},
                       {"after", txt(i.after)},
                       {"reason", i.reason}});
    }
    return {{"items", arr}, {"dnssec", m.dnssec}};
}

std::string migration_text(const Migration& m) {
    std::string out;
    std::size_t kept = 0;
    for (const auto& i : m.items) {
        if (i.action == "kept") {
            ++kept;
            out += "kept     " + i.owner.to_string() + " " + type_name(i.type) + "\n";
        } else if (i.action == "replaced") {
            out += "replaced " + i.owner.to_string() + " " + type_name(i.type) + " " +
                   shown(i.type, i.before) + " -> " +
                   (i.after.empty() ? std::string("(removed)") : shown(i.type, i.after)) + " (" +
                   i.reason + ")\n";
        } else if (i.action == "dropped") {
            out += "dropped  " + i.owner.to_string() + " " + type_name(i.type) + " " +
                   shown(i.type, i.before) + " (" + i.reason + ")\n";
        } else {
            out += "added    " + i.owner.to_string() + " " + type_name(i.type) + " " +
                   shown(i.type, i.after) + "\n";
        }
    }
    return out;
}

}  // namespace zonegen
