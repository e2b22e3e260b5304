#include "zonegen/primary_config.hpp"
#include "zonegen/text.hpp"

#include <nlohmann/json.hpp>

namespace zonegen {
namespace {

// What every server's text is made of: the zone, our secondary's addresses (where its
// transfers come from) and its DNS port (where NOTIFY goes), the key, the language.
struct Ctx {
    const Wording* w = nullptr;
    std::string zone;
    std::vector<std::string> addrs;  // IPv4 first, then IPv6, as the profile lists them
    std::uint16_t port = 53;
    bool tsig = false;
    std::string key, alg;
    Name zone_name;

    // The text primary.<key> of the wording, with its line break.
    std::string say(const std::string& id) const {
        return w->say("primary." + id, {{"zone", zone}}) + "\n";
    }
    std::string secret() const { return w->say("primary.secret", nlohmann::json::object()); }
    std::string zonefile() const { return w->say("primary.zonefile", nlohmann::json::object()); }
    static bool v6(const std::string& a) { return a.find(':') != std::string::npos; }
    // The NOTIFY targets: ADDR@PORT (NSD, Knot) where the port is not 53.
    std::vector<std::string> at_port() const {
        std::vector<std::string> v;
        for (const auto& a : addrs) v.push_back(port == 53 ? a : a + "@" + std::to_string(port));
        return v;
    }
};

Ctx context(const Spec& spec, const Profile& profile, const Wording& w) {
    const auto& sec = profile.pattern_b_secondary();
    Ctx c;
    c.w = &w;
    c.zone_name = spec.domain;
    c.zone = bare(spec.domain);
    c.addrs = sec.ipv4;
    c.addrs.insert(c.addrs.end(), sec.ipv6.begin(), sec.ipv6.end());
    c.port = sec.dns_port;
    if (spec.tsig) {
        c.tsig = true;
        c.key = bare(spec.tsig->name);
        c.alg = spec.tsig->algorithm;
    }
    return c;
}

// ---- BIND ---------------------------------------------------------------------------------

std::string bind_key(const Ctx& c) {
    return "key \"" + c.key + "\" {\n    algorithm " + c.alg + ";\n    secret \"" + c.secret() +
           "\";\n};\n";
}

// allow-transfer's entries: the key alone with TSIG (our address without it is refused).
std::vector<std::string> bind_allow(const Ctx& c) {
    if (c.tsig) return {"key \"" + c.key + "\""};
    return c.addrs;
}

// also-notify's entries: "ADDR port N key K" (BIND takes the port as a word of its own).
std::vector<std::string> bind_notify(const Ctx& c) {
    std::vector<std::string> v;
    for (const auto& a : c.addrs)
        v.push_back(a + (c.port == 53 ? "" : " port " + std::to_string(c.port)) +
                    (c.tsig ? " key \"" + c.key + "\"" : ""));
    return v;
}

std::string bind_complete(const Ctx& c) {
    std::string s = c.tsig ? bind_key(c) : "";
    s += "zone \"" + c.zone + "\" {\n    type primary;\n    file \"" + c.zonefile() + "\";\n";
    s += "    allow-transfer { " + join(bind_allow(c), "; ") + "; };\n";
    s += "    also-notify { " + join(bind_notify(c), "; ") + "; };\n";
    return s + "};\n";
}

std::string bind_additions(const Ctx& c) {
    std::string s;
    if (c.tsig) s += c.say("bind_key_where") + bind_key(c);
    s += c.say("bind_allow_where");
    for (const auto& e : bind_allow(c)) s += "    " + e + ";\n";
    s += c.say("bind_notify_where");
    for (const auto& e : bind_notify(c)) s += "    " + e + ";\n";
    return s;
}

// ---- NSD ----------------------------------------------------------------------------------

std::string nsd_key(const Ctx& c) {
    return "key:\n    name: \"" + c.key + "\"\n    algorithm: " + c.alg + "\n    secret: \"" +
           c.secret() + "\"\n";
}

// provide-xfr: and notify: lines; with TSIG each names the key (address and key must match).
std::string nsd_zone_lines(const Ctx& c) {
    std::string s, k = c.tsig ? c.key : "NOKEY";
    for (const auto& a : c.addrs) s += "    provide-xfr: " + a + " " + k + "\n";
    for (const auto& a : c.at_port()) s += "    notify: " + a + " " + k + "\n";
    return s;
}

std::string nsd_complete(const Ctx& c) {
    return (c.tsig ? nsd_key(c) : "") + "zone:\n    name: \"" + c.zone + "\"\n    zonefile: \"" +
           c.zonefile() + "\"\n" + nsd_zone_lines(c);
}

std::string nsd_additions(const Ctx& c) {
    std::string s;
    if (c.tsig) s += c.say("nsd_key_where") + nsd_key(c);
    return s + c.say("nsd_lines_where") + nsd_zone_lines(c);
}

// ---- Knot ---------------------------------------------------------------------------------

// The key, remote and acl sections: ids of this zone's own, so sections may repeat.
std::string knot_sections(const Ctx& c) {
    std::string s, key = c.tsig ? "    key: " + c.key + "\n" : "";
    if (c.tsig)
        s += "key:\n  - id: " + c.key + "\n    algorithm: " + c.alg +
             "\n    secret: " + c.secret() + "\n";
    s += "remote:\n  - id: " + knot_remote_id(c.zone_name) + "\n    address: [" +
         join(c.at_port(), ", ") + "]\n" + key;
    s += "acl:\n  - id: " + knot_acl_id(c.zone_name) + "\n    address: [" + join(c.addrs, ", ") +
         "]\n" + key + "    action: transfer\n";
    return s;
}

std::string knot_zone_lines(const Ctx& c) {
    return "    notify: " + knot_remote_id(c.zone_name) + "\n    acl: " + knot_acl_id(c.zone_name) +
           "\n";
}

std::string knot_complete(const Ctx& c) {
    return knot_sections(c) + "zone:\n  - domain: " + c.zone + "\n    file: " + c.zonefile() +
           "\n" + knot_zone_lines(c);
}

std::string knot_additions(const Ctx& c) {
    return c.say("knot_sections_where") + knot_sections(c) + c.say("knot_lines_where") +
           knot_zone_lines(c);
}

// ---- PowerDNS -----------------------------------------------------------------------------

// ALSO-NOTIFY's values: ADDR:PORT, [V6]:PORT (ProviderNs::endpoints' form).
std::vector<std::string> pdns_notify(const Ctx& c) {
    std::vector<std::string> v;
    for (const auto& a : c.addrs)
        v.push_back(c.port == 53 ? a
                                 : (Ctx::v6(a) ? "[" + a + "]" : a) + ":" + std::to_string(c.port));
    return v;
}

// The metadata: with TSIG only TSIG-ALLOW-AXFR (ALLOW-AXFR-FROM beside it would let our
// address transfer without the key: either suffices in PowerDNS). VERB: set-meta for a new
// zone, add-meta for an existing one (set-meta would replace the other secondaries').
std::string pdns_meta(const Ctx& c, const std::string& verb) {
    std::string s;
    if (!c.tsig)
        s += "pdnsutil " + verb + " " + c.zone + " ALLOW-AXFR-FROM " + join(c.addrs, " ") + "\n";
    s += "pdnsutil " + verb + " " + c.zone + " ALSO-NOTIFY " + join(pdns_notify(c), " ") + "\n";
    if (c.tsig) {
        s += "pdnsutil import-tsig-key " + c.key + " " + c.alg + " '" + c.secret() + "'\n";
        s += "pdnsutil activate-tsig-key " + c.zone + " " + c.key + " primary\n";
    }
    return s;
}

std::string pdns_tsig_note(const Ctx& c) {
    return c.tsig ? c.say("pdns_tsig_note") : "";
}

std::string pdns_complete(const Ctx& c) {
    return c.say("pdns_complete_intro") + pdns_tsig_note(c) + "pdnsutil load-zone " + c.zone +
           " '" + c.zonefile() + "'\n" + "pdnsutil set-kind " + c.zone + " primary\n" +
           pdns_meta(c, "set-meta");
}

std::string pdns_additions(const Ctx& c) {
    return c.say("pdns_additions_intro") + pdns_tsig_note(c) + pdns_meta(c, "add-meta");
}

}  // namespace

std::string knot_remote_id(const Name& zone) {
    return "managed-secondary-" + bare(zone);
}
std::string knot_acl_id(const Name& zone) {
    return "managed-secondary-xfr-" + bare(zone);
}

std::vector<Snippet> primary_config(const Spec& spec, const Profile& profile, const Wording& w) {
    const Ctx c = context(spec, profile, w);
    return {{"BIND", bind_complete(c)},
            {"NSD", nsd_complete(c)},
            {"Knot", knot_complete(c)},
            {"PowerDNS", pdns_complete(c)}};
}

std::vector<Snippet> primary_config_additions(const Spec& spec, const Profile& profile,
                                              const Wording& w) {
    const Ctx c = context(spec, profile, w);
    return {{"BIND", bind_additions(c)},
            {"NSD", nsd_additions(c)},
            {"Knot", knot_additions(c)},
            {"PowerDNS", pdns_additions(c)}};
}

}  // namespace zonegen
