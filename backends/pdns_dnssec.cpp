#include "backends/pdns_dnssec.hpp"

#include <algorithm>

#include "zonegen/errors.hpp"
#include "zonegen/rdata.hpp"
#include "zonegen/tenancy.hpp"

namespace zonegen {

namespace {

using json = nlohmann::json;

std::string key_label(const std::string& keytype, const std::string& algorithm) {
    return keytype + " " + algorithm;
}

json wanted_state(const json& before, const DnssecIntent& want) {
    if (!want.sign) return {{"signed", false}};
    json keys = before.value("keys", json::array());
    if (keys.empty()) keys.push_back(key_label("csk", want.algorithm));
    return {{"signed", true},
            {"keys", keys},
            {"nsec3param", want.nsec3param()},
            {"soa_edit", kSignedSoaEdit},
            {"soa_edit_api", kSignedSoaEditApi},
            {"api_rectify", true}};
}

std::string denial_words(const json& st) {
    std::string p = st.value("nsec3param", "");
    return p.empty() ? "NSEC" : "NSEC3 " + p;
}

std::string step_text(const json& before, const json& after) {
    bool was = before.value("signed", false), is = after.value("signed", false);
    if (!is)
        return "- dnssec: the keys deleted, the zone served unsigned (only once the parent "
               "publishes no DS for it and the DS's TTL has passed: else every validating "
               "resolver fails the domain)";
    std::string keys;
    for (const auto& k : after["keys"]) keys += (keys.empty() ? "" : ", ") + k.get<std::string>();
    std::string t = was ? "~ dnssec: " : "+ dnssec: signed with a new key (" + keys + "), ";
    if (was && before.value("nsec3param", "") != after.value("nsec3param", ""))
        t += denial_words(before) + " -> ";
    t += denial_words(after) + ", SOA-EDIT " + after.value("soa_edit", "") + " (SOA-EDIT-API " +
         after.value("soa_edit_api", "") + ")" +
         ", rectified; the SOA serial moves on so that the secondaries transfer the signed zone";
    return t;
}

}  // namespace

json pdns_dnssec_state(const std::optional<json>& doc,
                       const std::vector<PdnsClient::CryptoKey>& keys) {
    if (!doc) return nullptr;
    json labels = json::array();
    for (const auto& k : keys)
        if (k.active) labels.push_back(key_label(k.keytype, k.algorithm));
    std::sort(labels.begin(), labels.end());
    if (labels.empty()) return {{"signed", false}};
    return {{"signed", true},
            {"keys", labels},
            {"nsec3param", doc->value("nsec3param", "")},
            {"soa_edit", doc->value("soa_edit", "")},
            {"soa_edit_api", doc->value("soa_edit_api", "")},
            {"api_rectify", doc->value("api_rectify", false)}};
}

std::optional<PlanStep> pdns_dnssec_step(const PdnsClient& client, const Name& zone,
                                         const json& before, const DnssecIntent& want,
                                         const std::vector<PdnsClient::CryptoKey>& keys) {
    json now = before.is_null() ? json{{"signed", false}} : before;
    json after = wanted_state(now, want);
    if (now == after) return std::nullopt;
    PlanStep s;
    s.subject = "dnssec";
    s.server = client.url();
    s.before = now;
    s.after = after;
    s.text = step_text(now, after);
    auto zr = "/zones/" + PdnsClient::zone_ref(zone);
    bool was = now.value("signed", false), is = after.value("signed", false);
    if (is && !was) s.requests.push_back(client.request_line("POST", zr + "/cryptokeys"));
    if (!is)
        for (const auto& k : keys)
            s.requests.push_back(
                client.request_line("DELETE", zr + "/cryptokeys/" + std::to_string(k.id)));
    s.requests.push_back(client.request_line("PUT", zr));
    if (is) s.requests.push_back(client.request_line("PUT", zr + "/rectify"));
    s.requests.push_back(client.request_line("GET", zr));
    s.requests.push_back(client.request_line("PATCH", zr));
    return s;
}

namespace {

// The SOA serial one up: a change PowerDNS's own bookkeeping does not make when only the
// signing changes, and without which a secondary would keep the zone unsigned (or signed).
void bump_serial(PdnsClient& client, const Name& zone) {
    auto doc = client.get_zone(zone);
    if (!doc) throw BackendError("PowerDNS: the zone " + zone.to_string() + " is missing");
    Zone z = zone_from_pdns(zone, *doc, nullptr);
    const RRset* soa = z.find(zone, rrtype::SOA);
    if (!soa || soa->rrs.empty())
        throw BackendError("PowerDNS: " + zone.to_string() + " has no SOA");
    auto s = parse_soa(soa->rrs.front().rdata);
    if (!s) throw BackendError("PowerDNS: the SOA of " + zone.to_string() + " does not parse");
    // Past what it serves now (SOA-EDIT's serial when signed), so the served serial moves.
    std::uint32_t served = doc->value("edited_serial", std::uint32_t{0});
    s->serial = std::max(s->serial, served) + 1;
    client.patch_rrsets(zone, pdns_patch_rrsets({{zone, rrtype::SOA, soa->ttl(), {soa_wire(*s)}}}));
}

}  // namespace

void pdns_run_dnssec(PdnsClient& client, const Name& zone, const PlanStep& step) {
    bool is = step.after.value("signed", false);
    auto keys = client.get_cryptokeys(zone);
    if (is) {
        bool active = std::any_of(keys.begin(), keys.end(), [](const auto& k) { return k.active; });
        if (!active) {
            auto label = step.after["keys"].front().get<std::string>();
            client.create_cryptokey(zone, "csk", label.substr(label.find(' ') + 1));
        }
        client.put_zone(zone, {{"nsec3param", step.after["nsec3param"]},
                               {"soa_edit", step.after["soa_edit"]},
                               {"soa_edit_api", step.after["soa_edit_api"]},
                               {"api_rectify", true}});
        client.rectify(zone);
    } else {
        for (const auto& k : keys) client.delete_cryptokey(zone, k.id);
        client.put_zone(zone, {{"nsec3param", ""}});
    }
    bump_serial(client, zone);
}

void pdns_check_dnssec_step(const PlanStep& s) {
    const json& a = s.after;
    auto bad = [](const std::string& why) { throw InputError("plan file: dnssec: " + why); };
    if (!a.is_object() || !a.contains("signed") || !a["signed"].is_boolean()) bad("no 'signed'");
    if (!a["signed"].get<bool>()) return;
    if (!a.contains("keys") || !a["keys"].is_array() || a["keys"].empty()) bad("no keys");
    for (const auto& k : a["keys"]) {
        std::string l = k.is_string() ? k.get<std::string>() : "";
        auto sp = l.find(' ');
        if (sp == std::string::npos || dnssec_algorithm_number(l.substr(sp + 1)) == 0)
            bad("the key '" + l.substr(0, 40) + "' is not one zonegen makes");
    }
    std::string p = a.value("nsec3param", "?");
    if (p != kNsec3Param && !p.empty()) bad("nsec3param '" + p.substr(0, 40) + "'");
    if (a.value("soa_edit", "") != kSignedSoaEdit)
        bad("soa_edit is not " + std::string(kSignedSoaEdit));
    if (a.value("soa_edit_api", "") != kSignedSoaEditApi)
        bad("soa_edit_api is not " + std::string(kSignedSoaEditApi));
}

std::vector<DsRecord> pdns_served_ds(PdnsClient& client, const Name& zone,
                                     const std::optional<std::string>& account,
                                     bool control_panel) {
    auto doc = client.get_zone(zone);
    if (!doc)
        throw UnsafeError("PowerDNS at " + client.url() + " has no zone " + zone.to_string() +
                          ": apply the spec first; there is no DS to give the registrar yet");
    check_account(zone, zone_account(*doc), account, control_panel);
    std::vector<DsRecord> out;
    for (const auto& k : client.get_cryptokeys(zone)) {
        // The SEP flag (257): the key the parent's DS points at.
        if (!k.active || k.dnskey.rfind("257 ", 0) != 0) continue;
        out.push_back(ds_of_dnskey(zone, k.dnskey));
    }
    if (out.empty())
        throw UnsafeError("PowerDNS at " + client.url() + " does not sign " + zone.to_string() +
                          " yet: apply the spec (dnssec: true) first; there is no DS to give "
                          "the registrar yet");
    return out;
}

}  // namespace zonegen
