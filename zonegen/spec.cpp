#include "zonegen/spec.hpp"

#include "zonegen/dkim.hpp"
#include "zonegen/domain.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/input.hpp"
#include "zonegen/spf.hpp"
#include "zonegen/tenancy.hpp"
#include "zonegen/utf8.hpp"
#include "zonegen/yaml_util.hpp"

namespace zonegen {
namespace {

using yamlx::Map;

HostAddrs nameserver(const YAML::Node& n, const std::string& src, const std::string& path) {
    HostAddrs h;
    if (n.IsScalar()) {
        h.name = yamlx::host_name(n, src, path);
        return h;
    }
    Map m(n, src, path, {"name", "ipv4", "ipv6"});
    h.name = yamlx::host_name(m.require("name"), src, m.path("name"));
    h.ipv4 = yamlx::addresses(m.get("ipv4"), src, m.path("ipv4"), false);
    h.ipv6 = yamlx::addresses(m.get("ipv6"), src, m.path("ipv6"), true);
    m.finish();
    return h;
}

// An owner from `records:`: "@", a name relative to the domain, or an absolute one; a
// leading "*" label makes a wildcard, and service labels (_dmarc) are allowed.
Name owner_name(const std::string& owner, const Name& domain) {
    if (owner == "@") return domain;
    bool absolute = !owner.empty() && owner.back() == '.';
    std::string body = absolute ? owner.substr(0, owner.size() - 1) : owner;
    bool wildcard = false;
    if (body == "*") {
        wildcard = true;
        body.clear();
    } else if (body.rfind("*.", 0) == 0) {
        wildcard = true;
        body.erase(0, 2);
    }
    Name base = absolute ? Name() : domain;
    if (!body.empty()) {
        Name a = to_a_labels(body, true);
        if (absolute) {
            base = a;
        } else {
            auto labels = a.labels();
            for (const auto& l : domain.labels()) labels.push_back(l);
            base = Name::from_labels(labels);
        }
    }
    return wildcard ? base.prepend("*") : base;
}

// A warning for each server address that no one on the Internet reaches: the A and AAAA
// records zonegen writes for the web and mail would point there.
void warn_special_addresses(const Map& server, Spec& s, const std::string& src) {
    for (const char* family : {"ipv4", "ipv6"}) {
        const auto list = server.node()[family];
        const auto& addrs = family[3] == '4' ? s.server.ipv4 : s.server.ipv6;
        for (std::size_t i = 0; i < addrs.size(); ++i) {
            const char* kind = special_address(addrs[i]);
            if (!kind) continue;
            s.warnings.push_back(
                {"server-address-special", Severity::warning, s.server.name.to_string(),
                 family[3] == '4' ? rrtype::A : rrtype::AAAA,
                 "'server." + std::string(family) + "[" + std::to_string(i) + "]': " + addrs[i] +
                     " is " + kind +
                     ", not an address the Internet reaches: the web and mail records for the "
                     "server would point there",
                 yamlx::line_of(list[i]), src});
        }
    }
}

// A warning for a `records:` entry that repeats an earlier one (name, type and data): an
// rrset holds each record once, so the repeat is dropped.
void warn_duplicate(const ExtraRecord& r, Spec& s, const std::string& src) {
    for (const auto& prev : s.records)
        if (prev.owner == r.owner && prev.type == r.type && prev.rdata == r.rdata) {
            s.warnings.push_back({"duplicate-record", Severity::warning, r.owner.to_string(),
                                  r.type,
                                  "this records: entry repeats the one at line " +
                                      std::to_string(prev.line) + " (it is written once)",
                                  r.line, src});
            return;
        }
}

// `mail: none`: only that value, and only when mail is not a service.
void parse_mail_none(const YAML::Node& n, Spec& s, const std::string& src) {
    if (yamlx::scalar(n, src, "mail") != "none")
        yamlx::fail(src, n, "mail",
                    "'" + n.Scalar() +
                        "' is not a value of mail: the one value is none (the domain receives no "
                        "mail)");
    if (s.mail)
        yamlx::fail(src, n, "mail",
                    "mail: none says the domain receives no mail, but mail is in services: leave "
                    "one of them out");
    s.mail_none = true;
}

// With `mail: none` the apex gets the null MX and "v=spf1 -all": a records: MX at the apex
// (RFC 7505 section 3: no other MX beside a null MX) or an SPF that authorises senders (a
// receiver refuses mail from a domain with a null MX, RFC 7505 section 4.2) contradicts it.
void check_mail_none_record(const ExtraRecord& r, const YAML::Node& at, const std::string& path,
                            const Spec& s, const std::string& src) {
    if (r.owner != s.domain) return;
    if (r.type == rrtype::MX)
        yamlx::fail(src, at, path + ".data",
                    "an MX at the apex beside mail: none: a null MX must be the only MX (RFC 7505 "
                    "section 3). Give the MX of the customer's mail service and drop mail: none, "
                    "or drop this MX");
    if (r.type == rrtype::TXT && is_spf(r.rdata)) {
        auto terms = spf_terms(join_txt(r.rdata));
        std::string last = terms.size() == 2 ? terms[1] : "";
        for (auto& c : last) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        bool none = last == "-all";
        if (!none)
            yamlx::fail(src, at, path + ".data",
                        "an SPF that authorises senders beside mail: none: receivers refuse mail "
                        "from a domain whose MX is null (RFC 7505 section 4.2), and mail: none "
                        "publishes v=spf1 -all. Drop this SPF, or drop mail: none and give the MX "
                        "of the customer's mail service");
    }
}

const std::vector<std::string> kSpecKeys = {
    "domain",           "dns_pattern",          "registrar", "server",  "services",     "mail",
    "customer_primary", "customer_nameservers", "tsig",      "dkim",    "dkim_retired", "ttl",
    "import_from",      "replace_external_mx",  "records",   "account",
    "dnssec",           // sign on our servers (pattern A)
    "dnssec_move",      // how a signed zone moves in: insecure (default) | multi-signer
    "old_dnskeys",      // multi-signer: the old provider's DNSKEYs
    "old_zone_signed",  // the old zone's DNSSEC
    "old_ds_ttl"};

// The file's directory (relative paths in the spec are read from there); standard input
// (and a batch's JSON Lines) has none.
void set_dir(const std::string& file, Spec& s) {
    if (file != "<stdin>" && file.rfind("<stdin>:", 0) != 0) {
        auto slash = file.rfind('/');
        s.dir = slash == std::string::npos ? "." : slash == 0 ? "/" : file.substr(0, slash);
    }
}

void parse_domain(Map& top, Spec& s, const std::string& src) {
    auto dn = top.require("domain");
    try {
        s.domain_written = yamlx::scalar(dn, src, "domain");
        Name d = to_a_labels(s.domain_written);
        auto check = check_registrable(d);
        s.domain = check.domain;
        if (!check.tld_known)
            s.warnings.push_back(
                {"tld-unknown", Severity::warning, s.domain.to_string(), std::nullopt,
                 "the TLD is not in the Public Suffix List: check the domain's spelling",
                 yamlx::line_of(dn), src});
    } catch (const DomainError& e) {
        yamlx::fail(src, dn, "domain", e.what());
    }
}

void parse_server(Map& top, Spec& s, const std::string& src) {
    auto sn = top.require("server");
    Map m(sn, src, "server", {"name", "ipv4", "ipv6"});
    s.server.name = yamlx::host_name(m.require("name"), src, "server.name");
    s.server.ipv4 = yamlx::addresses(m.get("ipv4"), src, "server.ipv4", false);
    s.server.ipv6 = yamlx::addresses(m.get("ipv6"), src, "server.ipv6", true);
    m.finish();
    if (s.server.ipv4.empty() && s.server.ipv6.empty())
        yamlx::fail(src, sn, "server", "needs at least one address in ipv4 or ipv6");
    warn_special_addresses(m, s, src);
}

void parse_services(Map& top, Spec& s, const std::string& src) {
    auto sv = top.get("services");
    if (!sv.IsDefined()) return;
    s.web = s.mail = false;
    auto list = yamlx::strings(sv, src, "services");
    for (std::size_t i = 0; i < list.size(); ++i) {
        bool& flag = list[i] == "web" ? s.web : s.mail;
        if (list[i] != "web" && list[i] != "mail")
            yamlx::fail(src, sv[i], "services[" + std::to_string(i) + "]",
                        "'" + list[i] + "' is not web or mail");
        if (flag)
            yamlx::fail(src, sv[i], "services[" + std::to_string(i) + "]",
                        "'" + list[i] + "' listed twice");
        flag = true;
    }
}

void parse_customer_primary(Map& top, const YAML::Node& root, Spec& s, const std::string& src) {
    auto cp = top.get("customer_primary");
    if (cp.IsDefined()) {
        if (s.pattern != Pattern::B)
            yamlx::fail(src, cp, "customer_primary",
                        "only pattern B has a customer primary to transfer from");
        yamlx::sequence(cp, src, "customer_primary");
        for (std::size_t i = 0; i < cp.size(); ++i) {
            std::string p = "customer_primary[" + std::to_string(i) + "]";
            std::string why;
            auto e = parse_endpoint(yamlx::scalar(cp[i], src, p), &why);
            if (!e) yamlx::fail(src, cp[i], p, "'" + cp[i].Scalar() + "': " + why);
            s.customer_primary.push_back(*e);
        }
    }
    if (s.pattern == Pattern::B && s.customer_primary.empty())
        yamlx::fail(src, cp.IsDefined() ? cp : root, "customer_primary",
                    "pattern B needs the address of the customer's primary, which our secondary "
                    "transfers from");
}

// One entry of customer_nameservers: glue only (and always) for a server inside the domain.
HostAddrs customer_nameserver(const YAML::Node& n, const std::string& p, Spec& s,
                              const std::string& src) {
    auto h = nameserver(n, src, p);
    bool inside = h.name.is_subdomain_of(s.domain);
    if (inside && h.ipv4.empty() && h.ipv6.empty())
        yamlx::fail(src, n, p,
                    h.name.to_string() +
                        " is inside the domain, so the registrar needs its "
                        "addresses (glue): give {name: ..., ipv4: [...]}");
    if (!inside && !(h.ipv4.empty() && h.ipv6.empty()))
        s.warnings.push_back(
            {"glue-not-needed", Severity::warning, h.name.to_string(), std::nullopt,
             "the addresses of a name server outside the domain are not registered as glue",
             yamlx::line_of(n), src});
    for (const auto& prev : s.customer_nameservers)
        if (prev.name == h.name) yamlx::fail(src, n, p, "name server listed twice");
    return h;
}

void parse_customer_nameservers(Map& top, const YAML::Node& root, Spec& s, const std::string& src) {
    auto cn = top.get("customer_nameservers");
    if (cn.IsDefined()) {
        if (s.pattern == Pattern::A)
            yamlx::fail(src, cn, "customer_nameservers", "pattern A uses our name servers only");
        yamlx::sequence(cn, src, "customer_nameservers");
        for (std::size_t i = 0; i < cn.size(); ++i) {
            std::string p = "customer_nameservers[" + std::to_string(i) + "]";
            s.customer_nameservers.push_back(customer_nameserver(cn[i], p, s, src));
        }
    }
    if (s.pattern != Pattern::A && s.customer_nameservers.empty())
        yamlx::fail(src, cn.IsDefined() ? cn : root, "customer_nameservers",
                    std::string("pattern ") + to_string(s.pattern) +
                        " needs the customer's own name servers");
}

// tsig.name as given, or xfr.<domain>.
Name tsig_name(Map& m, const YAML::Node& t, const Spec& s, const std::string& src) {
    if (m.has("name")) {
        auto kn = yamlx::scalar(m.get("name"), src, "tsig.name");
        try {
            Name n = Name::parse_fqdn(kn);
            if (!is_hostname(n, false)) throw NameError("letters, digits and inner hyphens only");
            return n;
        } catch (const NameError& e) {
            yamlx::fail(src, m.get("name"), "tsig.name",
                        "'" + kn + "' is not a key name: " + e.what());
        }
    }
    try {
        return default_tsig_name(s.domain);
    } catch (const NameError& e) {
        yamlx::fail(
            src, t, "tsig.name",
            std::string("xfr.<domain> is too long a key name: give one (") + e.what() + ")");
    }
}

void parse_tsig(Map& top, Spec& s, const std::string& src) {
    auto t = top.get("tsig");
    if (!t.IsDefined()) return;
    if (s.pattern != Pattern::B)
        yamlx::fail(src, t, "tsig", "a TSIG key is only used for pattern B's transfers");
    Map m(t, src, "tsig", {"name", "algorithm", "secret", "secret_file"});
    TsigRef k;
    k.name = tsig_name(m, t, s, src);
    k.algorithm = yamlx::scalar(m.require("algorithm"), src, "tsig.algorithm");
    static const char* algs[] = {"hmac-md5",    "hmac-sha1",   "hmac-sha224",
                                 "hmac-sha256", "hmac-sha384", "hmac-sha512"};
    bool ok = false;
    for (auto* a : algs) ok |= k.algorithm == a;
    if (!ok)
        yamlx::fail(src, m.get("algorithm"), "tsig.algorithm",
                    "'" + k.algorithm +
                        "' is not one of hmac-sha256, hmac-sha512, hmac-sha384, hmac-sha224, "
                        "hmac-sha1, hmac-md5");
    if (m.has("secret"))
        yamlx::fail(src, m.get("secret"), "tsig.secret",
                    "the secret never goes in the spec: put it in a file (mode 0600) and name "
                    "it with secret_file");
    k.secret_file = yamlx::scalar(m.require("secret_file"), src, "tsig.secret_file");
    m.finish();
    s.tsig = k;
}

std::string dkim_selector(const YAML::Node& n, const std::string& src, const std::string& path) {
    std::string sel = yamlx::scalar(n, src, path);
    for (auto& c : sel) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto why = dkim_selector_problem(sel); !why.empty()) yamlx::fail(src, n, path, why);
    return sel;
}

DkimKey dkim_key(const YAML::Node& n, const std::string& src, const std::string& path) {
    Map m(n, src, path, {"selector", "key_file", "private_key"});
    DkimKey k;
    k.line = yamlx::line_of(n);
    if (auto v = m.get("selector"); v.IsDefined())
        k.selector = dkim_selector(v, src, m.path("selector"));
    if (m.has("private_key"))
        yamlx::fail(src, m.get("private_key"), m.path("private_key"),
                    "the private key never goes in the spec: name its file (mode 0600) with "
                    "key_file");
    k.key_file = yamlx::scalar(m.require("key_file"), src, m.path("key_file"));
    m.finish();
    return k;
}

// dkim: {selector, key_file} or a list of them; dkim_retired: [selector, ...].
void parse_dkim(Map& top, Spec& s, const std::string& src) {
    if (auto d = top.get("dkim"); d.IsDefined()) {
        if (!s.mail)
            yamlx::fail(src, d, "dkim", "a DKIM key is published only when mail is in services");
        if (d.IsSequence())
            for (std::size_t i = 0; i < d.size(); ++i)
                s.dkim.push_back(dkim_key(d[i], src, "dkim[" + std::to_string(i) + "]"));
        else
            s.dkim.push_back(dkim_key(d, src, "dkim"));
        if (s.dkim.empty())
            yamlx::fail(src, d, "dkim", "an empty list: name a key or leave dkim out");
    }
    if (auto r = top.get("dkim_retired"); r.IsDefined()) {
        yamlx::sequence(r, src, "dkim_retired");
        for (std::size_t i = 0; i < r.size(); ++i) {
            std::string path = "dkim_retired[" + std::to_string(i) + "]";
            std::string sel = dkim_selector(r[i], src, path);
            for (const auto& k : s.dkim)
                if (k.selector == sel)
                    yamlx::fail(src, r[i], path,
                                "selector '" + sel + "' is both published (dkim) and retired");
            s.dkim_retired.push_back(sel);
        }
    }
}

// ttl, and the old zone's DNSSEC: old_zone_signed, old_ds_ttl.
void parse_ttls(Map& top, Spec& s, const std::string& src) {
    if (auto t = top.get("ttl"); t.IsDefined()) s.ttl = yamlx::ttl(t, src, "ttl");
    if (auto v = top.get("dnssec"); v.IsDefined()) {
        s.dnssec = yamlx::boolean(v, src, "dnssec");
        if (*s.dnssec && s.pattern != Pattern::A)
            yamlx::fail(src, v, "dnssec",
                        "our servers sign only in pattern A; in patterns B and C the customer's "
                        "primary signs the zone (our secondary serves the signatures it "
                        "transfers)");
    }
    // The zone served today is DNSSEC-signed: its DS goes before the name servers change.
    if (auto v = top.get("old_zone_signed"); v.IsDefined())
        s.old_zone_signed = yamlx::boolean(v, src, "old_zone_signed");
    if (auto t = top.get("old_ds_ttl"); t.IsDefined()) {
        if (!s.old_zone_signed)
            yamlx::fail(src, t, "old_ds_ttl",
                        "the DS TTL only matters for a signed zone: add old_zone_signed: true");
        s.old_ds_ttl = yamlx::ttl(t, src, "old_ds_ttl");
    }
}

// dnssec_move and old_dnskeys (after dnssec and old_zone_signed).
void parse_dnssec_move(Map& top, Spec& s, const std::string& src) {
    auto mv = top.get("dnssec_move");
    auto keys = top.get("old_dnskeys");
    if (mv.IsDefined())
        s.multi_signer = yamlx::one_of(mv, src, "dnssec_move", {"insecure", "multi-signer"}) == 1;
    if (s.multi_signer && (!s.dnssec.value_or(false) || !s.old_zone_signed))
        yamlx::fail(src, mv, "dnssec_move",
                    "multi-signer moves a signed zone to our signing servers: it needs "
                    "dnssec: true and old_zone_signed: true (pattern A)");
    if (keys.IsDefined() && !s.multi_signer)
        yamlx::fail(src, keys, "old_dnskeys",
                    "the old provider's keys are published only in a multi-signer move "
                    "(dnssec_move: multi-signer)");
    if (!s.multi_signer) return;
    if (!keys.IsDefined())
        yamlx::fail(src, mv, "old_dnskeys",
                    "a multi-signer move needs the old provider's DNSKEYs (old_dnskeys: "
                    "[\"257 3 13 ...\"], as its zone serves them)");
    yamlx::sequence(keys, src, "old_dnskeys");
    for (std::size_t i = 0; i < keys.size(); ++i) {
        std::string path = "old_dnskeys[" + std::to_string(i) + "]";
        std::string wire;
        try {
            wire = parse_rdata(rrtype::DNSKEY, yamlx::scalar(keys[i], src, path), s.domain);
        } catch (const RdataError& e) {
            yamlx::fail(src, keys[i], path, std::string("not a DNSKEY: ") + e.what());
        }
        int alg = wire.size() > 3 ? static_cast<unsigned char>(wire[3]) : 0;
        if (alg != 8 && alg != 13 && alg != 15)
            yamlx::fail(src, keys[i], path,
                        "algorithm " + std::to_string(alg) +
                            ": our servers sign with RSASHA256 (8), ECDSAP256SHA256 (13) or "
                            "ED25519 (15), and both signers must use the same");
        if (!s.old_dnskeys.empty() && static_cast<unsigned char>(s.old_dnskeys[0][3]) != alg)
            yamlx::fail(src, keys[i], path, "the old provider's keys use two algorithms");
        s.old_dnskeys.push_back(wire);
    }
    if (s.old_dnskeys.empty()) yamlx::fail(src, keys, "old_dnskeys", "an empty list");
}

// account, import_from and replace_external_mx.
void parse_options(Map& top, Spec& s, const std::string& src) {
    if (auto a = top.get("account"); a.IsDefined()) {
        std::string id = yamlx::scalar(a, src, "account");
        if (auto why = account_syntax_error(id))
            yamlx::fail(src, a, "account",
                        "'" + id.substr(0, 60) + "' is not an account id: " + *why +
                            " (1 to 40 ASCII letters, digits, '.', '_' or '-', starting with a "
                            "letter or digit)");
        s.account = id;
    }

    if (auto t = top.get("import_from"); t.IsDefined()) {
        // A: the zone to move to our servers; B and C: the zone the customer serves today.
        s.import_from = yamlx::scalar(t, src, "import_from");
        for (char c : s.import_from)
            if (static_cast<unsigned char>(c) < 0x20)
                yamlx::fail(src, t, "import_from", "control character");
        // A file is read under the profile's import_dirs, as written (spec_paths.hpp).
        if (s.import_from.empty()) yamlx::fail(src, t, "import_from", "empty");
    }

    if (auto x = top.get("replace_external_mx"); x.IsDefined()) {
        s.replace_external_mx = yamlx::boolean(x, src, "replace_external_mx");
        if (s.replace_external_mx && !s.mail)
            yamlx::fail(src, x, "replace_external_mx",
                        "only with mail in services: without it the existing MX is kept");
    }
}

// The type of a records: entry; the SOA, DNSSEC records and the apex NS are not the spec's.
RRType record_type(Map& m, const Name& owner, const Spec& s, const std::string& src) {
    auto tn = m.require("type");
    auto ty = yamlx::scalar(tn, src, m.path("type"));
    auto type = type_from_name(ty);
    if (!type) yamlx::fail(src, tn, m.path("type"), "unknown record type '" + ty + "'");
    switch (*type) {
        case rrtype::SOA:
            yamlx::fail(src, tn, m.path("type"),
                        "the SOA comes from the profile, not from records");
        case rrtype::RRSIG:
        case rrtype::NSEC:
        case rrtype::NSEC3:
        case rrtype::NSEC3PARAM:
            yamlx::fail(src, tn, m.path("type"),
                        ty + " records are made by the signer (dnssec: true has our servers sign "
                             "the zone)");
        default:
            break;
    }
    if (*type == rrtype::NS && owner == s.domain)
        yamlx::fail(src, tn, m.path("type"),
                    "the apex NS set comes from the DNS pattern (A: our name servers; B, "
                    "C: customer_nameservers)");
    return *type;
}

ExtraRecord parse_record(const YAML::Node& n, const std::string& p, Spec& s,
                         const std::string& src) {
    Map m(n, src, p, {"name", "type", "ttl", "data"});
    ExtraRecord r;
    r.line = yamlx::line_of(n);
    auto on = m.require("name");
    auto owner = yamlx::scalar(on, src, m.path("name"));
    try {
        r.owner = owner_name(owner, s.domain);
    } catch (const std::invalid_argument& e) {
        yamlx::fail(src, on, m.path("name"), "'" + owner + "': " + e.what());
    }
    if (!r.owner.is_subdomain_of(s.domain))
        yamlx::fail(src, on, m.path("name"),
                    r.owner.to_string() + " is outside the domain " + s.domain.to_string());
    r.type = record_type(m, r.owner, s, src);
    if (auto t = m.get("ttl"); t.IsDefined()) r.ttl = yamlx::ttl(t, src, m.path("ttl"));
    auto dn = m.require("data");
    auto data = yamlx::scalar(dn, src, m.path("data"));
    try {
        r.rdata = parse_rdata(r.type, data, s.domain);
    } catch (const RdataError& e) {
        yamlx::fail(src, dn, m.path("data"), e.what());
    }
    m.finish();
    if (s.mail_none) check_mail_none_record(r, dn, p, s, src);
    warn_duplicate(r, s, src);
    return r;
}

void parse_records(Map& top, Spec& s, const std::string& src) {
    auto rs = top.get("records");
    if (!rs.IsDefined()) return;
    yamlx::sequence(rs, src, "records");
    for (std::size_t i = 0; i < rs.size(); ++i)
        s.records.push_back(parse_record(rs[i], "records[" + std::to_string(i) + "]", s, src));
}

}  // namespace

const char* to_string(Pattern p) {
    switch (p) {
        case Pattern::A:
            return "A";
        case Pattern::B:
            return "B";
        case Pattern::C:
            return "C";
    }
    return "?";
}

const char* to_string(Registrar r) {
    return r == Registrar::transfer ? "transfer" : "customer";
}

const char* to_string(Severity s) {
    return s == Severity::error ? "error" : "warning";
}

Spec parse_spec(const std::string& text, const std::string& file) {
    const std::string src = printable(file);  // for messages; `file` for paths
    auto root = yamlx::load(text, src);
    Map top(root, src, "", kSpecKeys);
    Spec s;
    s.source = src;
    set_dir(file, s);
    parse_domain(top, s, src);
    s.pattern = static_cast<Pattern>(
        yamlx::one_of(top.require("dns_pattern"), src, "dns_pattern", {"A", "B", "C"}));
    s.registrar = static_cast<Registrar>(
        yamlx::one_of(top.require("registrar"), src, "registrar", {"transfer", "customer"}));
    parse_server(top, s, src);
    parse_services(top, s, src);
    if (auto m = top.get("mail"); m.IsDefined()) parse_mail_none(m, s, src);
    parse_customer_primary(top, root, s, src);
    parse_customer_nameservers(top, root, s, src);
    parse_tsig(top, s, src);
    parse_dkim(top, s, src);
    parse_ttls(top, s, src);
    parse_dnssec_move(top, s, src);
    parse_options(top, s, src);
    parse_records(top, s, src);
    top.finish();
    return s;
}

const std::string& dkim_record(const DkimKey& k) {
    if (k.record.empty())
        throw std::logic_error("the DKIM key of selector '" + k.selector +
                               "' was not read (read_dkim_keys) before the zone was built");
    return k.record;
}

Spec load_spec(const std::string& path) {
    return parse_spec(read_input(path, 4u << 20), path == "-" ? "<stdin>" : path);
}

}  // namespace zonegen
