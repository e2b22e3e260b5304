#include "backends/pdns_catalog.hpp"

#include <algorithm>
#include <mutex>
#include <set>

#include "zonegen/errors.hpp"
#include "zonegen/rdata.hpp"

namespace zonegen {

namespace {

using json = nlohmann::json;

const char* const kCatalogMeta[] = {"ALLOW-AXFR-FROM", "ALSO-NOTIFY", "TSIG-ALLOW-AXFR"};

// The catalogs this process has found or made as wanted ("URL server_id NAME"): a batch
// checks the catalog once, not once per domain.
std::mutex g_checked_mutex;
std::set<std::string> g_checked;

std::string checked_key(const PdnsClient& client, const Profile& p) {
    return client.url() + " " + p.pdns_server_id + " " + p.catalog->to_string();
}

bool checked(const PdnsClient& client, const Profile& p) {
    std::lock_guard<std::mutex> lock(g_checked_mutex);
    return g_checked.count(checked_key(client, p)) > 0;
}

void mark_checked(const PdnsClient& client, const Profile& p) {
    std::lock_guard<std::mutex> lock(g_checked_mutex);
    g_checked.insert(checked_key(client, p));
}

std::string joined(const json& values) {
    std::string s;
    for (const auto& v : values) s += (s.empty() ? "" : ", ") + v.get<std::string>();
    return s.empty() ? "(none)" : s;
}

// The metadata kinds whose values `after` changes, each with the values it had.
std::vector<std::pair<std::string, json>> changed_metadata(const json& before, const json& after) {
    std::vector<std::pair<std::string, json>> out;
    for (const auto& [kind, values] : after["metadata"].items()) {
        json had = before.is_null() ? json::array() : before["metadata"].value(kind, json::array());
        if (had != values) out.emplace_back(kind, had);
    }
    return out;
}

std::string step_text(const Name& catalog, const json& before, const json& after) {
    std::string t = (before.is_null() ? "+ catalog " : "~ catalog ") + catalog.to_string();
    if (before.is_null()) t += " (Producer zone: each pattern-A zone a member)";
    for (const auto& [kind, had] : changed_metadata(before, after))
        t += ", " + kind + " " + joined(had) + " -> " + joined(after["metadata"][kind]);
    return t;
}

// The Producer zone's SOA from the profile's and NS "invalid." (RFC 9432 section 4.1: a
// catalog is not meant to be queried). Serial 1 and no SOA-EDIT-API: PowerDNS moves a
// catalog's serial to the time of each change (seconds since 1970, 1.79e9 in 2026); the API's
// default would start it at a date serial (2026120701), which serial arithmetic (RFC 1982)
// holds newer than every such time for years, and consumers would never transfer again.
json producer_zone(const Profile& p) {
    const Name& z = *p.catalog;
    Soa soa{p.soa_mname, p.soa_rname, 1, p.refresh, p.retry, p.expire, p.minimum};
    json rrsets = json::array();
    rrsets.push_back(
        {{"name", z.to_string()},
         {"type", "SOA"},
         {"ttl", p.ttl_soa},
         {"records",
          {{{"content", rdata_text(rrtype::SOA, soa_wire(soa))}, {"disabled", false}}}}});
    rrsets.push_back({{"name", z.to_string()},
                      {"type", "NS"},
                      {"ttl", p.ttl_soa},
                      {"records", {{{"content", "invalid."}, {"disabled", false}}}}});
    return {{"name", z.to_string()},
            {"kind", "Producer"},
            {"soa_edit_api", ""},
            {"nameservers", json::array()},
            {"rrsets", rrsets}};
}

void create_producer(PdnsClient& client, const Profile& p) {
    try {
        client.create_zone(producer_zone(p));
    } catch (const BackendError&) {
        // Another run (a batch's other worker) made it between our read and this POST.
        auto doc = client.get_zone(*p.catalog);
        if (!doc || doc->value("kind", "") != "Producer") throw;
    }
}

}  // namespace

std::vector<std::string> secondary_metadata(const Profile& profile, const std::string& kind) {
    std::vector<std::string> v;
    auto add = [&](const std::string& x) {
        if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);  // once each
    };
    for (const auto& ns : profile.nameservers) {
        if (ns.primary) continue;
        if (kind == "ALSO-NOTIFY")
            for (const auto& e : ns.endpoints()) add(e);
        if (kind == "ALLOW-AXFR-FROM") {
            for (const auto& a : ns.ipv4) add(a);
            for (const auto& a : ns.ipv6) add(a);
        }
    }
    return v;
}

json catalog_wanted(const Profile& profile) {
    json meta = json::object();
    meta["ALSO-NOTIFY"] = secondary_metadata(profile, "ALSO-NOTIFY");
    if (profile.catalog_tsig_key) {
        meta["ALLOW-AXFR-FROM"] = json::array();
        meta["TSIG-ALLOW-AXFR"] = {profile.catalog_tsig_key->to_string()};
    } else {
        meta["ALLOW-AXFR-FROM"] = secondary_metadata(profile, "ALLOW-AXFR-FROM");
        meta["TSIG-ALLOW-AXFR"] = json::array();
    }
    return {{"kind", "Producer"}, {"metadata", meta}};
}

json catalog_state(PdnsClient& client, const Profile& profile) {
    if (checked(client, profile)) return catalog_wanted(profile);
    auto doc = client.get_zone(*profile.catalog);
    if (!doc) return nullptr;
    json meta = json::object();
    std::string kind = doc->value("kind", "");
    if (kind == "Producer") {
        auto all = client.get_all_metadata(*profile.catalog);
        for (const char* k : kCatalogMeta) meta[k] = all[k];
    }
    return {{"kind", kind}, {"metadata", meta}};
}

std::optional<PlanStep> catalog_step(PdnsClient& client, const Profile& profile,
                                     const json& before) {
    const Name& cat = *profile.catalog;
    if (!before.is_null() && before.value("kind", "") != "Producer")
        throw UnsafeError("PowerDNS at " + client.url() + " has a zone " + cat.to_string() +
                          " of kind " + before.value("kind", "") +
                          ", not the catalog (Producer) the profile names in catalog: it is "
                          "never converted; name another catalog zone, or remove that zone");
    if (profile.catalog_tsig_key && !client.has_tsig_key(*profile.catalog_tsig_key))
        throw UnsafeError("PowerDNS at " + client.url() + " has no TSIG key " +
                          profile.catalog_tsig_key->to_string() +
                          " (profile key catalog.tsig_key): create it there first "
                          "(pdnsutil generate-tsig-key), and give it to our secondaries");
    json after = catalog_wanted(profile);
    if (before == after) {
        mark_checked(client, profile);
        return std::nullopt;
    }
    PlanStep s;
    s.subject = "catalog " + cat.to_string();
    s.server = client.url();
    s.before = before;
    s.after = after;
    s.text = step_text(cat, before, after);
    auto zr = "/zones/" + PdnsClient::zone_ref(cat);
    if (before.is_null()) s.requests.push_back(client.request_line("POST", "/zones"));
    for (const auto& change : changed_metadata(before, after))
        s.requests.push_back(client.request_line("PUT", zr + "/metadata/" + change.first));
    return s;
}

void run_catalog_step(PdnsClient& client, const Profile& profile, const PlanStep& step) {
    // One worker at a time, from the catalog as it is now: a batch's workers all planned the
    // same step, and PowerDNS's metadata write is not atomic (two at once doubled an
    // ALLOW-AXFR-FROM value in the tests).
    static std::mutex running;
    std::lock_guard<std::mutex> lock(running);
    if (checked(client, profile)) return;
    json now = catalog_state(client, profile);
    if (now.is_null()) create_producer(client, profile);
    for (const auto& change : changed_metadata(now, step.after))
        client.put_metadata(*profile.catalog, change.first,
                            step.after["metadata"][change.first].get<std::vector<std::string>>());
    mark_checked(client, profile);
}

void check_catalog_step(const Profile& profile, const PlanStep& step) {
    if (!profile.catalog || step.subject != "catalog " + profile.catalog->to_string())
        throw InputError("plan file: " + step.subject + " is not the profile's catalog");
    if (step.after != catalog_wanted(profile))
        throw InputError("plan file: " + step.subject + " is not what the profile sets");
}

}  // namespace zonegen
