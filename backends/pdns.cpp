#include "backends/pdns.hpp"

#include "backends/http.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>

#include "backends/pdns_content.hpp"

#include "zonegen/errors.hpp"
#include "zonegen/secure_file.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen {
namespace {

std::string zone_path(const Name& z) {
    // PowerDNS's zone id is the name with its trailing dot; escape what a URL cannot hold.
    std::string s = z.to_string(), out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
            out.push_back(static_cast<char>(c));
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "=%02X", c);
            out += buf;
        }
    }
    return out;
}

}  // namespace

SecretString read_secret_file(const std::string& path, const std::string& what) {
    // Opened once with O_NOFOLLOW and judged by its descriptor (secure_file.hpp).
    SecretString s = read_operator_secret(path, what);
    const std::string name = what + " file " + printable(path);
    trim_line_end(s);
    if (s.empty()) throw InputError(name + " is empty");
    for (char c : s.view())
        if (static_cast<unsigned char>(c) < 0x20)
            throw InputError(name + " holds more than one line");
    return s;
}

SecretString read_api_key(const std::string& key_file) {
    if (!key_file.empty()) return read_secret_file(key_file, "API key");
    if (const char* k = std::getenv("PDNS_API_KEY"); k && *k) {
        // It becomes a header line: a line break in it would add headers of its own.
        for (const char* c = k; *c; ++c)
            if (static_cast<unsigned char>(*c) < 0x20 || *c == 0x7f)
                throw InputError(
                    "PDNS_API_KEY holds a control character (a line break?): set it "
                    "to the key alone");
        return SecretString(k);
    }
    throw InputError("no PowerDNS API key: set PDNS_API_KEY or give --pdns-api-key-file FILE");
}

namespace {

// One transport per thread and server, kept open between requests (HTTP keep-alive): a
// batch sends thousands of requests and a new connection each time would cost a third of
// them. Keyed by everything the transport was made with but the header values (the API
// key): those are kept beside it as secrets and compared in constant time, so no map key
// holds the API key for the rest of the process.
std::shared_ptr<HttpTransport> shared_transport(const HttpSettings& hs) {
    struct Entry {
        std::vector<SecretString> values;
        std::shared_ptr<HttpTransport> transport;
    };
    thread_local std::map<std::string, Entry> cache;
    std::string key = hs.base + '\n' + std::to_string(hs.connect_timeout_s) + '\n' +
                      std::to_string(hs.read_timeout_s) + '\n' + std::to_string(hs.max_body_bytes);
    std::vector<SecretString> values;
    for (const auto& [k, v] : hs.headers) {
        key += '\n' + k;
        values.emplace_back(v);
    }
    auto& e = cache[key];
    if (!e.transport || e.values != values) {
        e.transport = open_http(hs);
        e.values = std::move(values);
    }
    return e.transport;
}

// Wipes the header values (the API key) of settings once the transport has its own copy.
struct WipeHeaders {
    HttpSettings& hs;
    ~WipeHeaders() {
        for (auto& h : hs.headers) wipe_string(h.second);
    }
};

}  // namespace

struct PdnsClient::Impl {
    PdnsConfig cfg;
    std::shared_ptr<HttpTransport> http;
    std::string prefix;  // path before /api/v1
    // What we send that no message may echo: the API key, a TSIG secret.
    std::vector<SecretString> secrets;

    explicit Impl(PdnsConfig c) : cfg(std::move(c)) {
        std::string url = cfg.url;
        if (url.empty())
            throw InputError("no PowerDNS URL: set pdns.url in the profile or give --pdns-url");
        auto scheme = url.find("://");
        if (scheme == std::string::npos)
            throw InputError("PowerDNS URL '" + url + "' has no scheme (http://...)");
        auto slash = url.find('/', scheme + 3);
        // Credentials in the URL would be printed wherever the URL is (traces, errors, the
        // plan): refused, without repeating them. The API key authenticates.
        if (url.substr(0, slash).find('@', scheme + 3) != std::string::npos)
            throw InputError(
                "the PowerDNS URL carries credentials (USER:PASSWORD@): give it "
                "without them; the API key (PDNS_API_KEY) is what authenticates");
        HttpSettings hs;
        hs.base = slash == std::string::npos ? url : url.substr(0, slash);
        prefix = slash == std::string::npos ? "" : url.substr(slash);
        while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
        hs.connect_timeout_s = cfg.connect_timeout_s;
        hs.read_timeout_s = cfg.read_timeout_s;
        hs.max_body_bytes = cfg.max_response_bytes;
        WipeHeaders wipe{hs};
        hs.headers = {{"X-API-Key", std::string(cfg.api_key.view())},
                      {"Accept", "application/json"}};
        secrets.push_back(cfg.api_key);
        try {
            http = shared_transport(hs);
        } catch (const InputError&) {
            throw InputError("PowerDNS URL '" + url + "' is not usable");
        }
    }

    std::string path(const std::string& rest) const {
        return prefix + "/api/v1/servers/" + cfg.server_id + rest;
    }

    // A server's words with every secret we sent replaced, in every form JSON may give it.
    std::string redact(std::string text) const {
        const std::string mask = "(secret)";
        for (const auto& secret : secrets) {
            if (secret.empty()) continue;
            std::string plain(secret.view());
            std::string escaped = nlohmann::json(plain).dump(
                -1, ' ', false, nlohmann::json::error_handler_t::replace);
            escaped = escaped.substr(1, escaped.size() - 2);
            std::string slashed;
            for (char c : escaped) slashed += c == '/' ? std::string("\\/") : std::string(1, c);
            for (const std::string* form : {&plain, &escaped, &slashed})
                for (auto at = text.find(*form); at != std::string::npos;
                     at = text.find(*form, at + mask.size()))
                    text.replace(at, form->size(), mask);
            wipe_string(plain);
            wipe_string(escaped);
            wipe_string(slashed);
        }
        return text;
    }

    // Sends a request; returns the status and body. Throws BackendError on transport
    // failure and on any status not in `ok`.
    std::pair<int, std::string> call(const std::string& method, const std::string& p,
                                     const std::string* body, std::initializer_list<int> ok) {
        if (cfg.trace) cfg.trace(method + " " + cfg.url + p);
        HttpReply r = http->send(method, p, body);
        if (!r.error.empty())
            throw BackendError("PowerDNS at " + cfg.url + ": " + method + " " + p + ": " +
                               redact(r.error));
        int status = r.status;
        if (cfg.trace) cfg.trace("  -> HTTP " + std::to_string(status));
        for (int s : ok)
            if (s == status) return {status, std::move(r.body)};
        fail(method, p, status, r.body);
    }

    [[noreturn]] void fail(const std::string& method, const std::string& p, int status,
                           const std::string& body) const {
        // PowerDNS answers {"error": "..."} (sometimes "errors"); a proxy may answer anything.
        std::string why;
        std::size_t keep = 2000;
        try {
            auto j = nlohmann::json::parse(body);
            if (j.contains("error") && j["error"].is_string()) why = j["error"].get<std::string>();
            if (j.contains("errors") && j["errors"].is_array())
                for (const auto& e : j["errors"])
                    if (e.is_string()) why += "; " + e.get<std::string>();
        } catch (const nlohmann::json::exception&) {
            why = body;
            keep = 200;
        }
        // Redacted before it is cut short: no part of a secret survives either.
        why = redact(why).substr(0, keep);
        for (auto& ch : why)
            if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';
        std::string what = status == 401   ? " (the API key was refused)"
                           : status == 404 ? " (not found)"
                           : status == 409 ? " (conflict: it exists already)"
                           : status == 422 ? " (PowerDNS refused the data)"
                           : status >= 500 ? " (server error)"
                                           : "";
        throw BackendError("PowerDNS at " + cfg.url + ": " + method + " " + p + ": HTTP " +
                           std::to_string(status) + what + (why.empty() ? "" : ": " + why));
    }

    // The server's major version (GET of the server, once per process and server).
    int major_version() {
        static std::mutex mu;
        static std::map<std::string, int> known;
        std::lock_guard<std::mutex> lock(mu);
        std::string key = cfg.url + '\n' + cfg.server_id;
        if (auto it = known.find(key); it != known.end()) return it->second;
        auto p = path("");
        auto j = parse(call("GET", p, nullptr, {200}).second, "GET " + p);
        std::string v = j.is_object() ? j.value("version", "") : "";
        return known[key] = std::atoi(v.c_str());
    }

    // LOC content is sent in PowerDNS 4's form (pdns_content); where PowerDNS 5's exact form
    // differs ("1 0 60.000" against "1 1 0.000"), a server of version 5 or later gets its own.
    void fit_loc(nlohmann::json& rrsets) {
        if (!rrsets.is_array()) return;
        for (auto& rs : rrsets) {
            if (!rs.is_object() || rs.value("type", "") != "LOC" || !rs.contains("records"))
                continue;
            for (auto& r : rs["records"]) {
                if (!r.is_object() || !r.contains("content") || !r["content"].is_string()) continue;
                std::string content = r["content"].get<std::string>();
                std::string exact;
                try {
                    exact = pdns_loc_exact(pdns_parse_content(29, content));
                } catch (const RdataError&) {
                    continue;  // PowerDNS will say what it thinks of it
                }
                if (exact != content && major_version() >= 5) r["content"] = exact;
            }
        }
    }

    // PowerDNS answers a 404 "Not Found" alike for an absent zone and for a wrong URL path or
    // server_id: a 404 counts as "absent" only once the server itself answers (asked once
    // per process and server).
    void confirm_server() {
        static std::mutex mu;
        static std::set<std::string> confirmed;
        std::lock_guard<std::mutex> lock(mu);
        std::string key = cfg.url + '\n' + cfg.server_id;
        if (confirmed.count(key)) return;
        auto p = path("");
        auto [status, body] = call("GET", p, nullptr, {200, 404});
        bool ok = false;
        if (status == 200) {
            try {
                auto j = nlohmann::json::parse(body);
                ok = j.is_object() && j.value("id", "") == cfg.server_id;
            } catch (const nlohmann::json::exception&) {
            }
        }
        if (!ok)
            throw BackendError("PowerDNS at " + cfg.url + ": GET " + p + ": no PowerDNS server '" +
                               cfg.server_id + "' there (HTTP " + std::to_string(status) +
                               "): check the URL's path (--pdns-url, pdns.url) and pdns.server_id");
        confirmed.insert(key);
    }

    nlohmann::json parse(const std::string& body, const std::string& what) {
        try {
            return nlohmann::json::parse(body);
        } catch (const nlohmann::json::exception&) {
            throw BackendError("PowerDNS at " + cfg.url + ": " + what + ": the answer is not JSON");
        }
    }
};

PdnsClient::PdnsClient(PdnsConfig cfg) : impl_(std::make_unique<Impl>(std::move(cfg))) {}
PdnsClient::~PdnsClient() = default;
const std::string& PdnsClient::url() const {
    return impl_->cfg.url;
}

void refuse_api_key_as_tsig(const SecretString& secret, const std::string& api_key_file) {
    SecretString key;
    try {
        key = read_api_key(api_key_file);
    } catch (const InputError&) {
        return;  // no key: the request that needs one says so
    }
    if (secret == key)
        throw InputError(
            "tsig.secret_file: refused: the file holds the PowerDNS API key, which is never "
            "used as a TSIG secret");
}

std::string PdnsClient::request_line(const std::string& method, const std::string& rest) const {
    return method + " " + impl_->cfg.url + impl_->path(rest);
}
std::string PdnsClient::zone_ref(const Name& zone) {
    return zone_path(zone);
}

std::optional<nlohmann::json> PdnsClient::get_zone(const Name& zone) {
    auto p = impl_->path("/zones/" + zone_path(zone));
    auto [status, body] = impl_->call("GET", p, nullptr, {200, 404, 422});
    // Some versions answer 422 "Could not find domain" for an absent zone.
    if (status == 422 && body.find("Could not find domain") == std::string::npos)
        impl_->fail("GET", p, status, body);
    if (status != 200) {
        impl_->confirm_server();
        return std::nullopt;
    }
    auto j = impl_->parse(body, "GET " + p);
    if (!j.is_object() || !j.contains("rrsets") || !j["rrsets"].is_array())
        throw BackendError("PowerDNS at " + impl_->cfg.url + ": GET " + p +
                           ": not a zone document");
    return j;
}

std::optional<nlohmann::json> PdnsClient::create_zone(const nlohmann::json& body) {
    nlohmann::json fitted = body;
    if (fitted.contains("rrsets")) impl_->fit_loc(fitted["rrsets"]);
    std::string b = fitted.dump();
    auto p = impl_->path("/zones");
    auto [status, answer] = impl_->call("POST", p, &b, {201, 409});
    if (status == 409)
        throw ZoneExistsError("PowerDNS at " + impl_->cfg.url + ": POST " + p +
                              ": HTTP 409 (conflict: the zone " +
                              body.value("name", std::string()) + " exists already)");
    auto j = nlohmann::json::parse(answer, nullptr, false);
    if (!j.is_object() || !j.contains("rrsets") || !j["rrsets"].is_array()) return std::nullopt;
    return j;
}

void PdnsClient::patch_rrsets(const Name& zone, const nlohmann::json& rrsets) {
    nlohmann::json fitted = rrsets;
    impl_->fit_loc(fitted);
    std::string b = nlohmann::json{{"rrsets", fitted}}.dump();
    impl_->call("PATCH", impl_->path("/zones/" + zone_path(zone)), &b, {204});
}

void PdnsClient::put_zone(const Name& zone, const nlohmann::json& fields) {
    std::string b = fields.dump();
    impl_->call("PUT", impl_->path("/zones/" + zone_path(zone)), &b, {204});
}

void PdnsClient::delete_zone(const Name& zone) {
    impl_->call("DELETE", impl_->path("/zones/" + zone_path(zone)), nullptr, {204});
}

void PdnsClient::notify(const Name& zone) {
    impl_->call("PUT", impl_->path("/zones/" + zone_path(zone) + "/notify"), nullptr, {200});
}

void PdnsClient::axfr_retrieve(const Name& zone) {
    impl_->call("PUT", impl_->path("/zones/" + zone_path(zone) + "/axfr-retrieve"), nullptr, {200});
}

std::map<std::string, std::vector<std::string>> PdnsClient::get_all_metadata(const Name& zone) {
    auto p = impl_->path("/zones/" + zone_path(zone) + "/metadata");
    auto body = impl_->call("GET", p, nullptr, {200}).second;
    std::map<std::string, std::vector<std::string>> out;
    auto j = impl_->parse(body, "GET " + p);
    if (!j.is_array()) return out;
    for (const auto& m : j) {
        if (!m.is_object() || !m.contains("kind") || !m["kind"].is_string()) continue;
        auto& values = out[m["kind"].get<std::string>()];
        if (m.contains("metadata") && m["metadata"].is_array())
            for (const auto& v : m["metadata"])
                if (v.is_string()) values.push_back(v.get<std::string>());
    }
    return out;
}

void PdnsClient::put_metadata(const Name& zone, const std::string& kind,
                              const std::vector<std::string>& values) {
    std::string b = nlohmann::json{{"kind", kind}, {"metadata", values}}.dump();
    impl_->call("PUT", impl_->path("/zones/" + zone_path(zone) + "/metadata/" + kind), &b, {200});
}

namespace {

// A request or answer body that held a secret, wiped when it goes.
struct SecretBody {
    std::string text;
    ~SecretBody() { wipe_string(text); }
};

}  // namespace

std::vector<PdnsClient::CryptoKey> PdnsClient::get_cryptokeys(const Name& zone) {
    auto p = impl_->path("/zones/" + zone_path(zone) + "/cryptokeys");
    SecretBody got;  // the list holds no private key, but a proxy's answer might
    got.text = impl_->call("GET", p, nullptr, {200}).second;
    auto j = impl_->parse(got.text, "GET " + p);
    std::vector<CryptoKey> out;
    if (!j.is_array()) return out;
    for (const auto& k : j) {
        if (!k.is_object()) continue;
        CryptoKey c;
        c.id = k.value("id", 0);
        c.keytype = k.value("keytype", "");
        c.algorithm = k.value("algorithm", "");
        c.active = k.value("active", false);
        c.published = k.value("published", true);
        c.dnskey = k.value("dnskey", "");
        out.push_back(std::move(c));
    }
    return out;
}

void PdnsClient::create_cryptokey(const Name& zone, const std::string& keytype,
                                  const std::string& algorithm) {
    nlohmann::json req = {
        {"keytype", keytype}, {"active", true}, {"published", true}, {"algorithm", algorithm}};
    if (algorithm == "RSASHA256") req["bits"] = 2048;  // PowerDNS asks the size of an RSA key
    std::string b = req.dump();
    SecretBody answer;  // PowerDNS answers with the private key: never parsed, never kept
    answer.text =
        impl_->call("POST", impl_->path("/zones/" + zone_path(zone) + "/cryptokeys"), &b, {201})
            .second;
}

void PdnsClient::delete_cryptokey(const Name& zone, int id) {
    impl_->call("DELETE",
                impl_->path("/zones/" + zone_path(zone) + "/cryptokeys/" + std::to_string(id)),
                nullptr, {204});
}

std::optional<std::string> PdnsClient::config_value(const std::string& name) {
    auto all = config();
    if (auto it = all.find(name); it != all.end()) return it->second;
    return std::nullopt;
}

std::map<std::string, std::string> PdnsClient::config() {
    auto p = impl_->path("/config");
    auto j = impl_->parse(impl_->call("GET", p, nullptr, {200}).second, "GET " + p);
    std::map<std::string, std::string> out;
    if (j.is_array())
        for (const auto& c : j)
            if (c.is_object() && c.contains("name") && c["name"].is_string() &&
                c.contains("value") && c["value"].is_string())
                out[c["name"].get<std::string>()] = c["value"].get<std::string>();
    return out;
}

void PdnsClient::rectify(const Name& zone) {
    impl_->call("PUT", impl_->path("/zones/" + zone_path(zone) + "/rectify"), nullptr, {200});
}

std::optional<PdnsClient::TsigKeyState> PdnsClient::get_tsig_key(const Name& name,
                                                                 const SecretString& secret) {
    if (!secret.empty()) impl_->secrets.push_back(secret);  // never echoed back in a message
    auto p = impl_->path("/tsigkeys/" + zone_path(name));
    SecretBody got;
    int status = 0;
    std::tie(status, got.text) = impl_->call("GET", p, nullptr, {200, 404});
    if (status != 200) {
        impl_->confirm_server();
        return std::nullopt;
    }
    auto j = impl_->parse(got.text, "GET tsigkey");
    TsigKeyState st;
    if (j.is_object() && j.contains("algorithm") && j["algorithm"].is_string())
        st.algorithm = j["algorithm"].get<std::string>();
    if (j.is_object() && j.contains("key") && j["key"].is_string()) {
        auto& have = j["key"].get_ref<std::string&>();
        // In constant time; only the verdict leaves this function.
        st.same_secret = !secret.empty() && SecretString(have) == secret;
        wipe_string(have);
    }
    return st;
}

bool PdnsClient::has_tsig_key(const Name& name) {
    return get_tsig_key(name, SecretString()).has_value();
}

void PdnsClient::set_tsig_key(const Name& name, const std::string& algorithm,
                              const SecretString& secret, bool exists) {
    // The API key is never sent as a TSIG secret (a secret_file pointed at the key's file
    // would otherwise hand it to whoever the key is shared with).
    if (secret == impl_->cfg.api_key)
        throw InputError(
            "tsig.secret_file: refused: the file holds the PowerDNS API key, which is never "
            "used as a TSIG secret");
    impl_->secrets.push_back(secret);
    SecretBody b;
    if (exists) {
        b.text =
            nlohmann::json{{"algorithm", algorithm}, {"key", std::string(secret.view())}}.dump();
        impl_->call("PUT", impl_->path("/tsigkeys/" + zone_path(name)), &b.text, {200});
        return;
    }
    std::string n = name.to_string();
    n.pop_back();
    b.text =
        nlohmann::json{{"name", n}, {"algorithm", algorithm}, {"key", std::string(secret.view())}}
            .dump();
    impl_->call("POST", impl_->path("/tsigkeys"), &b.text, {201});
}

std::string zone_account(const nlohmann::json& zone) {
    if (zone.is_object() && zone.contains("account") && zone["account"].is_string())
        return zone["account"].get<std::string>();
    return "";
}

std::vector<Name> zone_slave_tsig_keys(const nlohmann::json& zone) {
    std::vector<Name> out;
    if (!zone.is_object() || !zone.contains("slave_tsig_key_ids") ||
        !zone["slave_tsig_key_ids"].is_array())
        return out;
    for (const auto& k : zone["slave_tsig_key_ids"]) {
        if (!k.is_string()) continue;
        std::string s = k.get<std::string>();
        try {
            out.push_back(Name::parse_fqdn(s));
        } catch (const NameError&) {
            // not a key zonegen could have named: left out, so it shows as a difference
        }
    }
    return out;
}

Zone zone_from_pdns(const Name& origin, const nlohmann::json& zone,
                    std::vector<Finding>* findings) {
    Zone z(origin);
    for (const auto& rs : zone["rrsets"]) {
        std::string name = rs.value("name", ""), type = rs.value("type", "");
        std::uint32_t ttl = rs.value("ttl", 0u);
        auto fail = [&](const std::string& why) {
            if (findings)
                findings->push_back({"syntax", Severity::error, name, std::nullopt,
                                     "PowerDNS rrset " + name + " " + type + ": " + why, 0, ""});
        };
        Name owner;
        try {
            owner = Name::parse(name);
        } catch (const NameError& e) {
            fail(e.what());
            continue;
        }
        auto t = type_from_name(type);
        if (!t) {
            fail("unknown type");
            continue;
        }
        if (!rs.contains("records") || !rs["records"].is_array()) continue;
        for (const auto& r : rs["records"]) {
            if (r.value("disabled", false)) continue;
            try {
                z.add_loose(owner, *t, ttl, pdns_parse_content(*t, r.value("content", "")), 0);
            } catch (const RdataError& e) {
                fail(e.what());
            }
        }
    }
    return z;
}

nlohmann::json pdns_patch_rrsets(const std::vector<RRsetWrite>& writes) {
    auto arr = nlohmann::json::array();
    for (const auto& w : writes) {
        nlohmann::json rs = {{"name", w.owner.to_string()}, {"type", pdns_type_name(w.type)}};
        if (w.rdata.empty()) {
            rs["changetype"] = "DELETE";
        } else {
            rs["changetype"] = "REPLACE";
            rs["ttl"] = w.ttl;
            auto records = nlohmann::json::array();
            for (const auto& r : w.rdata)
                records.push_back({{"content", pdns_content(w.type, r)}, {"disabled", false}});
            rs["records"] = records;
        }
        arr.push_back(rs);
    }
    return arr;
}

}  // namespace zonegen
