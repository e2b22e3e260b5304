// The PowerDNS target: a zone on our PowerDNS primary (pattern A, with its transfer settings
// and a Slave zone on each secondary whose API the profile gives), on our pattern-B
// secondary (a Slave zone of the customer's primary, with its TSIG key), or nowhere
// (pattern C). Every write is a step of the plan; NOTIFY, transfers asked for and the waits
// are the settle phase.
#include "backends/pdns_target.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>
#include <utility>

#include "backends/dnsquery.hpp"
#include "backends/pdns.hpp"
#include "backends/pdns_catalog.hpp"
#include "backends/pdns_dnssec.hpp"
#include "backends/pdns_transfers.hpp"
#include "zonegen/customer_networks.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/location.hpp"
#include "zonegen/render.hpp"
#include "zonegen/spec_paths.hpp"
#include "zonegen/tenancy.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;
using Meta = std::map<std::string, std::vector<std::string>>;

const char* const kMetaKinds[] = {"ALLOW-AXFR-FROM", "ALSO-NOTIFY"};

PdnsConfig pdns_config(const std::string& url, const std::string& server_id,
                       const ProvisionOptions& o) {
    PdnsConfig c;
    c.url = url;
    c.server_id = server_id;
    c.api_key = read_api_key(o.api_key_file);
    c.trace = o.trace;
    c.connect_timeout_s = std::min(o.pdns_timeout_s, 10);
    c.read_timeout_s = o.pdns_timeout_s;
    c.max_response_bytes = static_cast<std::size_t>(o.pdns_max_response_mb) << 20;
    return c;
}

std::vector<std::string> json_strings(const json& j, const char* key) {
    std::vector<std::string> out;
    if (j.contains(key) && j[key].is_array())
        for (const auto& v : j[key])
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

std::vector<std::string> key_names(const std::vector<Name>& keys) {
    std::vector<std::string> out;
    for (const auto& k : keys) out.push_back(k.to_string());
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? "(none)" : s;
}

std::string shown(const json& v) {
    return v.is_string() && !v.get<std::string>().empty() ? v.get<std::string>() : "(none)";
}

// Waits (bounded) until `addr:port` serves the zone, optionally at `serial`.
SoaAnswer wait_serving(const std::string& addr, std::uint16_t port, const Name& zone,
                       std::optional<std::uint32_t> serial, int seconds) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (;;) {
        SoaAnswer a = query_soa(addr, port, zone, 1000);
        if (a.authoritative && a.serial && (!serial || *a.serial == *serial)) return a;
        if (std::chrono::steady_clock::now() >= until) return a;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

// A step's subject in a reviewer's words.
std::string subject_words(const std::string& subject) {
    if (subject == "zone") return "the zone's settings";
    if (subject.rfind("tsig-key ", 0) == 0) return "the TSIG key " + subject.substr(9);
    if (subject.rfind("secondary ", 0) == 0) return "the zone on " + subject.substr(10);
    if (subject == "dnssec") return "the zone's DNSSEC signing";
    if (subject.rfind("catalog ", 0) == 0) return "the catalog zone " + subject.substr(8);
    return subject;
}

// A zone's settings as steps compare them: null when absent. The transfer keys only for a
// Slave zone (what pattern B sets).
json zone_state(const std::optional<json>& doc) {
    if (!doc) return nullptr;
    std::string kind = doc->value("kind", "");
    json s = {{"kind", kind},
              {"masters", json_strings(*doc, "masters")},
              {"account", zone_account(*doc)}};
    if (kind == "Slave") s["transfer_keys"] = key_names(zone_slave_tsig_keys(*doc));
    // A member of a catalog (only then, so that a profile without one compares as before).
    if (auto c = doc->value("catalog", ""); !c.empty()) s["catalog"] = c;
    return s;
}

// The account a step leaves: the intent's, else the live one kept.
std::string account_after(const ZoneIntent& want, const LiveZone& live) {
    return want.account ? *want.account : live.account;
}

// The request body that makes a zone's settings `after` (a creation: the whole zone).
json zone_fields(const json& after, bool create, const Name& zone) {
    json f = {{"kind", after.at("kind")}, {"masters", after.at("masters")}};
    if (!after.at("account").get<std::string>().empty() || !create) f["account"] = after["account"];
    if (after.contains("transfer_keys")) f["slave_tsig_key_ids"] = after["transfer_keys"];
    if (after.contains("catalog")) f["catalog"] = after["catalog"];
    if (after.at("kind") == "Master") f["soa_edit_api"] = "INCREASE";
    if (create) {
        f["name"] = zone.to_string();
        if (after.at("kind") == "Master") f["nameservers"] = json::array();
    }
    return f;
}

// Steps that write nothing into the zone's own document (its records, serial, kind):
// metadata, TSIG keys, another server's zone, the catalog zone.
bool leaves_the_zone_as_is(const std::string& subject) {
    for (const char* p : {"metadata ", "tsig-key ", "secondary ", "catalog "})
        if (subject.rfind(p, 0) == 0) return true;
    return false;
}

// A step's text on another server of ours: "+ zone x." -> "+ ns2.example.net.: zone x.".
std::string on_server(const std::string& server, const std::string& text) {
    return text.substr(0, 2) + server + ": " + text.substr(2);
}

std::string zone_step_text(const Name& zone, const json& before, const json& after,
                           std::size_t rrsets) {
    std::string z = "zone " + zone.to_string();
    if (after.is_null())
        return "- " + z + " (" + before.value("kind", "") + ")" +
               (before.contains("catalog")
                    ? ", and so from the catalog " + before["catalog"].get<std::string>()
                    : "");
    if (before.is_null() || (before.is_object() && before.value("empty_shell", false))) {
        std::string t =
            (before.is_null() ? "+ " : "~ ") + z + " (" + after["kind"].get<std::string>() + ")";
        if (!after["account"].get<std::string>().empty())
            t += ", account " + after["account"].get<std::string>();
        if (after["kind"] == "Slave") t += ", masters " + joined(json_strings(after, "masters"));
        if (after.contains("transfer_keys") && !after["transfer_keys"].empty())
            t += ", transfer key " + joined(json_strings(after, "transfer_keys"));
        if (after["kind"] == "Master") t += ", with its " + std::to_string(rrsets) + " rrsets";
        if (after.contains("catalog"))
            t += ", a member of the catalog " + after["catalog"].get<std::string>();
        if (!before.is_null())
            t += ": it exists without records (a creation that did not finish), deleted and "
                 "created whole";
        return t;
    }
    std::string t = "~ " + z;
    for (const char* f : {"kind", "account", "catalog"})
        if (before.value(f, json()) != after.value(f, json()))
            t += std::string(", ") + f + " " + shown(before[f]) + " -> " + shown(after[f]);
    for (const char* f : {"masters", "transfer_keys"})
        if (after.contains(f) && before.value(f, json::array()) != after[f])
            t += std::string(", ") + (std::string(f) == "masters" ? "masters " : "transfer keys ") +
                 joined(json_strings(before, f)) + " -> " + joined(json_strings(after, f));
    return t;
}

class PdnsTarget final : public Target {
  public:
    PdnsTarget(Pattern pattern, const Profile& profile, const ProvisionOptions& opts)
        : profile_(profile), opts_(opts) {
        url_ = opts.pdns_url.empty() ? profile.pdns_url : opts.pdns_url;
        sid_ = profile.pdns_server_id;
        if (pattern == Pattern::B) {
            const auto& sec = profile.pattern_b_secondary();
            if (!sec.api_url.empty()) url_ = sec.api_url, sid_ = sec.server_id;
        }
        client_ = std::make_unique<PdnsClient>(pdns_config(url_, sid_, opts));
    }

    std::string kind() const override { return "powerdns"; }
    std::string server() const override { return url_; }
    std::string description() const override { return "PowerDNS " + url_; }

    void precheck(const ZoneIntent& want) override {
        require_account(want.account, profile_, want.source);
        if (want.transfer_key) (void)read_secret(*want.transfer_key);
    }

    LiveZone load(const ZoneIntent& want) override {
        return load_from(want, client_->get_zone(want.zone));
    }

    LiveZone assume_absent(const ZoneIntent& want) override {
        return load_from(want, std::nullopt);
    }

    // What load() reads besides the zone itself, `doc` (nullopt: absent).
    LiveZone load_from(const ZoneIntent& want, std::optional<json> doc) {
        new_member_ = false;
        doc_ = std::move(doc);
        LiveZone live = live_of(want.zone);
        if (live.exists)
            check_account(want.zone, live.account, want.account, profile_.control_panel);
        load_others(want);
        if (want.role == Role::primary && profile_.catalog)
            catalog_ = catalog_state(*client_, profile_);
        if (want.role == Role::primary && profile_.pdns_server_transfers)
            require_server_transfer_settings(*client_, profile_);
        else if (want.role == Role::primary && live.exists && !live.empty_shell)
            meta_ = client_->get_all_metadata(want.zone);
        load_keys(want.zone);
        return live;
    }

    std::vector<PlanStep> steps(const LiveZone& live, const ZoneIntent& want,
                                const Plan& records) override {
        std::vector<PlanStep> out;
        if (want.role == Role::absent) {
            if (live.exists) out.push_back(delete_step(want.zone));
            return out;
        }
        if (want.role == Role::secondary) {
            if (want.transfer_key)
                if (auto s = tsig_step(want)) out.push_back(std::move(*s));
        }
        // The catalog first: the zone's step names it.
        if (want.role == Role::primary && profile_.catalog)
            if (auto s = catalog_step(*client_, profile_, catalog_)) out.push_back(std::move(*s));
        if (auto s = zone_step(live, want, records)) out.push_back(std::move(*s));
        if (want.role == Role::primary) {
            bool created = !live.exists || live.empty_shell;
            if (!created && !records.empty()) out.push_back(records_step(want.zone, records));
            for (auto& s : metadata_steps(want.zone, created)) out.push_back(std::move(s));
            // A signed zone's DNSKEY records (a multi-signer move's foreign keys).
            if (want.dnssec && want.dnssec->sign && want.records.find(want.zone, rrtype::DNSKEY))
                require_direct_dnskey();
            if (want.dnssec)
                if (auto s = pdns_dnssec_step(*client_, want.zone, pdns_dnssec_state(doc_, keys_),
                                              *want.dnssec, keys_))
                    out.push_back(std::move(*s));
            // Secondaries that consume the catalog need no zone of their own from us.
            if (!profile_.catalog)
                for (auto& s : secondary_steps(want, live)) out.push_back(std::move(s));
        }
        return out;
    }

    std::vector<std::string> settle_text(const ZoneIntent& want) const override {
        std::vector<std::string> out;
        auto z = PdnsClient::zone_ref(want.zone);
        if (want.role == Role::primary) {
            std::string names;
            for (const auto& ns : profile_.nameservers)
                if (!ns.primary) names += (names.empty() ? "" : ", ") + ns.name.to_string();
            if (names.empty()) return out;
            out.push_back("NOTIFY " + names + " when anything was written or a secondary lags (" +
                          client_->request_line("PUT", "/zones/" + z + "/notify") + ")" +
                          (profile_.catalog
                               ? "; not for a zone this apply makes: the catalog "
                                 "tells the consumers of it, and they transfer it whole"
                               : ""));
            if (opts_.wait_secondaries > 0)
                out.push_back("wait up to " + std::to_string(opts_.wait_secondaries) + " s until " +
                              names +
                              (names.find(',') == std::string::npos ? " serves" : " serve") +
                              " the primary's serial");
        } else if (want.role == Role::secondary) {
            const auto& sec = profile_.pattern_b_secondary();
            out.push_back("ask " + sec.name.to_string() +
                          " to transfer from the customer's primary when anything was written or "
                          "--wait-transfer asks (" +
                          client_->request_line("PUT", "/zones/" + z + "/axfr-retrieve") + ")");
            int wait = opts_.wait_transfer >= 0 ? opts_.wait_transfer : opts_.brief_transfer_wait_s;
            out.push_back("wait up to " + std::to_string(wait) + " s until " +
                          sec.name.to_string() + " serves the zone" +
                          (opts_.wait_transfer >= 0 ? " (required)" : ""));
        }
        return out;
    }

    LiveZone check_plan(const Name& zone, Pattern pattern,
                        const std::vector<PlanStep>& steps) override {
        for (const auto& s : steps) check_input(zone, s);
        new_member_ = false;
        if (pattern == Pattern::A && profile_.pdns_server_transfers)
            require_server_transfer_settings(*client_, profile_);
        doc_ = client_->get_zone(zone);
        LiveZone live = live_of(zone);
        ZoneIntent probe;
        probe.zone = zone;
        probe.pattern = pattern;
        probe.role = pattern == Pattern::A   ? Role::primary
                     : pattern == Pattern::B ? Role::secondary
                                             : Role::absent;
        load_others(probe, false);
        if (live.exists && !live.empty_shell && !profile_.pdns_server_transfers)
            meta_ = client_->get_all_metadata(zone);
        load_keys(zone);
        for (const auto& s : steps)
            if (s.subject != "records" && now_of(zone, s) != s.before)
                throw UnsafeError("the live zone changed since the plan was made (" +
                                  subject_words(s.subject) +
                                  " differs): nothing was applied; make a new plan and review it");
        return live;
    }

    void run(const Name& zone, const PlanStep& s, const Plan& records) override {
        if (!leaves_the_zone_as_is(s.subject)) created_.reset();
        if (s.subject == "zone") return run_zone(zone, s, records);
        if (s.subject == "records")
            return client_->patch_rrsets(zone, pdns_patch_rrsets(writes_of(records)));
        if (s.subject.rfind("metadata ", 0) == 0)
            return client_->put_metadata(zone, s.subject.substr(9),
                                         s.after.get<std::vector<std::string>>());
        if (s.subject.rfind("tsig-key ", 0) == 0) return run_tsig(zone, s);
        if (s.subject.rfind("secondary ", 0) == 0) return run_secondary(zone, s);
        if (s.subject == "dnssec") return pdns_run_dnssec(*client_, zone, s);
        if (s.subject.rfind("catalog ", 0) == 0) return run_catalog_step(*client_, profile_, s);
        throw InputError("plan file: unknown step " + s.subject);
    }

    PlanStep restore_step(const Name& zone, const std::string& subject, const json& now,
                          const json& want, const Plan& records) override {
        auto zr = "/zones/" + PdnsClient::zone_ref(zone);
        if (subject == "records") return records_step(zone, records);
        PlanStep s;
        s.subject = subject;
        s.server = url_;
        s.before = now;
        s.after = want;
        const char* method = want.is_null() ? "DELETE" : now.is_null() ? "POST" : "PUT";
        if (subject == "zone") {
            s.requests = {client_->request_line(method, now.is_null() ? "/zones" : zr)};
            s.text = zone_step_text(zone, now, want, records.changes.size());
            s.writes_records =
                now.is_null() && want.is_object() && want.value("kind", "") == "Master";
        } else if (subject.rfind("metadata ", 0) == 0) {
            s.requests = {client_->request_line("PUT", zr + "/metadata/" + subject.substr(9))};
            s.text = "~ " + subject + " " + joined(json_strings(json{{"v", now}}, "v")) + " -> " +
                     joined(json_strings(json{{"v", want}}, "v"));
        } else if (subject.rfind("secondary ", 0) == 0) {
            if (secondaries_.empty()) {
                ZoneIntent probe;
                probe.zone = zone;
                probe.role = Role::primary;
                load_others(probe, false);
            }
            const Secondary& sec = secondary(subject);
            s.server = sec.client->url();
            s.requests = {sec.client->request_line(method, now.is_null() ? "/zones" : zr)};
            if (!want.is_null())
                s.requests.push_back(sec.client->request_line("PUT", zr + "/axfr-retrieve"));
            s.text = on_server(subject.substr(10), zone_step_text(zone, now, want, 0));
        } else if (subject.rfind("catalog ", 0) == 0) {
            throw UnsafeError("the catalog zone is every customer's: it is not rolled back");
        } else if (subject == "dnssec") {
            throw UnsafeError(
                "the zone's DNSSEC signing is not rolled back: turning it on or off depends on "
                "the DS at the parent; change dnssec: in the spec and apply (off needs --force)");
        } else {
            throw InputError("journal: the step " + subject + " cannot be rolled back");
        }
        return s;
    }

    // A zone this apply created, with nothing written to it since: PowerDNS's answer to the
    // POST is the document a GET would read now, so it is not asked again.
    Zone reload(const Name& zone) override {
        doc_ = created_ ? std::exchange(created_, std::nullopt) : client_->get_zone(zone);
        if (!doc_) throw BackendError("PowerDNS at " + url_ + ": the zone is missing after apply");
        return zone_from_pdns(zone, *doc_, nullptr);
    }

    SettleReport settle(const Name& zone, Pattern pattern, bool wrote,
                        const std::vector<PlanStep>& steps) override {
        if (pattern == Pattern::A) return settle_primary(zone, wrote);
        if (pattern == Pattern::B) return settle_secondary(zone, wrote, steps);
        return {};
    }

  private:
    struct Secondary {
        const ProviderNs* ns;
        std::shared_ptr<PdnsClient> client;
        std::optional<json> doc;
    };

    // A multi-signer move publishes the old provider's DNSKEYs as records: PowerDNS serves
    // DNSKEY records of a signed zone's database only with direct-dnskey=yes (server-wide).
    void require_direct_dnskey() {
        auto v = client_->config_value("direct-dnskey");
        if (v && *v == "yes") return;
        throw UnsafeError("PowerDNS at " + url_ + " has direct-dnskey=" + v.value_or("no") +
                          ": it would not serve the old provider's DNSKEYs of the multi-signer "
                          "move, and validating resolvers asking it would fail the domain; set "
                          "direct-dnskey=yes in its configuration (server-wide) and restart it");
    }

    // The zone's active keys, asked only of a zone PowerDNS says is signed.
    void load_keys(const Name& zone) {
        keys_.clear();
        if (doc_ && doc_->value("kind", "") == "Master" && doc_->value("dnssec", false))
            keys_ = client_->get_cryptokeys(zone);
    }

    LiveZone live_of(const Name& zone) const {
        LiveZone live;
        live.records = Zone(zone);
        if (!doc_) return live;
        live.exists = true;
        std::string kind = doc_->value("kind", "");
        live.role = kind == "Slave" ? Role::secondary : Role::primary;
        live.account = zone_account(*doc_);
        Zone z = zone_from_pdns(zone, *doc_, nullptr);
        live.rrsets = z.rrsets().size();
        // Only a Master zone of ours: an empty Slave zone is a transfer still pending.
        live.empty_shell = kind == "Master" && z.empty();
        if (doc_->contains("serial") && (*doc_)["serial"].is_number())
            live.serial = (*doc_)["serial"].get<std::uint32_t>();
        if (live.role == Role::primary) live.records = std::move(z);
        return live;
    }

    // Every other PowerDNS of ours with an API: another account's zone there is refused as
    // on this server (exit 4). Pattern A keeps the secondaries it gives a Slave zone.
    void load_others(const ZoneIntent& want, bool check = true) {
        secondaries_.clear();
        for (const auto& ns : profile_.nameservers) {
            if (ns.api_url.empty() || same_server(ns.api_url, url_)) continue;
            auto c = std::make_shared<PdnsClient>(pdns_config(ns.api_url, ns.server_id, opts_));
            auto z = c->get_zone(want.zone);
            if (z && check)
                check_account(want.zone, zone_account(*z), want.account, profile_.control_panel);
            if (want.role == Role::primary && !ns.primary)
                secondaries_.push_back({&ns, std::move(c), std::move(z)});
        }
    }

    PlanStep delete_step(const Name& zone) {
        PlanStep s;
        s.subject = "zone";
        s.server = url_;
        s.before = zone_state(doc_);
        s.text = zone_step_text(zone, s.before, nullptr, 0);
        s.requests = {client_->request_line("DELETE", "/zones/" + PdnsClient::zone_ref(zone))};
        return s;
    }

    json zone_after(const ZoneIntent& want, const LiveZone& live) const {
        if (want.role == Role::primary) {
            json z = {{"kind", "Master"},
                      {"masters", json::array()},
                      {"account", account_after(want, live)}};
            if (profile_.catalog) z["catalog"] = profile_.catalog->to_string();
            return z;
        }
        json keys = json::array();
        if (want.transfer_key) keys.push_back(want.transfer_key->name.to_string());
        return {{"kind", "Slave"},
                {"masters", want.primaries},
                {"account", account_after(want, live)},
                {"transfer_keys", keys}};
    }

    std::optional<PlanStep> zone_step(const LiveZone& live, const ZoneIntent& want,
                                      const Plan& records) {
        PlanStep s;
        s.subject = "zone";
        s.server = url_;
        s.before = zone_state(doc_);
        if (live.empty_shell) s.before["empty_shell"] = true;
        s.after = zone_after(want, live);
        if (s.before == s.after) return std::nullopt;
        auto zr = "/zones/" + PdnsClient::zone_ref(want.zone);
        if (live.empty_shell) s.requests.push_back(client_->request_line("DELETE", zr));
        if (!live.exists || live.empty_shell)
            s.requests.push_back(client_->request_line("POST", "/zones"));
        else
            s.requests.push_back(client_->request_line("PUT", zr));
        std::size_t n = 0;
        for (const auto& c : records.changes) n += c.after ? 1 : 0;
        s.text = zone_step_text(want.zone, s.before, s.after, n);
        s.writes_records = want.role == Role::primary && (!live.exists || live.empty_shell);
        return s;
    }

    PlanStep records_step(const Name& zone, const Plan& records) {
        PlanStep s;
        s.subject = "records";
        s.server = url_;
        s.writes_records = true;
        s.text = "~ records: " + std::to_string(records.changes.size()) +
                 " rrset change(s), one transaction (listed below)";
        s.requests = {client_->request_line("PATCH", "/zones/" + PdnsClient::zone_ref(zone))};
        return s;
    }

    std::vector<std::string> wanted_meta(const std::string& kind) const {
        return secondary_metadata(profile_, kind);
    }

    // The zone's transfer metadata; none in the lean mode (the server's settings instead).
    std::vector<PlanStep> metadata_steps(const Name& zone, bool created) {
        std::vector<PlanStep> out;
        if (profile_.pdns_server_transfers) return out;
        for (const char* kind : kMetaKinds) {
            auto want = wanted_meta(kind);
            std::vector<std::string> have = created ? std::vector<std::string>{} : meta_[kind];
            if (want == have) continue;
            PlanStep s;
            s.subject = std::string("metadata ") + kind;
            s.server = url_;
            s.before = have;
            s.after = want;
            s.text = "~ metadata " + std::string(kind) + " " + joined(have) + " -> " + joined(want);
            s.requests = {client_->request_line(
                "PUT", "/zones/" + PdnsClient::zone_ref(zone) + "/metadata/" + kind)};
            out.push_back(std::move(s));
        }
        return out;
    }

    json secondary_after(const LiveZone& live, const ZoneIntent& want) const {
        return {{"kind", "Slave"},
                {"masters", profile_.primary().endpoints()},
                {"account", account_after(want, live)},
                {"transfer_keys", json::array()}};
    }

    std::vector<PlanStep> secondary_steps(const ZoneIntent& want, const LiveZone& live) {
        std::vector<PlanStep> out;
        for (const auto& sec : secondaries_) {
            PlanStep s;
            s.subject = "secondary " + sec.ns->name.to_string();
            s.server = sec.client->url();
            s.before = zone_state(sec.doc);
            if (!s.before.is_null())
                s.before["transfer_keys"] = s.before.value("transfer_keys", json::array());
            s.after = secondary_after(live, want);
            if (s.before == s.after) continue;
            auto zr = "/zones/" + PdnsClient::zone_ref(want.zone);
            s.requests = {
                sec.client->request_line(sec.doc ? "PUT" : "POST", sec.doc ? zr : "/zones"),
                sec.client->request_line("PUT", zr + "/axfr-retrieve")};
            s.text = on_server(sec.ns->name.to_string(),
                               zone_step_text(want.zone, s.before, s.after, 0));
            out.push_back(std::move(s));
        }
        return out;
    }

    // Pattern B's TSIG key (server-wide on PowerDNS). An existing key with another secret or
    // algorithm is replaced only when it is this zone's own (named below the zone, and the
    // zone already transfers with it); any other is refused, exit 4, never overwritten. The
    // secrets are compared in memory; only the verdict is kept.
    std::optional<PlanStep> tsig_step(const ZoneIntent& want) {
        const TransferKey& k = *want.transfer_key;
        SecretString secret = read_secret(k);
        auto live = client_->get_tsig_key(k.name, secret);
        PlanStep s;
        s.subject = "tsig-key " + k.name.to_string();
        s.server = url_;
        s.secret = true;
        s.after = {
            {"algorithm", k.algorithm}, {"same_secret", true}, {"secret_file", k.secret_file}};
        if (!k.secrets_dir.empty()) s.after["secrets_dir"] = k.secrets_dir;
        if (live) s.before = {{"algorithm", live->algorithm}, {"same_secret", live->same_secret}};
        if (live && live->algorithm == k.algorithm && live->same_secret) return std::nullopt;
        if (live) refuse_foreign_key(want.zone, k.name, live->same_secret);
        auto rest = "/tsigkeys" + (live ? "/" + PdnsClient::zone_ref(k.name) : std::string());
        s.requests = {client_->request_line(live ? "PUT" : "POST", rest)};
        std::string key = "TSIG key " + k.name.to_string();
        if (!live)
            s.text = "+ " + key + " (" + k.algorithm + "), the secret from " + k.secret_file;
        else
            s.text = "~ " + key +
                     (live->algorithm != k.algorithm
                          ? " algorithm " + live->algorithm + " -> " + k.algorithm
                          : " (" + k.algorithm + ")") +
                     ", secret " + (live->same_secret ? "unchanged" : "changed") + " (from " +
                     k.secret_file + ")";
        return s;
    }

    void refuse_foreign_key(const Name& zone, const Name& key, bool same_secret) const {
        auto keys = doc_ ? key_names(zone_slave_tsig_keys(*doc_)) : std::vector<std::string>{};
        bool transfers = std::find(keys.begin(), keys.end(), key.to_string()) != keys.end();
        if (tsig_name_belongs_to(key, zone) && transfers) return;
        throw UnsafeError(
            "PowerDNS already has a TSIG key " + key.to_string() + " with another " +
            (same_secret ? "algorithm" : "secret") + ", and it is not the zone " +
            zone.to_string() + "'s own (" +
            (tsig_name_belongs_to(key, zone) ? "the zone does not transfer with it"
                                             : "its name is not below the zone") +
            "): it may be another zone's key, and zonegen never replaces one; nothing was "
            "changed. Name the zone's own key (" +
            default_tsig_name(zone).to_string() +
            "), or remove a stale key by hand (pdnsutil delete-tsig-key)");
    }

    SecretString read_secret(const TransferKey& k) const {
        auto at = locate_planned_secret(k.secrets_dir, profile_, "tsig.secret_file", k.secret_file);
        SecretString secret = read_tsig_secret(at, "tsig.secret_file");
        refuse_api_key_as_tsig(secret, opts_.api_key_file);
        return secret;
    }

    static TransferKey key_of(const PlanStep& s) {
        TransferKey k;
        k.name = Name::parse(s.subject.substr(9));
        k.algorithm = s.after.at("algorithm").get<std::string>();
        k.secret_file = s.after.at("secret_file").get<std::string>();
        k.secrets_dir = s.after.value("secrets_dir", "");
        return k;
    }

    // The state of a step's subject as it is now (apply --plan compares it with "before").
    json now_of(const Name& zone, const PlanStep& s) {
        if (s.subject == "zone") {
            json st = zone_state(doc_);
            if (doc_ && zone_from_pdns(zone, *doc_, nullptr).empty() &&
                doc_->value("kind", "") == "Master")
                st["empty_shell"] = true;
            return st;
        }
        if (s.subject.rfind("metadata ", 0) == 0)
            return doc_ ? json(meta_[s.subject.substr(9)]) : json::array();
        if (s.subject.rfind("secondary ", 0) == 0) {
            for (const auto& sec : secondaries_)
                if ("secondary " + sec.ns->name.to_string() == s.subject) {
                    json st = zone_state(sec.doc);
                    if (!st.is_null())
                        st["transfer_keys"] = st.value("transfer_keys", json::array());
                    return st;
                }
            throw InputError("plan file: " + s.subject + " is not a secondary of ours with an API");
        }
        if (s.subject == "dnssec") return pdns_dnssec_state(doc_, keys_);
        if (s.subject.rfind("catalog ", 0) == 0) return catalog_state(*client_, profile_);
        if (s.subject.rfind("tsig-key ", 0) == 0) {
            TransferKey k = key_of(s);
            auto live = client_->get_tsig_key(k.name, read_secret(k));
            if (!live) return nullptr;
            return {{"algorithm", live->algorithm}, {"same_secret", live->same_secret}};
        }
        throw InputError("plan file: unknown step " + s.subject);
    }

    // A plan file is text anyone could edit: what its steps would write is checked as any
    // input is (tenancy, addresses a customer named, keys of the zone's own).
    void check_input(const Name& zone, const PlanStep& s) const {
        if (s.subject == "zone" || s.subject.rfind("secondary ", 0) == 0) {
            if (s.after.is_null()) return;
            (void)s.after.at("account").get<std::string>();  // the plan's, checked by the chain
            std::string kind = s.after.at("kind").get<std::string>();
            if (kind != "Master" && kind != "Slave")
                throw InputError("plan file: " + s.subject + ": kind " + kind);
            if (s.subject == "zone" && kind == "Slave") check_masters(s.after);
            if (s.subject != "zone" &&
                json_strings(s.after, "masters") != profile_.primary().endpoints())
                throw InputError("plan file: " + s.subject + ": masters are not our primary");
            for (const auto& k : json_strings(s.after, "transfer_keys"))
                check_own_key(zone, Name::parse(k));
        } else if (s.subject.rfind("tsig-key ", 0) == 0) {
            check_own_key(zone, key_of(s).name);
            (void)read_secret(key_of(s));  // where the plan says, confined, before any request
        } else if (s.subject.rfind("metadata ", 0) == 0) {
            std::string kind = s.subject.substr(9);
            if (std::find(std::begin(kMetaKinds), std::end(kMetaKinds), kind) ==
                    std::end(kMetaKinds) ||
                s.after.get<std::vector<std::string>>() != wanted_meta(kind))
                throw InputError("plan file: " + s.subject + " is not what the profile sets");
        } else if (s.subject == "dnssec") {
            pdns_check_dnssec_step(s);
        } else if (s.subject.rfind("catalog ", 0) == 0) {
            check_catalog_step(profile_, s);
        } else if (s.subject != "records") {
            throw InputError("plan file: unknown step " + s.subject);
        }
    }

    void check_own_key(const Name& zone, const Name& key) const {
        if (profile_.control_panel && !tsig_name_belongs_to(key, zone))
            throw InputError("plan file: the TSIG key " + key.to_string() + " is not " +
                             zone.to_string() + " or a name below it");
    }

    // Our secondary transfers from the customer's primary, an address a customer named:
    // checked again, since a plan file is text anyone could edit.
    void check_masters(const json& after) const {
        CustomerNetworks networks(profile_);
        auto masters = json_strings(after, "masters");
        for (std::size_t i = 0; i < masters.size(); ++i) {
            auto e = parse_endpoint(masters[i]);
            std::string where = "plan file: masters[" + std::to_string(i) + "]";
            if (!e) throw InputError(where + ": not an address or ADDRESS:PORT");
            networks.check(e->address, e->port.value_or(53), where);
        }
    }

    void run_zone(const Name& zone, const PlanStep& s, const Plan& records) {
        if (s.after.is_null()) return client_->delete_zone(zone);
        bool shell = s.before.is_object() && s.before.value("empty_shell", false);
        bool create = s.before.is_null() || shell;
        if (shell) client_->delete_zone(zone);  // nothing in it to lose
        json f = zone_fields(s.after, create, zone);
        if (create && s.after["kind"] == "Master") {
            Zone z(zone);
            for (const auto& c : records.changes)
                if (c.after) z.set(c.owner, c.type, c.after->ttl, c.after->rdata);
            f["rrsets"] = pdns_rrsets(z);
        }
        if (create) {
            created_ = client_->create_zone(f);
            // Not an empty shell's re-creation: the consumers may have the member already.
            new_member_ = profile_.catalog && s.after["kind"] == "Master" && s.before.is_null();
            return;
        }
        if (s.after["kind"] == "Slave" || s.before.value("kind", "") != "Master")
            return client_->put_zone(zone, f);  // never a PATCH of a Slave zone
        json changed;
        if (s.before["account"] != s.after["account"]) changed["account"] = s.after["account"];
        if (s.before.value("catalog", "") != s.after.value("catalog", ""))
            changed["catalog"] = s.after.value("catalog", "");
        client_->put_zone(zone, changed);
    }

    void run_tsig(const Name&, const PlanStep& s) {
        TransferKey k = key_of(s);
        client_->set_tsig_key(k.name, k.algorithm, read_secret(k), !s.before.is_null());
    }

    const Secondary& secondary(const std::string& subject) const {
        for (const auto& sec : secondaries_)
            if ("secondary " + sec.ns->name.to_string() == subject) return sec;
        throw InputError("plan file: " + subject + " is not a secondary of ours with an API");
    }

    void run_secondary(const Name& zone, const PlanStep& s) {
        for (auto& sec : secondaries_) {
            if ("secondary " + sec.ns->name.to_string() != s.subject) continue;
            if (s.after.is_null()) return sec.client->delete_zone(zone);
            json f = zone_fields(s.after, s.before.is_null(), zone);
            f.erase("soa_edit_api");
            f.erase("slave_tsig_key_ids");
            if (s.before.is_null())
                sec.client->create_zone(f);
            else
                sec.client->put_zone(zone, f);
            sec.client->axfr_retrieve(zone);
            return;
        }
        throw InputError("plan file: " + s.subject + " is not a secondary of ours with an API");
    }

    static std::vector<RRsetWrite> writes_of(const Plan& plan) {
        std::vector<RRsetWrite> w;
        for (const auto& c : plan.changes) {
            if (c.action == Action::remove) {
                w.push_back({c.owner, c.type, 0, {}});
            } else if (c.type == rrtype::SOA && c.before) {
                // Keep the live serial: PowerDNS (soa_edit_api INCREASE) moves it forward
                // from there, so it never goes backwards.
                auto soa = parse_soa(c.after->rdata.front());
                auto old = parse_soa(c.before->rdata.front());
                if (soa && old) soa->serial = old->serial;
                w.push_back({c.owner,
                             c.type,
                             c.after->ttl,
                             {soa ? soa_wire(*soa) : c.after->rdata.front()}});
            } else {
                w.push_back({c.owner, c.type, c.after->ttl, c.after->rdata});
            }
        }
        return w;
    }

    // The serial the primary holds: its API's view (what it serves once its packet cache has
    // expired), else what it answers over DNS.
    std::optional<std::uint32_t> primary_serial(const Name& zone) const {
        // A signed zone serves its SOA-EDIT serial (edited_serial), which secondaries transfer.
        for (const char* f : {"edited_serial", "serial"})
            if (doc_ && doc_->contains(f) && (*doc_)[f].is_number() && (*doc_)[f] != 0)
                return (*doc_)[f].get<std::uint32_t>();
        const ProviderNs& p = profile_.primary();
        auto a = query_soa(p.first_address(), p.dns_port, zone, 1000);
        if (a.authoritative && a.serial) return a.serial;
        return std::nullopt;
    }

    // Pattern A: NOTIFY after a write or for a lagging secondary, then wait (bounded) until
    // each secondary serves the primary's serial; with no wait they are not asked.
    SettleReport settle_primary(const Name& zone, bool wrote) {
        SettleReport r;
        r.serial_after = primary_serial(zone);
        bool ask = opts_.wait_secondaries > 0;
        auto in_sync = [&](const SoaAnswer& a) {
            return a.authoritative && a.serial && r.serial_after && *a.serial == *r.serial_after;
        };
        bool lagging = false;
        std::vector<std::pair<const ProviderNs*, SoaAnswer>> secs;
        for (const auto& ns : profile_.nameservers) {
            if (ns.primary) continue;
            SoaAnswer a;
            if (ask) {
                a = query_soa(ns.first_address(), ns.dns_port, zone, 1000);
                lagging |= !in_sync(a);
            }
            secs.emplace_back(&ns, a);
        }
        // A zone just made a catalog member needs no NOTIFY: the consumers know it only once
        // they have the catalog, then transfer it whole (before, they refuse a NOTIFY of it).
        bool member = std::exchange(new_member_, false);
        if ((wrote && !member) || lagging) {
            client_->notify(zone);
            for (const auto& ns : profile_.nameservers)
                if (!ns.primary) r.notified.push_back(ns.name.to_string());
        }
        json list = json::array();
        for (auto& [ns, a] : secs) {
            if (!ask) {
                list.push_back(
                    {{"name", ns->name.to_string()}, {"serial", nullptr}, {"in_sync", nullptr}});
                continue;
            }
            if (!in_sync(a))
                a = wait_serving(ns->first_address(), ns->dns_port, zone, r.serial_after,
                                 opts_.wait_secondaries);
            list.push_back({{"name", ns->name.to_string()},
                            {"serial", a.serial ? json(*a.serial) : json(nullptr)},
                            {"in_sync", in_sync(a)}});
        }
        r.secondaries = list;
        return r;
    }

    // Pattern B: a retrieve after a write, or when --wait-transfer asks for the transfer
    // now; nothing changed and not asked: the secondary's own retries go on, nothing is
    // requested or waited for (a batch's re-run costs one GET per domain).
    SettleReport settle_secondary(const Name& zone, bool wrote,
                                  const std::vector<PlanStep>& steps) {
        SettleReport r;
        const ProviderNs& sec = profile_.pattern_b_secondary();
        auto before = query_soa(sec.first_address(), sec.dns_port, zone, 1000);
        bool serving = before.authoritative && before.serial;
        bool asked = opts_.wait_transfer >= 0;
        if (wrote || (asked && !serving)) client_->axfr_retrieve(zone);
        int wait = asked ? opts_.wait_transfer : wrote ? opts_.brief_transfer_wait_s : 0;
        auto a = serving && !wrote
                     ? before
                     : wait_serving(sec.first_address(), sec.dns_port, zone, std::nullopt, wait);
        bool ok = a.authoritative && a.serial;
        r.transfer = ok ? "ok" : "pending";
        r.serial_after = a.serial;
        json masters = json::array();
        for (const auto& s : steps)
            if (s.subject == "zone" && s.after.is_object()) masters = s.after["masters"];
        if (masters.empty() && doc_) masters = json_strings(*doc_, "masters");
        if (!masters.empty()) primary_report(zone, masters.front().get<std::string>(), r);
        if (!ok && asked) transfer_failed(zone, sec, steps);
        if (ok) {
            if (wrote || !doc_ || doc_->value("serial", std::uint64_t{0}) == 0)
                doc_ = client_->get_zone(zone);
            if (doc_) r.arrived = zone_from_pdns(zone, *doc_, nullptr);
        }
        return r;
    }

    void primary_report(const Name& zone, const std::string& master, SettleReport& r) const {
        auto e = parse_endpoint(master);
        if (!e) return;
        auto pa = query_soa(e->address, e->port.value_or(53), zone, 1000);
        r.primary = json{{"address", master},
                         {"answered", pa.answered},
                         {"serial", pa.serial ? json(*pa.serial) : json(nullptr)}};
    }

    [[noreturn]] void transfer_failed(const Name& zone, const ProviderNs& sec,
                                      const std::vector<PlanStep>& steps) const {
        std::string allow, key;
        for (const auto& x : sec.ipv4) allow += (allow.empty() ? "" : ", ") + x;
        for (const auto& x : sec.ipv6) allow += (allow.empty() ? "" : ", ") + x;
        auto keys = doc_ ? key_names(zone_slave_tsig_keys(*doc_)) : std::vector<std::string>{};
        for (const auto& s : steps)
            if (s.subject == "zone" && s.after.is_object())
                keys = json_strings(s.after, "transfer_keys");
        if (!keys.empty()) key = " with the TSIG key " + keys.front();
        throw BackendError("our secondary " + sec.name.to_string() + " has not transferred " +
                           zone.to_string() + " within " + std::to_string(opts_.wait_transfer) +
                           " s: the customer's primary must allow AXFR (and send NOTIFY) to " +
                           allow + key + ", and be reachable on the address in customer_primary");
    }

    const Profile& profile_;
    ProvisionOptions opts_;
    std::string url_, sid_;
    std::unique_ptr<PdnsClient> client_;
    std::optional<json> doc_;
    std::optional<json> created_;  // the zone as PowerDNS answered its creation, while current
    bool new_member_ = false;      // this apply made the zone, a member of the catalog
    Meta meta_;
    std::vector<PdnsClient::CryptoKey> keys_;  // active or not: what load_keys read
    json catalog_;                             // the catalog zone as catalog_state read it
    std::vector<Secondary> secondaries_;
};

}  // namespace

std::unique_ptr<Target> make_pdns_target(Pattern pattern, const Profile& profile,
                                         const ProvisionOptions& opts) {
    return std::make_unique<PdnsTarget>(pattern, profile, opts);
}

}  // namespace zonegen
