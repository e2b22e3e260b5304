#include "zonegen/profile_mail.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "zonegen/name.hpp"

namespace zonegen {
namespace {

using yamlx::Map;

bool address_ok(const std::string& a) {
    auto at = a.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= a.size()) return false;
    if (a.find('@', at + 1) != std::string::npos) return false;
    for (char c : a)
        if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == ';' || c == '!')
            return false;
    try {
        return Name::parse(a.substr(at + 1) + ".").label_count() >= 2;
    } catch (const NameError&) {
        return false;
    }
}

std::vector<std::string> uris(const YAML::Node& v, const std::string& src, const std::string& path,
                              bool allow_size) {
    auto list = yamlx::strings(v, src, path);
    for (std::size_t i = 0; i < list.size(); ++i)
        if (!report_uri_ok(list[i], allow_size))
            yamlx::fail(
                src, v[i], path + "[" + std::to_string(i) + "]",
                "'" + list[i] + "' is not a report address: write mailto:reports@example.net");
    return list;
}

void parse_dmarc(const YAML::Node& v, const std::string& src, Profile& p) {
    Map m(v, src, "mail.dmarc", {"publish", "policy", "rua", "wildcard_authorization"});
    if (auto u = m.get("publish"); u.IsDefined())
        p.dmarc.publish = yamlx::boolean(u, src, m.path("publish"));
    if (auto u = m.get("policy"); u.IsDefined()) {
        const std::vector<std::string> all = {"none", "quarantine", "reject"};
        p.dmarc.policy = all[yamlx::one_of(u, src, m.path("policy"), all)];
    }
    if (auto u = m.get("rua"); u.IsDefined()) p.dmarc.rua = uris(u, src, m.path("rua"), true);
    if (auto u = m.get("wildcard_authorization"); u.IsDefined())
        p.dmarc.wildcard_authorization = yamlx::boolean(u, src, m.path("wildcard_authorization"));
    m.finish();
}

void parse_mta_sts(const YAML::Node& v, const std::string& src, Profile& p) {
    Map m(v, src, "mail.mta_sts", {"policy_host", "mode", "max_age", "certified_names", "tls_rpt"});
    MtaStsSettings s;
    s.policy_host = yamlx::host_name(m.require("policy_host"), src, m.path("policy_host"));
    if (auto u = m.get("mode"); u.IsDefined()) {
        const std::vector<std::string> all = {"testing", "enforce"};
        s.mode = all[yamlx::one_of(u, src, m.path("mode"), all)];
    }
    if (auto u = m.get("max_age"); u.IsDefined()) {
        // RFC 8461 section 3.2: at most 31557600 (a year); a day is the sensible floor.
        s.max_age = yamlx::uint32(u, src, m.path("max_age"), 31557600);
        if (s.max_age < 86400)
            yamlx::fail(src, u, m.path("max_age"),
                        "below 86400 (a day): senders would fetch the policy on every message");
    }
    if (auto u = m.get("certified_names"); u.IsDefined())
        s.certified = yamlx::strings(u, src, m.path("certified_names"));
    if (auto u = m.get("tls_rpt"); u.IsDefined())
        s.tls_rpt = uris(u, src, m.path("tls_rpt"), false);
    m.finish();
    p.mta_sts = std::move(s);
}

void parse_autoconfig(const YAML::Node& v, const std::string& src, Profile& p) {
    Map m(v, src, "mail.autoconfig", {"host", "srv", "names"});
    if (auto u = m.get("host"); u.IsDefined()) {
        p.autoconfig.host = yamlx::scalar(u, src, m.path("host"));
        try {
            const Name probe = Name::parse("example.");
            std::string h = p.autoconfig.host;
            if (auto at = h.find("{server}"); at != std::string::npos)
                h.replace(at, 8, "server.example.");
            Name::parse(h, &probe);
        } catch (const NameError& e) {
            yamlx::fail(src, u, m.path("host"), e.what());
        }
    }
    if (auto u = m.get("srv"); u.IsDefined()) {
        const std::vector<std::string> known = {"submission", "submissions", "imap",
                                                "imaps",      "pop3",        "pop3s"};
        p.autoconfig.srv.clear();
        for (std::size_t i = 0; i < u.size(); ++i)
            p.autoconfig.srv.push_back(known[yamlx::one_of(
                u[i], src, m.path("srv") + "[" + std::to_string(i) + "]", known)]);
    }
    if (auto u = m.get("names"); u.IsDefined()) {
        p.autoconfig.names = yamlx::strings(u, src, m.path("names"));
        const Name probe = Name::parse("example.");
        for (std::size_t i = 0; i < p.autoconfig.names.size(); ++i) {
            try {
                Name::parse(p.autoconfig.names[i], &probe);
            } catch (const NameError& e) {
                yamlx::fail(src, u[i], m.path("names") + "[" + std::to_string(i) + "]", e.what());
            }
        }
    }
    m.finish();
}

}  // namespace

bool report_uri_ok(const std::string& uri, bool allow_size) {
    std::string u = uri;
    if (allow_size)
        if (auto bang = u.rfind('!'); bang != std::string::npos) {
            std::string size = u.substr(bang + 1);
            if (size.empty() || !std::isdigit(static_cast<unsigned char>(size[0]))) return false;
            std::size_t i = 0;
            while (i < size.size() && std::isdigit(static_cast<unsigned char>(size[i]))) ++i;
            if (size.size() - i > 1 || (i < size.size() && !std::strchr("kmgtKMGT", size[i])))
                return false;
            u.resize(bang);
        }
    std::string lower = u;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.rfind("mailto:", 0) == 0) return address_ok(u.substr(7));
    if (lower.rfind("https://", 0) == 0)
        return u.size() > 8 && u.find_first_of(" \t,;!") == std::string::npos;
    return false;
}

void parse_mail_policy(Map& m, const std::string& src, Profile& p) {
    if (auto v = m.get("dmarc"); v.IsDefined()) parse_dmarc(v, src, p);
    if (auto v = m.get("mta_sts"); v.IsDefined()) parse_mta_sts(v, src, p);
    if (auto v = m.get("autoconfig"); v.IsDefined()) parse_autoconfig(v, src, p);
}

void parse_caa(Map& top, const std::string& src, Profile& p) {
    auto v = top.get("caa");
    if (!v.IsDefined()) return;
    Map m(v, src, "caa", {"publish", "iodef"});
    if (auto u = m.get("publish"); u.IsDefined())
        p.caa.publish = yamlx::boolean(u, src, m.path("publish"));
    if (auto u = m.get("iodef"); u.IsDefined()) {
        p.caa.iodef = yamlx::scalar(u, src, m.path("iodef"));
        if (!p.caa.iodef.empty() && !report_uri_ok(p.caa.iodef, false))
            yamlx::fail(
                src, u, m.path("iodef"),
                "'" + p.caa.iodef + "' is not a mailto: or https: URI (RFC 8659 section 4.4)");
    }
    m.finish();
}

}  // namespace zonegen
