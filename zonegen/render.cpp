#include "zonegen/render.hpp"

#include "backends/pdns_content.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "zonegen/customer_zone.hpp"
#include "zonegen/domain.hpp"
#include "zonegen/version.hpp"

namespace zonegen {
namespace {

int type_rank(RRType t) {
    if (t == rrtype::SOA) return 0;
    if (t == rrtype::NS) return 1;
    return 2;
}

std::vector<const RRset*> ordered(const Zone& zone) {
    std::vector<const RRset*> out;
    out.reserve(zone.rrsets().size());
    for (const auto& s : zone.rrsets()) out.push_back(&s);
    // The zone is in canonical name order, types by number; bring SOA and NS first per name.
    for (auto b = out.begin(); b != out.end();) {
        auto e = b + 1;
        while (e != out.end() && (*e)->owner == (*b)->owner) ++e;
        std::stable_sort(b, e, [](const RRset* x, const RRset* y) {
            return type_rank(x->type) < type_rank(y->type);
        });
        b = e;
    }
    return out;
}

}  // namespace

std::string zone_text(const Zone& zone, const ZoneTextOptions& opts) {
    std::string out;
    for (const auto& h : opts.header) out += h.empty() ? ";\n" : "; " + h + "\n";
    out += "$ORIGIN " + zone.origin().to_string() + "\n";
    out += "$TTL " + std::to_string(opts.default_ttl) + "\n";
    auto sets = ordered(zone);
    std::size_t width = 1;
    for (const auto* s : sets) width = std::max(width, s->owner.relative_to(zone.origin()).size());
    width = std::min<std::size_t>(width, 32);
    std::size_t ttl_width = 1;
    for (const auto* s : sets)
        for (const auto& rr : s->rrs)
            ttl_width = std::max(ttl_width, std::to_string(rr.ttl).size());
    for (const auto* s : sets) {
        std::string owner = s->owner.relative_to(zone.origin());
        std::string type = type_name(s->type);
        const bool no_ttl = std::find(opts.no_ttl.begin(), opts.no_ttl.end(),
                                      RRKey{s->owner, s->type}) != opts.no_ttl.end();
        for (const auto& rr : s->rrs) {
            out += owner;
            out.append(owner.size() < width ? width - owner.size() : 0, ' ');
            std::string ttl = no_ttl ? "" : std::to_string(rr.ttl);
            out += " " + ttl;
            out.append(ttl_width - ttl.size(), ' ');
            out += " IN " + type;
            out.append(type.size() < 6 ? 6 - type.size() : 0, ' ');
            out += " " + rdata_text(s->type, rr.rdata) + "\n";
        }
    }
    return out;
}

std::string generated_text(const Spec& spec, const Profile& profile, const Desired& desired) {
    ZoneTextOptions o;
    o.default_ttl = spec.ttl.value_or(profile.ttl_default);
    std::string d = spec.domain.to_string();
    std::string uni = to_unicode(spec.domain);
    std::string shown = d + (uni.empty() || uni + "." == d ? "" : " (" + uni + ")");
    o.header.push_back("zonegen " + std::string(kVersion) + ": pattern " + to_string(spec.pattern) +
                       ", " + shown);
    const bool whole = !desired.fragment;  // A, or B/C with import_from: a complete zone
    switch (spec.pattern) {
        case Pattern::A:
            o.header.push_back("The complete zone, served by our name servers.");
            break;
        case Pattern::B:
        case Pattern::C:
            if (whole) {
                o.header.push_back(
                    "Your zone as you serve it today (import_from) with our changes "
                    "applied, the SOA serial increased:");
                o.header.push_back("load it on your " +
                                   std::string(spec.pattern == Pattern::B ? "primary name server"
                                                                          : "name servers") +
                                   ". The changes and their reasons: generate --format json "
                                   "(customer_changes), and the instructions.");
            } else {
                o.header.push_back("Replace, do not just add: in the zone on your " +
                                   std::string(spec.pattern == Pattern::B ? "primary name server"
                                                                          : "own name servers") +
                                   ",");
                for (const auto& line :
                     fragment_directions(spec, profile, Wording::builtin("instructions", "en")))
                    o.header.push_back("- " + line);
                o.header.push_back("then add the records below.");
            }
            break;
    }
    if (spec.pattern != Pattern::A && spec.mail_none && !whole)
        o.header.push_back(
            "mail: none: the domain receives no mail. Replace every MX at @ with the null MX "
            "below (RFC 7505: it must be the only one), and a TXT starting with v=spf1 at @ "
            "with v=spf1 -all.");
    if (spec.pattern == Pattern::B) {
        const auto& sec = profile.pattern_b_secondary();
        std::string addrs;
        for (const auto& a : sec.ipv4) addrs += (addrs.empty() ? "" : ", ") + a;
        for (const auto& a : sec.ipv6) addrs += (addrs.empty() ? "" : ", ") + a;
        o.header.push_back("Our secondary " + sec.name.to_string() +
                           " transfers the zone from your primary: allow it to transfer the "
                           "zone (AXFR) from " +
                           addrs + ", and send it NOTIFY.");
        if (!whole) o.no_ttl.push_back({spec.domain, rrtype::NS});
    }
    return zone_text(desired.zone, o);
}

std::string records_text(const Spec& spec, const Profile& profile, const Desired& desired,
                         const std::string& header) {
    ZoneTextOptions o;
    o.default_ttl = spec.ttl.value_or(profile.ttl_default);
    o.header.push_back(header);
    if (spec.pattern == Pattern::B && desired.fragment)
        o.no_ttl.push_back({spec.domain, rrtype::NS});
    return zone_text(desired.zone, o);
}

nlohmann::json pdns_rrsets(const Zone& zone) {
    auto arr = nlohmann::json::array();
    for (const auto* s : ordered(zone)) {
        auto records = nlohmann::json::array();
        for (const auto& rr : s->rrs)
            records.push_back({{"content", pdns_content(s->type, rr.rdata)}, {"disabled", false}});
        arr.push_back({{"name", s->owner.to_string()},
                       {"type", pdns_type_name(s->type)},
                       {"ttl", s->ttl()},
                       {"records", records}});
    }
    return arr;
}

namespace {

nlohmann::json pdns_create_body_of(const Spec& spec, const Desired& desired) {
    switch (spec.pattern) {
        case Pattern::A:
            // INCREASE: after creation PowerDNS owns the serial and adds one per change, so it
            // never goes backwards, whoever edits the zone through the API.
            return {{"name", spec.domain.to_string()},
                    {"kind", "Master"},
                    {"soa_edit_api", "INCREASE"},
                    {"nameservers", nlohmann::json::array()},
                    {"rrsets", pdns_rrsets(desired.zone)}};
        case Pattern::B: {
            auto masters = nlohmann::json::array();
            for (const auto& e : spec.customer_primary) masters.push_back(e.to_string());
            nlohmann::json body = {
                {"name", spec.domain.to_string()}, {"kind", "Slave"}, {"masters", masters}};
            if (spec.tsig) body["slave_tsig_key_ids"] = {spec.tsig->name.to_string()};
            return body;
        }
        case Pattern::C:
            return nullptr;
    }
    return nullptr;
}

}  // namespace

nlohmann::json pdns_create_body(const Spec& spec, const Desired& desired) {
    nlohmann::json body = pdns_create_body_of(spec, desired);
    // Tenancy: the control panel's customer id, PowerDNS's zone account.
    if (spec.account && body.is_object()) body["account"] = *spec.account;
    return body;
}

nlohmann::json finding_json(const Finding& f) {
    nlohmann::json j = {
        {"check", f.check},
        {"severity", to_string(f.severity)},
        {"owner", f.owner.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.owner)},
        {"type", f.type ? nlohmann::json(type_name(*f.type)) : nlohmann::json(nullptr)},
        {"message", f.message},
        {"line", f.line ? nlohmann::json(f.line) : nlohmann::json(nullptr)}};
    if (!f.file.empty()) j["file"] = f.file;
    return j;
}

nlohmann::json findings_json(const std::vector<Finding>& fs) {
    auto arr = nlohmann::json::array();
    for (const auto& f : fs) arr.push_back(finding_json(f));
    return arr;
}

std::string finding_text(const Finding& f) {
    std::string out;
    if (!f.file.empty()) {
        out += f.file;
        if (f.line) out += ":" + std::to_string(f.line);
        out += ": ";
    } else if (f.line) {
        out += "line " + std::to_string(f.line) + ": ";
    }
    out += to_string(f.severity);
    out += ": ";
    if (!f.owner.empty()) out += "[" + f.owner + "] ";
    out += f.message + " (" + f.check + ")";
    return out;
}

}  // namespace zonegen
