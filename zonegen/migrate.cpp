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
std::pair<std::vector<std::string>, const char*> merged_txt(const Spec& spec, const RRset& old,
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
    return {rd, no_mail_spf ? "spf_null" : old_spf ? "spf_merged" : "txt_merged"};
}

// A reason in the wording's words (reasons.<key>), or in those a reason brings along.
Why R(const std::string& key) {
    return {key, {}};
}
Why W(const Reason& words) {
    return {"", words};
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
                    std::vector<std::string> after, Why why) {
        m.items.push_back(
            {action, k.owner, k.type, std::move(before), std::move(after), std::move(why)});
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
        m.longest_ttl = std::max(m.longest_ttl, old.ttl());
        if (!k.owner.is_subdomain_of(apex)) {
            item("dropped", k, before, {}, R("outside_zone"));
        } else if (k.type == rrtype::SOA && k.owner == apex) {
            item("replaced", k, before, ours.zone.find(apex, rrtype::SOA)->rdata(), R("soa"));
        } else if (k.type == rrtype::NS && k.owner == apex) {
            item("replaced", k, before, ours.zone.find(apex, rrtype::NS)->rdata(), R("ns"));
        } else if (is_dnssec_type(k.type)) {
            m.dnssec = true;
            item("dropped", k, before, {}, R("dnssec"));
        } else if (const PolicyRRset* pol = ours.policy_at(k);
                   pol && pol->yields && customer_has_own(old, *pol)) {
            // The customer's own DMARC or CAA stays as it is; zonegen's default is not added.
            z.erase(k.owner, k.type);
            for (const auto& r : old.rrs)
                if (auto f = z.add(k.owner, k.type, old.ttl(), r.rdata)) out.findings.push_back(*f);
            item("kept", k, before, before, R("customers_own"));
        } else if (const PolicyRRset* own = ours.policy_at(k); own && !own->yields) {
            // _mta-sts, _smtp._tls...: the managed server's policy replaces the old one.
            auto after = ours.zone.find(k.owner, k.type)->rdata();
            item(after == before ? "kept" : "replaced", k, before, after, W(own->reason));
        } else if (k.type == rrtype::TXT && ours.zone.find(k.owner, k.type)) {
            const RRset* want = ours.zone.find(k.owner, k.type);
            auto [rd, why] = merged_txt(spec, old, *want);
            z.set(k.owner, k.type, want->ttl(), rd);
            auto after = z.find(k.owner, k.type)->rdata();
            item(after == before ? "kept" : "replaced", k, before, after,
                 after == before ? Why{} : R(why));
        } else if (ours.zone.find(k.owner, k.type) && from_records_only(spec, profile, k)) {
            // records: adds to the imported rrset (a CAA beside the old one).
            const RRset* want = ours.zone.find(k.owner, k.type);
            auto after = merged_rdata(before, want->rdata());
            std::uint32_t t = records_ttl(spec, k) ? want->ttl() : old.ttl();
            z.set(k.owner, k.type, t, after);
            if (after == before && t == old.ttl())
                item("kept", k, before, after, {});
            else
                item("replaced", k, before, after, R("records_add"));
        } else if (ours.zone.find(k.owner, k.type)) {
            auto after = ours.zone.find(k.owner, k.type)->rdata();
            if (after == before && ours.zone.find(k.owner, k.type)->ttl() == old.ttl())
                item("kept", k, before, after, {});
            else
                item("replaced", k, before, after,
                     ours.policy_at(k)      ? W(ours.policy_at(k)->reason)
                     : k.type != rrtype::MX ? R("managed_server")
                     : spec.mail_none       ? R("null_mx")
                                            : R("mail_moves"));
        } else if (k.type == rrtype::CNAME && !ours.zone.types_at(k.owner).empty()) {
            // The old alias gives way to the managed server's records at this name.
            item("replaced", k, before, {}, R("cname_replaced"));
        } else if (ours.zone.find(k.owner, rrtype::CNAME)) {
            const PolicyRRset* alias = ours.policy_at({k.owner, rrtype::CNAME});
            item("dropped", k, before, {}, alias ? W(alias->reason) : R("records_cname"));
        } else if (auto mv = moves.find(k); mv != moves.end()) {
            if (!mv->second.after.empty()) z.set(k.owner, k.type, old.ttl(), mv->second.after);
            item(mv->second.after.empty() ? "dropped" : "replaced", k, before, mv->second.after,
                 W(mv->second.reason));
        } else {
            for (const auto& r : old.rrs)
                if (auto f = z.add(k.owner, k.type, old.ttl(), r.rdata)) out.findings.push_back(*f);
            item("kept", k, before, before, {});
        }
    }
    for (const RRset& s : ours.zone.rrsets())
        if (!imported.find(s.owner, s.type)) {
            const PolicyRRset* pol = ours.policy_at({s.owner, s.type});
            item("added", {s.owner, s.type}, {}, s.rdata(), pol ? W(pol->reason) : Why{});
        }
    for (const auto& [k, mv] : moves)
        if (!imported.find(k.owner, k.type) && !mv.after.empty()) {
            const RRset* sib =
                imported.find(k.owner, k.type == rrtype::A ? rrtype::AAAA : rrtype::A);
            z.set(k.owner, k.type, sib ? sib->ttl() : ttl, mv.after);
            item("added", k, {}, mv.after, W(mv.reason));
        }
    if (withhold_caa(z, imported, spec, profile, out.findings))
        std::erase_if(m.items,
                      [&](const auto& i) { return i.type == rrtype::CAA && i.owner == apex; });
    if (m.dnssec) out.findings.push_back(dnssec_in_source(apex));
    if (report) *report = std::move(m);
    return out;
}

std::string reason_text(const Why& why, const Wording& w) {
    if (!why.key.empty()) return w.say("reasons." + why.key, nlohmann::json::object());
    return w.lang() == "ja" ? why.words.ja : why.words.en;
}

nlohmann::json migration_json(const Migration& m) {
    const Wording& en = Wording::builtin("instructions", "en");
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
                       {"reason", reason_text(i.why, en)}});
    }
    return {{"items", arr}, {"dnssec", m.dnssec}};
}

std::string migration_text(const Migration& m, const Wording& w) {
    auto list = nlohmann::json::array();
    for (const auto& i : m.items) {
        auto txt = [&](const std::vector<std::string>& v) { return shown(i.type, v); };
        const std::string reason = reason_text(i.why, w);
        list.push_back(
            {{i.action, true},
             {"owner", i.owner.to_string()},
             {"type", type_name(i.type)},
             {"before", txt(i.before)},
             {"after", i.after.empty() ? nlohmann::json(nullptr) : nlohmann::json(txt(i.after))},
             {"reason", reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(reason)}});
        for (const char* a : {"kept", "replaced", "dropped", "added"})
            if (!list.back().contains(a)) list.back()[a] = false;
    }
    return w.say("migration", {{"items", list}}) + "\n";
}

}  // namespace zonegen
