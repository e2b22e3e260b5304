#include "zonegen/generate.hpp"

#include <cstdlib>
#include <set>
#include <string_view>

#include "zonegen/errors.hpp"

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

std::string join_txt(const std::string& wire) {
    std::string s;
    for (const auto& part : txt_strings(wire)) s += part;
    return s;
}

std::time_t generation_time() {
    if (const char* sde = std::getenv("SOURCE_DATE_EPOCH"); sde && *sde) {
        char* end = nullptr;
        long long v = std::strtoll(sde, &end, 10);
        if (*end != '\0' || v < 0)
            throw InputError("SOURCE_DATE_EPOCH='" + std::string(sde) +
                             "' is not a number of seconds");
        return static_cast<std::time_t>(v);
    }
    return std::time(nullptr);
}

std::uint32_t date_serial(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    return static_cast<std::uint32_t>((tm.tm_year + 1900) * 1000000u + (tm.tm_mon + 1) * 10000u +
                                      tm.tm_mday * 100u + 1u);
}

bool is_spf(const std::string& canonical_txt) {
    std::string s = join_txt(canonical_txt);
    if (s.size() < 6) return false;
    std::string head = s.substr(0, 6);
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return head == "v=spf1" && (s.size() == 6 || s[6] == ' ');
}

std::string spf_server_terms(const HostAddrs& server) {
    std::string out;
    auto term = [&out](std::string_view kind, const std::string& addr) {
        if (!out.empty()) out += ' ';
        out.append(kind).append(addr);
    };
    for (const auto& a : server.ipv4) term("ip4:", a);
    for (const auto& a : server.ipv6) term("ip6:", a);
    return out;
}

std::vector<std::string> spf_terms(const std::string& spf) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < spf.size()) {
        while (i < spf.size() && spf[i] == ' ') ++i;
        std::size_t j = spf.find(' ', i);
        if (j == std::string::npos) j = spf.size();
        if (j > i) out.push_back(spf.substr(i, j - i));
        i = j;
    }
    return out;
}

std::string merge_spf(const std::string& spf, const std::string& terms) {
    std::set<std::string> present;
    for (auto term : spf_terms(spf)) {
        for (auto& c : term) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        present.insert(term);
    }
    std::string add;
    for (const auto& term : spf_terms(terms))
        if (!present.count(term) && !present.count("+" + term)) add += " " + term;
    return spf.substr(0, 6) + add + spf.substr(6);
}

Desired build_desired(const Spec& spec, const Profile& profile, const GenerateOptions& opts) {
    const Name& d = spec.domain;
    Desired out{Zone(d), spec.pattern != Pattern::A, 0, false, spec.warnings};
    Zone& z = out.zone;
    const std::uint32_t ttl = spec.ttl.value_or(profile.ttl_default);
    auto add = [&](const Name& owner, RRType type, std::uint32_t t, const std::string& rdata,
                   int line) {
        if (auto f = z.add(owner, type, t, rdata, line)) {
            f->file = line ? spec.source : "";
            out.findings.push_back(std::move(*f));
        }
    };

    if (spec.pattern == Pattern::A) {
        out.serial = opts.serial ? *opts.serial : date_serial(opts.now);
        Soa soa{profile.soa_mname, profile.soa_rname, out.serial,     profile.refresh,
                profile.retry,     profile.expire,    profile.minimum};
        add(d, rrtype::SOA, profile.ttl_soa, soa_wire(soa), 0);
        for (const auto& ns : profile.nameservers)
            add(d, rrtype::NS, profile.ttl_ns, ns.name.wire(), 0);
    } else if (spec.pattern == Pattern::B) {
        const auto& sec = profile.pattern_b_secondary();
        add(d, rrtype::NS, profile.ttl_ns, sec.name.wire(), 0);
    }
    // One of our name servers inside the customer's domain needs its addresses in the zone.
    for (const auto& ns : profile.nameservers) {
        bool serves = spec.pattern == Pattern::A || (spec.pattern == Pattern::B && ns.pattern_b);
        if (!serves || !ns.name.is_subdomain_of(d)) continue;
        for (const auto& a : ns.ipv4)
            add(ns.name, rrtype::A, profile.ttl_ns, parse_rdata(rrtype::A, a, d), 0);
        for (const auto& a : ns.ipv6)
            add(ns.name, rrtype::AAAA, profile.ttl_ns, parse_rdata(rrtype::AAAA, a, d), 0);
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
                add(owner, t.type, t.ttl.value_or(ttl), rdata, 0);
            }
        }
    };
    if (spec.web) apply_templates(profile.web);
    if (spec.mail) apply_templates(profile.mail);

    // records: from the spec. A v=spf1 at the apex is where our addresses go.
    const RRset* user_spf_set = nullptr;
    std::string user_spf;
    for (const auto& r : spec.records) {
        add(r.owner, r.type, r.ttl.value_or(ttl), r.rdata, r.line);
    }
    if (const RRset* txt = z.find(d, rrtype::TXT)) {
        for (const auto& rr : txt->rrs)
            if (is_spf(rr.rdata)) {
                user_spf_set = txt;
                user_spf = rr.rdata;
                break;
            }
    }

    if (spec.mail) {
        std::string terms = spf_server_terms(spec.server);
        if (user_spf_set) {
            std::string merged = merge_spf(join_txt(user_spf), terms);
            std::vector<std::string> rdata;
            for (const auto& rr : user_spf_set->rrs)
                rdata.push_back(rr.rdata == user_spf ? txt_wire(merged) : rr.rdata);
            z.set(d, rrtype::TXT, user_spf_set->ttl(), rdata);
            out.spf_merged = true;
        } else {
            add(d, rrtype::TXT, ttl, txt_wire("v=spf1 " + terms + " " + profile.spf_all), 0);
        }
    } else if (spec.pattern == Pattern::A && !z.find(d, rrtype::MX)) {
        // (B and C: the customer's own zone keeps whatever MX it has.)
        if (profile.null_mx_without_mail) {
            add(d, rrtype::MX, ttl, std::string("\0\0\0", 3), 0);
            if (!user_spf_set) add(d, rrtype::TXT, ttl, txt_wire("v=spf1 -all"), 0);
        } else {
            out.findings.push_back({"no-mail", Severity::warning, d.to_string(), rrtype::MX,
                                    "mail is not a service and records: has no MX: " +
                                        d.to_string() + " will receive no mail",
                                    0, ""});
        }
    }
    return out;
}

}  // namespace zonegen
