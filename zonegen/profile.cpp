#include "zonegen/profile.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "zonegen/address.hpp"
#include "zonegen/customer_networks.hpp"
#include "zonegen/dkim.hpp"
#include "zonegen/domain.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/input.hpp"
#include "zonegen/profile_mail.hpp"
#include "zonegen/utf8.hpp"
#include "zonegen/yaml_util.hpp"

namespace zonegen {

extern const char* const kDefaultProfileYaml;  // generated from templates/profile.yaml

namespace {

using yamlx::Map;

std::vector<RecordTemplate> templates(const YAML::Node& n, const std::string& src,
                                      const std::string& path) {
    std::vector<RecordTemplate> out;
    if (!n.IsDefined() || n.IsNull()) return out;
    yamlx::sequence(n, src, path);
    const Name probe = Name::parse("example.");
    for (std::size_t i = 0; i < n.size(); ++i) {
        std::string p = path + "[" + std::to_string(i) + "]";
        Map m(n[i], src, p, {"owner", "type", "data", "ttl"});
        RecordTemplate t;
        t.line = yamlx::line_of(n[i]);
        t.owner = yamlx::scalar(m.require("owner"), src, m.path("owner"));
        try {
            Name::parse(t.owner, &probe);
        } catch (const NameError& e) {
            yamlx::fail(src, m.get("owner"), m.path("owner"), e.what());
        }
        auto ty = yamlx::scalar(m.require("type"), src, m.path("type"));
        auto type = type_from_name(ty);
        if (!type)
            yamlx::fail(src, m.get("type"), m.path("type"), "unknown record type '" + ty + "'");
        t.type = *type;
        t.data = yamlx::scalar(m.require("data"), src, m.path("data"));
        if (auto ttl = m.get("ttl"); ttl.IsDefined()) t.ttl = yamlx::ttl(ttl, src, m.path("ttl"));
        m.finish();
        // Prove the template parses with sample values.
        std::string sample = t.data;
        for (auto [ph, v] : {std::pair{"{ipv4}", "192.0.2.1"},
                             {"{ipv6}", "2001:db8::1"},
                             {"{server}", "server.example."}}) {
            for (auto pos = sample.find(ph); pos != std::string::npos; pos = sample.find(ph))
                sample.replace(pos, std::string(ph).size(), v);
        }
        try {
            parse_rdata(t.type, sample, probe);
        } catch (const RdataError& e) {
            yamlx::fail(src, m.get("data"), m.path("data"), e.what());
        }
        out.push_back(std::move(t));
    }
    return out;
}

// allowed_customer_networks, zone_transfer and control_panel: the network trust boundary.
void network_settings(Map& top, Profile& p, const std::string& src) {
    if (auto v = top.get("control_panel"); v.IsDefined())
        p.control_panel = yamlx::boolean(v, src, "control_panel");
    if (auto v = top.get("allowed_customer_networks"); v.IsDefined()) {
        yamlx::sequence(v, src, "allowed_customer_networks");
        for (std::size_t i = 0; i < v.size(); ++i) {
            std::string path = "allowed_customer_networks[" + std::to_string(i) + "]";
            std::string why;
            auto c = parse_cidr(yamlx::scalar(v[i], src, path), &why);
            if (!c) yamlx::fail(src, v[i], path, why);
            p.allowed_customer_networks.push_back(c->to_string());
        }
    }
    if (auto v = top.get("zone_transfer"); v.IsDefined()) {
        Map m(v, src, "zone_transfer", {"max_records", "max_bytes", "max_seconds"});
        for (auto [key, field] : {std::pair{"max_records", &p.max_transfer_records},
                                  std::pair{"max_bytes", &p.max_transfer_bytes}}) {
            auto n = m.get(key);
            if (!n.IsDefined()) continue;
            *field = yamlx::uint32(n, src, m.path(key));
            if (*field == 0) yamlx::fail(src, n, m.path(key), "must be at least 1");
        }
        if (auto n = m.get("max_seconds"); n.IsDefined()) {
            p.max_transfer_seconds =
                static_cast<int>(yamlx::uint32(n, src, m.path("max_seconds"), 86400));
            if (p.max_transfer_seconds == 0)
                yamlx::fail(src, n, m.path("max_seconds"), "must be at least 1");
        }
        m.finish();
    }
}

// A directory of the profile: absolute, no "..", kept without a trailing '/'.
std::string profile_dir(const YAML::Node& n, const std::string& src, const std::string& path) {
    std::string d = yamlx::scalar(n, src, path);
    if (d.empty() || d.front() != '/')
        yamlx::fail(src, n, path, "'" + d + "' is not an absolute path");
    for (char c : d)
        if (static_cast<unsigned char>(c) < 0x20) yamlx::fail(src, n, path, "control character");
    if (("/" + d + "/").find("/../") != std::string::npos)
        yamlx::fail(src, n, path, "'" + d + "' holds '..'");
    while (d.size() > 1 && d.back() == '/') d.pop_back();
    return d;
}

// secrets_dir and import_dirs: where the files a spec names may be; texts_dir.
void parse_spec_dirs(Map& top, const std::string& src, Profile& p) {
    if (auto v = top.get("secrets_dir"); v.IsDefined())
        p.secrets_dir = profile_dir(v, src, "secrets_dir");
    if (auto v = top.get("import_dirs"); v.IsDefined()) {
        yamlx::sequence(v, src, "import_dirs");
        for (std::size_t i = 0; i < v.size(); ++i)
            p.import_dirs.push_back(
                profile_dir(v[i], src, "import_dirs[" + std::to_string(i) + "]"));
        if (p.import_dirs.empty()) yamlx::fail(src, v, "import_dirs", "an empty list");
    }
    if (auto v = top.get("texts_dir"); v.IsDefined())
        p.texts_dir = profile_dir(v, src, "texts_dir");
}

// journal and journal_group: where the journal of changes is, and who shares it.
void parse_journal(Map& top, const std::string& src, Profile& p) {
    if (auto v = top.get("journal"); v.IsDefined()) {
        std::string f = yamlx::scalar(v, src, "journal");
        if (f.empty() || f.back() == '/')
            yamlx::fail(src, v, "journal", "'" + f + "' is not a file name");
        p.journal = profile_dir(v, src, "journal");
    }
    if (auto v = top.get("journal_group"); v.IsDefined()) {
        p.journal_group = yamlx::scalar(v, src, "journal_group");
        bool ok = !p.journal_group.empty() && p.journal_group.front() != '-';
        for (unsigned char c : p.journal_group) ok = ok && c > 0x20 && c != ':' && c != 0x7f;
        if (!ok)
            yamlx::fail(src, v, "journal_group", "'" + p.journal_group + "' is not a group name");
    }
}

// parent_servers: ADDR or ADDR:PORT ([V6]:PORT) each.
void parse_parent_servers(Map& top, const std::string& src, Profile& p) {
    auto v = top.get("parent_servers");
    if (!v.IsDefined() || v.IsNull()) return;
    yamlx::sequence(v, src, "parent_servers");
    for (std::size_t i = 0; i < v.size(); ++i) {
        std::string path = "parent_servers[" + std::to_string(i) + "]";
        std::string text = yamlx::scalar(v[i], src, path);
        auto e = parse_endpoint(text);
        if (!e)
            yamlx::fail(src, v[i], path,
                        "'" + text +
                            "' is not ADDRESS, ADDRESS:PORT or [IPV6]:PORT (a parent server is "
                            "named by its address)");
        p.parent_servers.push_back(*e);
    }
}

}  // namespace

const ProviderNs& Profile::primary() const {
    for (const auto& n : nameservers)
        if (n.primary) return n;
    throw InputError("profile " + source + ": no name server has role: primary");
}

const ProviderNs& Profile::pattern_b_secondary() const {
    for (const auto& n : nameservers)
        if (n.pattern_b) return n;
    throw InputError("profile " + source + ": no name server has pattern_b: true");
}

std::vector<std::string> ProviderNs::endpoints() const {
    std::vector<std::string> out;
    std::string port = dns_port == 53 ? "" : ":" + std::to_string(dns_port);
    for (const auto& a : ipv4) out.push_back(a + port);
    for (const auto& a : ipv6) out.push_back(port.empty() ? a : "[" + a + "]" + port);
    return out;
}

const std::string& ProviderNs::first_address() const {
    return ipv4.empty() ? ipv6.front() : ipv4.front();
}

bool Profile::is_ours(const Name& n) const {
    for (const auto& ns : nameservers)
        if (ns.name == n) return true;
    return false;
}

namespace {

// certificate_authorities: issuer domain names as a CAA record writes them (RFC 8659 section
// 4.2: LDH labels, no trailing dot), each once; lower case, as CAs compare them exactly.
std::vector<std::string> issuer_domains(const YAML::Node& v, const std::string& src) {
    std::vector<std::string> out;
    auto list = yamlx::strings(v, src, "certificate_authorities");
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::string path = "certificate_authorities[" + std::to_string(i) + "]";
        std::string ca = list[i];
        for (auto& c : ca) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        bool ok = !ca.empty() && ca.back() != '.' && ca.front() != '.';
        if (ok) {
            try {
                ok = is_hostname(Name::parse(ca + "."), false) && ca.find('.') != std::string::npos;
            } catch (const NameError&) {
                ok = false;
            }
        }
        if (!ok)
            yamlx::fail(src, v[i], path,
                        "'" + list[i] +
                            "' is not an issuer domain name as CAA records write it (letters, "
                            "digits, hyphens and dots, no trailing dot: letsencrypt.org)");
        if (std::find(out.begin(), out.end(), ca) != out.end())
            yamlx::fail(src, v[i], path, "'" + ca + "' listed twice");
        out.push_back(ca);
    }
    return out;
}

}  // namespace

namespace {

// nameservers: exactly one primary, at most one pattern-B secondary, at least two.
void parse_nameservers(Map& top, const std::string& src, Profile& p) {
    auto nss = top.require("nameservers");
    yamlx::sequence(nss, src, "nameservers");
    int primaries = 0, pattern_b = 0;
    for (std::size_t i = 0; i < nss.size(); ++i) {
        std::string path = "nameservers[" + std::to_string(i) + "]";
        Map m(nss[i], src, path,
              {"name", "role", "pattern_b", "ipv4", "ipv6", "dns_port", "api_url", "server_id"});
        ProviderNs ns;
        ns.name = yamlx::host_name(m.require("name"), src, m.path("name"));
        ns.primary =
            yamlx::one_of(m.require("role"), src, m.path("role"), {"primary", "secondary"}) == 0;
        if (auto b = m.get("pattern_b"); b.IsDefined())
            ns.pattern_b = yamlx::boolean(b, src, m.path("pattern_b"));
        ns.ipv4 = yamlx::addresses(m.get("ipv4"), src, m.path("ipv4"), false);
        ns.ipv6 = yamlx::addresses(m.get("ipv6"), src, m.path("ipv6"), true);
        if (ns.ipv4.empty() && ns.ipv6.empty())
            yamlx::fail(src, nss[i], path, "a name server needs at least one address in ipv4/ipv6");
        if (auto u = m.get("dns_port"); u.IsDefined())
            ns.dns_port =
                static_cast<std::uint16_t>(yamlx::uint32(u, src, m.path("dns_port"), 65535));
        if (auto u = m.get("api_url"); u.IsDefined())
            ns.api_url = yamlx::scalar(u, src, m.path("api_url"));
        if (auto u = m.get("server_id"); u.IsDefined())
            ns.server_id = yamlx::scalar(u, src, m.path("server_id"));
        m.finish();
        if (ns.pattern_b && ns.primary)
            yamlx::fail(src, nss[i], path, "pattern_b marks a secondary, not the primary");
        for (const auto& other : p.nameservers)
            if (other.name == ns.name)
                yamlx::fail(src, nss[i], m.path("name"), "name server listed twice");
        primaries += ns.primary;
        pattern_b += ns.pattern_b;
        p.nameservers.push_back(std::move(ns));
    }
    if (primaries != 1)
        yamlx::fail(src, nss, "nameservers", "exactly one name server must have role: primary");
    if (pattern_b > 1)
        yamlx::fail(src, nss, "nameservers", "at most one name server may have pattern_b: true");
    if (p.nameservers.size() < 2)
        yamlx::fail(src, nss, "nameservers",
                    "at least two name servers are needed (RFC 1034 section 4.1)");
}

void parse_soa(Map& top, const std::string& src, Profile& p) {
    Map soa(top.require("soa"), src, "soa",
            {"mname", "rname", "refresh", "retry", "expire", "minimum"});
    p.soa_mname = yamlx::host_name(soa.require("mname"), src, "soa.mname");
    auto rname = yamlx::scalar(soa.require("rname"), src, "soa.rname");
    if (rname.find('@') != std::string::npos)
        yamlx::fail(
            src, soa.get("rname"), "soa.rname",
            "write the mailbox as a name: hostmaster.example.net, not hostmaster@example.net");
    p.soa_rname = yamlx::host_name(soa.get("rname"), src, "soa.rname");
    p.refresh = yamlx::ttl(soa.require("refresh"), src, "soa.refresh");
    p.retry = yamlx::ttl(soa.require("retry"), src, "soa.retry");
    p.expire = yamlx::ttl(soa.require("expire"), src, "soa.expire");
    p.minimum = yamlx::ttl(soa.require("minimum"), src, "soa.minimum");
    soa.finish();
    if (!p.is_ours(p.soa_mname))
        yamlx::fail(src, soa.get("mname"), "soa.mname",
                    "the SOA MNAME must be one of our name servers");
}

void parse_ttl(Map& top, const std::string& src, Profile& p) {
    auto t = top.get("ttl");
    if (!t.IsDefined()) return;
    Map m(t, src, "ttl", {"default", "ns", "soa"});
    if (auto v = m.get("default"); v.IsDefined()) p.ttl_default = yamlx::ttl(v, src, "ttl.default");
    if (auto v = m.get("ns"); v.IsDefined()) p.ttl_ns = yamlx::ttl(v, src, "ttl.ns");
    if (auto v = m.get("soa"); v.IsDefined()) p.ttl_soa = yamlx::ttl(v, src, "ttl.soa");
    m.finish();
}

void parse_templates(Map& top, const std::string& src, Profile& p) {
    auto t = top.get("templates");
    if (!t.IsDefined()) return;
    Map m(t, src, "templates", {"web", "mail"});
    p.web = templates(m.get("web"), src, "templates.web");
    p.mail = templates(m.get("mail"), src, "templates.mail");
    m.finish();
}

// mail.dkim_selector: the selector of a spec's dkim: key that names none.
std::string dkim_selector_of(const YAML::Node& v, const std::string& src) {
    std::string sel = yamlx::scalar(v, src, "mail.dkim_selector");
    for (auto& c : sel) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto why = dkim_selector_problem(sel); !why.empty())
        yamlx::fail(src, v, "mail.dkim_selector", why);
    return sel;
}

void parse_mail(Map& top, const std::string& src, Profile& p) {
    auto t = top.get("mail");
    if (!t.IsDefined()) return;
    Map m(t, src, "mail",
          {"spf_all", "null_mx_without_mail", "dkim_selector", "dmarc", "mta_sts", "autoconfig"});
    if (auto v = m.get("dkim_selector"); v.IsDefined()) p.dkim_selector = dkim_selector_of(v, src);
    if (auto v = m.get("spf_all"); v.IsDefined()) {
        const std::vector<std::string> all = {"~all", "-all", "?all"};
        p.spf_all = all[yamlx::one_of(v, src, "mail.spf_all", all)];
    }
    // Replaced by the spec's `mail: none`: a null MX bounces all mail at once, so it is
    // never a default. `false` (what the old template said) is what zonegen does anyway.
    if (auto v = m.get("null_mx_without_mail"); v.IsDefined())
        if (yamlx::boolean(v, src, "mail.null_mx_without_mail"))
            yamlx::fail(src, v, "mail.null_mx_without_mail",
                        "a null MX is no longer a profile default (it bounces all mail to "
                        "the domain): a spec for a domain that receives no mail says "
                        "`mail: none`. Remove this key");
    parse_mail_policy(m, src, p);
    m.finish();
}

// certificate_authorities, test_domain_suffix and transferable_tlds.
void parse_domain_lists(Map& top, const std::string& src, Profile& p) {
    if (auto v = top.get("certificate_authorities"); v.IsDefined())
        p.certificate_authorities = issuer_domains(v, src);
    if (auto v = top.get("test_domain_suffix"); v.IsDefined())
        p.test_domain_suffix = yamlx::host_name(v, src, "test_domain_suffix").to_string();
    if (auto v = top.get("transferable_tlds"); v.IsDefined()) {
        for (auto s : yamlx::strings(v, src, "transferable_tlds")) {
            for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (!s.empty() && s.front() == '.') s.erase(0, 1);
            p.transferable_tlds.push_back(s);
        }
    }
}

void parse_durations(Map& top, const std::string& src, Profile& p) {
    auto v = top.get("durations");
    if (!v.IsDefined()) return;
    Map m(v, src, "durations");
    for (auto it = v.begin(); it != v.end(); ++it) {
        auto key = it->first.Scalar();
        Map d(m.get(key), src, m.path(key), {"min", "max", "unit"});
        Duration dur;
        dur.min = static_cast<int>(yamlx::uint32(d.require("min"), src, d.path("min"), 10000));
        dur.max = static_cast<int>(yamlx::uint32(d.require("max"), src, d.path("max"), 10000));
        const std::vector<std::string> units = {"business_days", "hours", "calendar_days"};
        dur.unit = units[yamlx::one_of(d.require("unit"), src, d.path("unit"), units)];
        if (dur.max < dur.min) yamlx::fail(src, d.get("max"), d.path("max"), "max is below min");
        d.finish();
        p.durations[key] = dur;
    }
}

// closed_days, time_zone (set for the run here), parallel_min_days and holiday_run_days.
void parse_calendar(Map& top, const std::string& src, Profile& p) {
    if (auto v = top.get("closed_days"); v.IsDefined())
        p.closed_days = yamlx::strings(v, src, "closed_days");
    if (auto v = top.get("time_zone"); v.IsDefined()) {
        p.time_zone = yamlx::scalar(v, src, "time_zone");
        if (!time_zone_known(p.time_zone))
            yamlx::fail(src, v, "time_zone",
                        "'" + p.time_zone +
                            "' is not a time zone of the tz database (an IANA name such as "
                            "Asia/Tokyo; install tzdata for others)");
    }
    // Now, before any thread starts: TZ is set once for the whole run (see time_zone.hpp).
    use_time_zone(p.time_zone);
    if (auto v = top.get("parallel_min_days"); v.IsDefined())
        p.parallel_min_days = static_cast<int>(yamlx::uint32(v, src, "parallel_min_days", 365));
    if (auto v = top.get("holiday_run_days"); v.IsDefined()) {
        p.holiday_run_days = static_cast<int>(yamlx::uint32(v, src, "holiday_run_days", 366));
        if (p.holiday_run_days < 3)
            yamlx::fail(src, v, "holiday_run_days", "below 3: every weekend would be a run");
    }
}

void parse_pdns(Map& top, const std::string& src, Profile& p) {
    auto v = top.get("pdns");
    if (!v.IsDefined()) return;
    Map m(v, src, "pdns", {"url", "server_id", "transfer_settings"});
    if (auto u = m.get("url"); u.IsDefined()) p.pdns_url = yamlx::scalar(u, src, "pdns.url");
    if (auto u = m.get("server_id"); u.IsDefined())
        p.pdns_server_id = yamlx::scalar(u, src, "pdns.server_id");
    if (auto u = m.get("transfer_settings"); u.IsDefined()) {
        std::string t = yamlx::scalar(u, src, "pdns.transfer_settings");
        if (t != "zone" && t != "server")
            yamlx::fail(src, u, "pdns.transfer_settings",
                        "'" + t +
                            "' is neither zone (each zone's metadata) nor server (the "
                            "primary's allow-axfr-ips and also-notify)");
        p.pdns_server_transfers = t == "server";
    }
    m.finish();
}

// catalog: NAME, or catalog: {zone: NAME, tsig_key: NAME}.
void parse_catalog(Map& top, const std::string& src, Profile& p) {
    auto v = top.get("catalog");
    if (!v.IsDefined() || v.IsNull()) return;
    if (v.IsScalar()) {
        p.catalog = yamlx::host_name(v, src, "catalog");
        return;
    }
    Map m(v, src, "catalog", {"zone", "tsig_key"});
    p.catalog = yamlx::host_name(m.require("zone"), src, "catalog.zone");
    if (auto u = m.get("tsig_key"); u.IsDefined())
        p.catalog_tsig_key = yamlx::host_name(u, src, "catalog.tsig_key");
    m.finish();
}

// dnssec: {default, algorithm, denial} (dnssec.hpp).
void parse_dnssec(Map& top, const std::string& src, Profile& p) {
    auto v = top.get("dnssec");
    if (!v.IsDefined()) return;
    Map m(v, src, "dnssec", {"default", "algorithm", "denial"});
    if (auto u = m.get("default"); u.IsDefined())
        p.dnssec.sign = yamlx::boolean(u, src, "dnssec.default");
    if (auto u = m.get("algorithm"); u.IsDefined()) {
        auto a = yamlx::scalar(u, src, "dnssec.algorithm");
        for (auto& c : a) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (a != "ECDSAP256SHA256" && a != "ED25519")
            yamlx::fail(src, u, "dnssec.algorithm",
                        "'" + a.substr(0, 40) +
                            "' is not ECDSAP256SHA256 or ED25519 (RFC 8624's recommended "
                            "algorithms for signing)");
        p.dnssec.algorithm = a;
    }
    if (auto u = m.get("denial"); u.IsDefined()) {
        auto d = yamlx::scalar(u, src, "dnssec.denial");
        if (d != "nsec3" && d != "nsec")
            yamlx::fail(src, u, "dnssec.denial", "'" + d.substr(0, 40) + "' is not nsec3 or nsec");
        p.dnssec.nsec3 = d == "nsec3";
    }
    m.finish();
}

void parse_safety(Map& top, const std::string& src, Profile& p) {
    auto v = top.get("safety");
    if (!v.IsDefined()) return;
    Map m(v, src, "safety", {"max_change_fraction", "min_rrsets"});
    if (auto u = m.get("max_change_fraction"); u.IsDefined()) {
        auto s = yamlx::scalar(u, src, "safety.max_change_fraction");
        try {
            std::size_t pos = 0;
            p.max_change_fraction = std::stod(s, &pos);
            if (pos != s.size() || p.max_change_fraction < 0 || p.max_change_fraction > 1)
                throw std::invalid_argument(s);
        } catch (const std::exception&) {
            yamlx::fail(src, u, "safety.max_change_fraction",
                        "'" + s + "' is not a number from 0 to 1");
        }
    }
    if (auto u = m.get("min_rrsets"); u.IsDefined())
        p.safety_min_rrsets = yamlx::uint32(u, src, "safety.min_rrsets");
    m.finish();
}

}  // namespace

Profile parse_profile(const std::string& text, const std::string& src) {
    auto root = yamlx::load(text, src, yamlx::Doc::profile);
    Map top(root, src, "",
            {"name", "nameservers", "soa", "ttl", "templates", "mail", "test_domain_suffix",
             "transferable_tlds", "durations", "closed_days", "parallel_min_days", "time_zone",
             "pdns", "safety", "allowed_customer_networks", "zone_transfer", "control_panel",
             "certificate_authorities", "caa", "dnssec", "catalog",
             // where spec paths may point (spec_paths.hpp)
             "secrets_dir", "import_dirs",
             // the provider's own wording of the customer texts (wording.hpp)
             "texts_dir",
             // the instructions' warnings of long runs of holidays (schedule.hpp)
             "holiday_run_days",
             // the journal of changes (journal.hpp)
             "journal", "journal_group",
             // the parent zones' servers asked before a zone is created or deleted
             "parent_servers"});
    Profile p;
    p.source = printable(src);
    p.name = yamlx::scalar(top.require("name"), src, "name");

    parse_nameservers(top, src, p);
    parse_soa(top, src, p);
    parse_ttl(top, src, p);
    parse_templates(top, src, p);
    parse_mail(top, src, p);
    parse_domain_lists(top, src, p);
    parse_caa(top, src, p);
    parse_durations(top, src, p);
    parse_calendar(top, src, p);
    parse_pdns(top, src, p);
    parse_safety(top, src, p);
    parse_dnssec(top, src, p);
    parse_catalog(top, src, p);
    network_settings(top, p, src);
    parse_spec_dirs(top, src, p);
    parse_journal(top, src, p);
    parse_parent_servers(top, src, p);
    top.finish();
    return p;
}

const std::string& default_profile_text() {
    static const std::string text = kDefaultProfileYaml;
    return text;
}

Profile load_profile(const std::string& path) {
    if (path.empty()) return parse_profile(default_profile_text(), "built-in profile");
    return parse_profile(read_input(path), path);
}

}  // namespace zonegen
