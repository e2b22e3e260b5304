#include "zonegen/primary_config.hpp"
#include "zonegen/text.hpp"

namespace zonegen {
namespace {

// What every server's text is made of: the zone, our secondary's addresses (where its
// transfers come from) and its DNS port (where NOTIFY goes), the key, the language.
struct Ctx {
    bool ja = true;
    std::string zone;
    std::vector<std::string> addrs;  // IPv4 first, then IPv6, as the profile lists them
    std::uint16_t port = 53;
    bool tsig = false;
    std::string key, alg;
    Name zone_name;

    std::string L(const std::string& j, const std::string& e) const { return ja ? j : e; }
    std::string secret() const {
        return L("(当社からお伝えした共有鍵)", "(the shared secret we sent you)");
    }
    std::string zonefile() const { return L("(ゾーンファイル)", "(your zone file)"); }
    static bool v6(const std::string& a) { return a.find(':') != std::string::npos; }
    // The NOTIFY targets: ADDR@PORT (NSD, Knot) where the port is not 53.
    std::vector<std::string> at_port() const {
        std::vector<std::string> v;
        for (const auto& a : addrs) v.push_back(port == 53 ? a : a + "@" + std::to_string(port));
        return v;
    }
};

Ctx context(const Spec& spec, const Profile& profile, bool ja) {
    const auto& sec = profile.pattern_b_secondary();
    Ctx c;
    c.ja = ja;
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
    if (c.tsig)
        s +=
            c.L("// named.conf のゾーン定義の外（トップレベル）に、このゾーン用の鍵を追加してくださ"
                "い:\n",
                "// named.conf, outside every zone block: add this zone's key:\n") +
            bind_key(c);
    s += c.L("// zone \"" + c.zone +
                 "\" の allow-transfer { ... }; に次の項目を追加してください。\n"
                 "// 既存の項目はそのまま残します。ゾーンに allow-transfer がない場合は、今は "
                 "options の\n// allow-transfer（またはBINDの既定値）が適用されています。そこで"
                 "許可しているセカンダリも\n// 併せて記載してください:\n",
             "// In zone \"" + c.zone +
                 "\", add these entries to allow-transfer { ... };, keeping the\n"
                 "// entries already there. A zone without allow-transfer uses the one in "
                 "options (or\n// BIND's default) today: list the secondaries it allows as "
                 "well:\n");
    for (const auto& e : bind_allow(c)) s += "    " + e + ";\n";
    s +=
        c.L("// 同じゾーンの also-notify { ... }; に次の項目を追加してください（既存の項目は残しま"
            "す。\n// also-notify がない場合は also-notify { ... }; として追加してください）:\n",
            "// In the same zone, add these entries to also-notify { ... }; (keep the entries\n"
            "// already there; a zone without it gets also-notify { ... }; with these):\n");
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
    if (c.tsig)
        s += c.L("# nsd.conf のトップレベル（zone: の外）に、このゾーン用の鍵を追加してください:\n",
                 "# nsd.conf, at the top level (outside every zone:), add this zone's key:\n") +
             nsd_key(c);
    s += c.L("# " + c.zone +
                 " の zone: に次の行を追加してください（既存の provide-xfr: と notify: の\n"
                 "# 行はそのまま残します）:\n",
             "# In the zone: of " + c.zone +
                 ", add these lines beside the provide-xfr: and notify: lines\n"
                 "# already there (keep them):\n");
    return s + nsd_zone_lines(c);
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
    return c.L("# knot.conf の zone: より前に、次のセクションを追加してください（同じセクションが複"
               "数\n# あっても構いません。ゾーンが参照するものは、その前に定義が必要です）:\n",
               "# knot.conf: add these sections before the zone: section (a section may appear\n"
               "# more than once; what a zone refers to must be defined above it):\n") +
           knot_sections(c) +
           c.L("# ゾーンの項目（- domain: " + c.zone +
                   "）に次の2行を追加してください。Knot は既存の\n# notify: と acl: "
                   "に追加します（ゾーンが notify/acl をテンプレートから受けている場合は、\n# "
                   "テンプレートの id もゾーンに併せて記載してください）:\n",
               "# In the zone's entry (- domain: " + c.zone +
                   "), add these two lines: Knot adds them to the\n# notify: and acl: already "
                   "there (where the zone takes notify/acl from a template, list\n# the "
                   "template's ids in the zone too):\n") +
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
    if (!c.tsig) return "";
    return c.L(
        "# pdns.conf の allow-axfr-ips に当社のアドレスを含めないでください（鍵なしで転送でき"
        "てしまいます）。\n",
        "# allow-axfr-ips in pdns.conf must not list our addresses (they would transfer "
        "without\n# the key).\n");
}

std::string pdns_complete(const Ctx& c) {
    return c.L("# pdns.conf に primary=yes を設定したうえで:\n",
               "# with primary=yes in pdns.conf:\n") +
           pdns_tsig_note(c) + "pdnsutil load-zone " + c.zone + " '" + c.zonefile() + "'\n" +
           "pdnsutil set-kind " + c.zone + " primary\n" + pdns_meta(c, "set-meta");
}

std::string pdns_additions(const Ctx& c) {
    return c.L("# pdns.conf に primary=yes を設定してください。add-meta は既存の値に追加します\n"
               "# （set-meta は置き換えてしまうため使わないでください）。ゾーンの種別が native "
               "の場合は\n# NOTIFY が送られないため、primary にしてください: pdnsutil set-kind " +
                   c.zone + " primary\n",
               "# with primary=yes in pdns.conf. add-meta adds to the values already there "
               "(set-meta\n# would replace them). A zone of kind native sends no NOTIFY: make "
               "it primary with\n# pdnsutil set-kind " +
                   c.zone + " primary\n") +
           pdns_tsig_note(c) + pdns_meta(c, "add-meta");
}

}  // namespace

std::string knot_remote_id(const Name& zone) {
    return "managed-secondary-" + bare(zone);
}
std::string knot_acl_id(const Name& zone) {
    return "managed-secondary-xfr-" + bare(zone);
}

std::vector<Snippet> primary_config(const Spec& spec, const Profile& profile, bool ja) {
    const Ctx c = context(spec, profile, ja);
    return {{"BIND", bind_complete(c)},
            {"NSD", nsd_complete(c)},
            {"Knot", knot_complete(c)},
            {"PowerDNS", pdns_complete(c)}};
}

std::vector<Snippet> primary_config_additions(const Spec& spec, const Profile& profile, bool ja) {
    const Ctx c = context(spec, profile, ja);
    return {{"BIND", bind_additions(c)},
            {"NSD", nsd_additions(c)},
            {"Knot", knot_additions(c)},
            {"PowerDNS", pdns_additions(c)}};
}

}  // namespace zonegen
