#include "zonegen/provision.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>
#include <tuple>

#include "backends/dnsquery.hpp"
#include "backends/pdns.hpp"
#include "backends/source.hpp"
#include "backends/zonefile.hpp"
#include "validators/checks.hpp"
#include "zonegen/atomic_file.hpp"
#include "zonegen/customer_networks.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/render.hpp"
#include "zonegen/spec_paths.hpp"
#include "zonegen/spf.hpp"
#include "zonegen/tenancy.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;

const char* kind_for(Pattern p) {
    return p == Pattern::A ? "Master" : p == Pattern::B ? "Slave" : "";
}

bool is_file_target(const std::string& t) {
    return t.rfind("pdns:", 0) != 0;
}

void trace(const ProvisionOptions& o, const std::string& m) {
    if (o.trace) o.trace(m);
}

// Every (owner, type) zonegen may produce for this spec with any services and address
// families: those it deletes when they are no longer wanted. Everything else is the
// customer's and kept (unless --full).
std::set<RRKey> managed_keys(const Spec& spec, const Profile& profile) {
    Spec all = spec;
    all.web = all.mail = true;
    if (all.server.ipv4.empty()) all.server.ipv4 = {"192.0.2.1"};
    if (all.server.ipv6.empty()) all.server.ipv6 = {"2001:db8::1"};
    all.pattern = Pattern::A;
    GenerateOptions go;
    go.serial = 1;
    std::set<RRKey> keys;
    Desired d = build_desired(all, profile, go);
    for (const RRset& s : d.zone.rrsets()) keys.insert(RRKey{s.owner, s.type});
    for (const auto& r : spec.records) keys.insert(RRKey{r.owner, r.type});
    return keys;
}

// The desired zone with what zonegen does not manage kept from the live one; TXT values
// other than SPF at a managed name are kept too (verification tokens are the customer's).
Zone effective_desired(const Zone& desired, const Zone& live, const std::set<RRKey>& managed,
                       bool full) {
    Zone eff = desired;
    if (full) return eff;
    for (const RRset& s : live.rrsets()) {
        const RRKey k{s.owner, s.type};
        const RRset* want = desired.find(k.owner, k.type);
        if (!managed.count(k) && !want) {
            eff.set(k.owner, k.type, s.ttl(), s.rdata());
        } else if (k.type == rrtype::TXT && want) {
            auto rd = want->rdata();
            bool added = false;
            for (const auto& r : s.rdata())
                if (!is_spf(r) && std::find(rd.begin(), rd.end(), r) == rd.end()) {
                    rd.push_back(r);
                    added = true;
                }
            if (added) eff.set(k.owner, k.type, want->ttl(), rd);
        }
    }
    return eff;
}

std::optional<std::string> safety(const ProvisionPlan& p, const Profile& profile) {
    if (p.delete_zone) return "the plan deletes the zone " + p.zone.to_string();
    if (p.exists && !p.kind_before.empty() && p.kind_before != p.kind_after &&
        !p.kind_after.empty())
        return "the plan changes the zone's kind from " + p.kind_before + " to " + p.kind_after;
    if (!p.exists) return std::nullopt;
    for (const auto& c : p.plan.changes)
        if (c.owner == p.zone && c.type == rrtype::NS && c.action != Action::create)
            return "the plan changes the apex NS set (the delegation)";
    std::size_t touched = p.plan.count(Action::update) + p.plan.count(Action::remove);
    if (p.existing_rrsets >= profile.safety_min_rrsets &&
        static_cast<double>(touched) >
            profile.max_change_fraction * static_cast<double>(p.existing_rrsets))
        return "the plan updates or deletes " + std::to_string(touched) + " of " +
               std::to_string(p.existing_rrsets) + " rrsets (more than " +
               std::to_string(static_cast<int>(profile.max_change_fraction * 100)) + " %)";
    return std::nullopt;
}

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

// The server that holds the zone for a pattern: A our primary; B our pattern-B secondary's
// API (or the primary's when it has none).
std::pair<std::string, std::string> server_for(Pattern p, const Profile& profile,
                                               const ProvisionOptions& o) {
    std::string url = o.pdns_url.empty() ? profile.pdns_url : o.pdns_url;
    if (p == Pattern::B) {
        const auto& sec = profile.pattern_b_secondary();
        if (!sec.api_url.empty()) return {sec.api_url, sec.server_id};
    }
    return {url, profile.pdns_server_id};
}

// Two spellings of one API URL: a trailing slash is not a difference.
bool same_url(std::string a, std::string b) {
    while (!a.empty() && a.back() == '/') a.pop_back();
    while (!b.empty() && b.back() == '/') b.pop_back();
    return a == b;
}

std::vector<std::string> json_strings(const json& j, const char* key) {
    std::vector<std::string> out;
    if (j.contains(key) && j[key].is_array())
        for (const auto& v : j[key])
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

std::optional<std::uint32_t> zone_serial(const Zone& z) {
    if (const RRset* s = z.find(z.origin(), rrtype::SOA))
        if (auto soa = parse_soa(s->rrs.front().rdata)) return soa->serial;
    return std::nullopt;
}

Zone read_target_file(const std::string& path, const Name& zone, bool* exists) {
    struct stat st {};
    *exists = ::stat(path.c_str(), &st) == 0;
    if (!*exists) return Zone(zone);
    // A file of another zone (its leading $ORIGIN or its SOA) is never rewritten under this
    // one's origin: refused, exit 2, as every command refuses it.
    ReadOptions ro;
    ro.origin = zone;
    ro.refuse_other_origin = true;
    ReadResult r = read_zone_file(path, ro);
    if (count_errors(r.findings)) {
        for (auto& f : r.findings)
            if (f.file.empty()) f.file = path;
        throw InvalidZoneError(path + " does not parse; fix it or move it away before applying",
                               r.findings);
    }
    return std::move(r.zone);
}

// Findings of `after` (what the target will hold) as generate checks them; errors that
// `live` does not already have refuse the change (exit 1, nothing written), errors already
// live are reported and do not block a change that does not add to them.
std::vector<Finding> check_after(const Zone& after, const Zone* live, const ValidateOptions& vo,
                                 const Name& zone) {
    auto found = validate_zone(after, vo);
    if (!count_errors(found)) return found;
    using Key = std::tuple<std::string, std::string, int>;
    auto key = [](const Finding& f) { return Key{f.check, f.owner, f.type ? *f.type : -1}; };
    std::set<Key> old;
    if (live)
        for (const auto& f : validate_zone(*live, vo))
            if (f.severity == Severity::error) old.insert(key(f));
    for (const auto& f : found)
        if (f.severity == Severity::error && !old.count(key(f)))
            throw InvalidZoneError("the zone " + zone.to_string() +
                                       " would be invalid after this change: nothing was written",
                                   found);
    return found;
}

// The zone a plan's changes make of `live`.
Zone with_changes(const Zone& live, const Plan& plan) {
    Zone next = live;
    for (const auto& c : plan.changes) {
        if (c.action == Action::remove)
            next.erase(c.owner, c.type);
        else if (c.after)
            next.set(c.owner, c.type, c.after->ttl, c.after->rdata);
    }
    return next;
}

// The zone import_from names: a file only under the profile's import_dirs (read once,
// beneath the directory, checked on its descriptor), pdns: and axfr:// as any source.
LoadedZone import_zone(const Spec& spec, const Profile& profile, const SourceOptions& so) {
    if (!is_file_location(spec.import_from)) return load_zone_source(spec.import_from, so);
    if (so.trace) so.trace("reading " + spec.import_from);
    ReadOptions ro;
    ro.origin = so.origin;
    ro.refuse_other_origin = true;
    ReadResult r = read_zone_text(read_import_file(spec, profile), spec.import_from, ro);
    return {std::move(r.zone), std::move(r.findings)};
}

// The API key is never a TSIG secret: a secret_file that holds it (a copy, a hard link)
// would hand it to our secondary and to whoever the TSIG key is shared with.
void refuse_api_key_as_tsig(const SecretString& secret, const ProvisionOptions& o) {
    SecretString key;
    try {
        key = read_api_key(o.api_key_file);
    } catch (const InputError&) {
        return;  // no key: the request that needs one says so
    }
    if (secret == key)
        throw InputError(
            "tsig.secret_file: refused: the file holds the PowerDNS API key, which is never "
            "used as a TSIG secret");
}

// The TSIG secret a spec names, where it must be; read before any request, so a refusal
// is exit 2 with nothing sent.
struct TsigSecret {
    ConfinedPath at;
    SecretString secret;
};
std::optional<TsigSecret> spec_tsig_secret(const Spec& spec, const Profile& profile,
                                           const ProvisionOptions& o) {
    if (spec.pattern != Pattern::B || !spec.tsig) return std::nullopt;
    auto at = locate_spec_secret(spec, profile, "tsig.secret_file", spec.tsig->secret_file);
    SecretString secret = read_tsig_secret(at, "tsig.secret_file");
    refuse_api_key_as_tsig(secret, o);
    return TsigSecret{std::move(at), std::move(secret)};
}

// The TSIG secret of a plan (apply): where the plan says, under the profile's secrets_dir
// (or the spec's directory the plan recorded), read before any request.
std::optional<SecretString> planned_tsig_secret(const ProvisionPlan& p, const Profile& profile,
                                                const ProvisionOptions& o) {
    if (!p.tsig_key) return std::nullopt;
    auto at = locate_planned_secret(p.tsig_key->secrets_dir, profile, "tsig.secret_file",
                                    p.tsig_key->secret_file);
    SecretString secret = read_tsig_secret(at, "tsig.secret_file");
    refuse_api_key_as_tsig(secret, o);
    return secret;
}

Desired desired_unchecked(const Spec& spec, const Profile& profile, const GenerateOptions& go,
                          const ProvisionOptions& opts, Migration* migration) {
    if (spec.import_from.empty()) return build_desired(spec, profile, go);
    SourceOptions so;
    so.max_records = profile.max_transfer_records;
    so.max_bytes = profile.max_transfer_bytes;
    so.timeout_s = profile.max_transfer_seconds;
    so.customer_networks.emplace(profile);
    so.customer_key = printable(spec.source) + ": 'import_from'";
    so.origin = spec.domain;
    so.pdns_url = opts.pdns_url.empty() ? profile.pdns_url : opts.pdns_url;
    so.pdns_server_id = profile.pdns_server_id;
    so.api_key_file = opts.api_key_file;
    so.trace = opts.trace;
    so.account = spec.account;
    so.control_panel = profile.control_panel;
    LoadedZone old = import_zone(spec, profile, so);
    if (count_errors(old.findings)) {
        for (auto& f : old.findings)
            if (f.file.empty()) f.file = spec.import_from;
        throw InvalidZoneError("import_from " + spec.import_from + " does not parse", old.findings);
    }
    if (old.zone.origin() != spec.domain)
        throw InputError("import_from " + spec.import_from + " holds " +
                         old.zone.origin().to_string() + ", not " + spec.domain.to_string());
    if (spec.pattern == Pattern::A) return build_migrated(spec, profile, old.zone, go, migration);
    CustomerZone cz = build_customer_zone(spec, profile, old.zone, go);
    if (migration) {
        migration->customer_zone = true;
        migration->customer_changes = cz.changes;
        migration->serial_before = cz.serial_before;
        migration->serial_after = cz.serial_after;
    }
    return Desired{std::move(cz.zone), false, cz.serial_after, false, std::move(cz.findings)};
}

std::vector<std::string> key_names(const std::vector<Name>& keys) {
    std::vector<std::string> out;
    for (const auto& k : keys) out.push_back(k.to_string());
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

// What apply does to pattern B's TSIG key. PowerDNS's keys are server-wide: an existing key
// with another secret or algorithm is replaced only when it is this zone's own (named below
// the zone, and the zone already transfers with it); any other is refused, exit 4, never
// overwritten. The secrets are compared in memory; only the verdict is kept.
ProvisionPlan::TsigKeyStep plan_tsig_key(PdnsClient& client, const TsigRef& t,
                                         const SecretString& secret, const Name& zone,
                                         const std::vector<std::string>& zone_keys) {
    ProvisionPlan::TsigKeyStep step;
    step.name = t.name;
    step.algorithm = t.algorithm;
    auto live = client.get_tsig_key(t.name, secret);
    if (!live) {
        step.action = "create";
        return step;
    }
    step.algorithm_before = live->algorithm;
    step.secret_changed = !live->same_secret;
    if (live->algorithm == t.algorithm && live->same_secret) {
        step.action = "none";
        return step;
    }
    bool own = tsig_name_belongs_to(t.name, zone) && contains(zone_keys, t.name.to_string());
    if (!own)
        throw UnsafeError(
            "PowerDNS already has a TSIG key " + t.name.to_string() + " with another " +
            (live->same_secret ? "algorithm" : "secret") + ", and it is not the zone " +
            zone.to_string() + "'s own (" +
            (tsig_name_belongs_to(t.name, zone) ? "the zone does not transfer with it"
                                                : "its name is not below the zone") +
            "): it may be another zone's key, and zonegen never replaces one; nothing was "
            "changed. Name the zone's own key (" +
            default_tsig_name(zone).to_string() +
            "), or remove a stale key by hand (pdnsutil delete-tsig-key)");
    step.action = "update";
    return step;
}
// The zone on every other PowerDNS of ours with an API (the secondaries apply gives a Slave
// zone, the pattern-B secondary): another account's zone there is refused as on the server
// the plan is made against (exit 4), so no spec reaches another customer's zone through a
// secondary.
void check_account_on_secondaries(const Spec& spec, const Profile& profile,
                                  const ProvisionOptions& opts, const std::string& checked) {
    for (const auto& ns : profile.nameservers) {
        if (ns.api_url.empty() || same_url(ns.api_url, checked)) continue;
        PdnsClient other(pdns_config(ns.api_url, ns.server_id, opts));
        if (auto z = other.get_zone(spec.domain))
            check_account(spec.domain, zone_account(*z), spec.account, profile.control_panel);
    }
}

}  // namespace

Desired desired_for(const Spec& spec, const Profile& profile, const GenerateOptions& go,
                    const ProvisionOptions& opts, Migration* migration) {
    check_customer_addresses(spec, profile);  // before anything is sent anywhere
    Desired d = desired_unchecked(spec, profile, go, opts, migration);
    // After any account check of a pdns: source: another account's zone is exit 4 in any
    // spelling; only then is a spelling the control panel's mode does not take exit 2.
    check_panel_spec(spec, profile);
    return d;
}

bool ProvisionPlan::account_changes() const {
    return exists && !delete_zone && account_after != account_before;
}

bool ProvisionPlan::has_changes() const {
    return !plan.empty() || delete_zone || (!exists && !kind_after.empty()) ||
           (exists && kind_before != kind_after) || masters_before != masters_after ||
           account_changes() || (tsig_key && tsig_key->action != "none") ||
           (exists && zone_keys_before != zone_keys_after);
}

ProvisionPlan make_plan(const Spec& spec, const Profile& profile, const ProvisionOptions& opts) {
    ProvisionPlan p;
    p.target = opts.target;
    p.zone = spec.domain;
    p.pattern = spec.pattern;
    if (!is_file_target(opts.target)) {
        std::string z = opts.target.substr(5);
        if (!z.empty()) {
            Name tz = Name::parse(z.back() == '.' ? z : z + ".");
            if (tz != spec.domain)
                throw UsageError("--target " + opts.target +
                                 " names another zone than the spec's " + spec.domain.to_string());
        }
    }
    // Before any request (exit 2, nothing sent): the addresses a customer names, and the
    // spec's TSIG secret, read and checked.
    check_customer_addresses(spec, profile);
    auto tsig_secret = spec_tsig_secret(spec, profile, opts);
    // Tenancy first, before anything else is read: a zone of another account is refused
    // (exit 4) whatever the spelling of the spec's domain (tenancy.hpp).
    std::unique_ptr<PdnsClient> client;
    if (!is_file_target(opts.target)) {
        require_account(spec.account, profile, spec.source);
        auto [url, sid] = server_for(spec.pattern, profile, opts);
        p.server = url;
        client = std::make_unique<PdnsClient>(pdns_config(url, sid, opts));
        if (auto got = client->get_zone(spec.domain))
            p.live_doc = std::make_shared<const json>(std::move(*got));
        if (p.live_doc) {
            p.account_before = zone_account(*p.live_doc);
            check_account(spec.domain, p.account_before, spec.account, profile.control_panel);
        }
        p.account_after = spec.account ? *spec.account : p.account_before;
        check_account_on_secondaries(spec, profile, opts, url);
    }
    GenerateOptions go;
    go.serial = opts.serial;
    go.now = generation_time();
    Migration migration;
    Desired d = desired_for(spec, profile, go, opts, &migration);
    if (!spec.import_from.empty()) p.migration = migration;
    if (count_errors(d.findings))
        throw InvalidZoneError("the zone for " + spec.domain.to_string() + " is invalid",
                               d.findings);
    auto managed = managed_keys(spec, profile);
    ValidateOptions vo;
    vo.fragment = d.fragment;
    vo.spec = &spec;
    vo.profile = &profile;
    // B and C: what generate prints for the customer's zone, checked as generate checks it.
    if (spec.pattern != Pattern::A) p.findings = check_after(d.zone, nullptr, vo, spec.domain);

    if (is_file_target(opts.target)) {
        if (spec.pattern != Pattern::A)
            throw UsageError(
                "a zone-file target holds a whole zone: only pattern A has one (B and C: zonegen "
                "generate)");
        p.file_target = true;
        p.server = opts.target;
        Zone live = read_target_file(opts.target, spec.domain, &p.exists);
        p.existing_rrsets = live.rrsets().size();
        Zone eff = effective_desired(d.zone, live, managed, opts.full);
        p.findings = check_after(eff, &live, vo, spec.domain);
        p.plan = diff_zones(live, eff);
        p.plan.exists = p.exists;
    } else {
        const json* live_doc = p.live_doc.get();
        p.exists = live_doc != nullptr;
        Zone live(spec.domain);
        if (live_doc) {
            p.kind_before = live_doc->value("kind", "");
            p.masters_before = json_strings(*live_doc, "masters");
            live = zone_from_pdns(spec.domain, *live_doc, nullptr);
            p.existing_rrsets = live.rrsets().size();
        }
        p.kind_after = kind_for(spec.pattern);
        // Only a Master zone of ours: an empty Slave zone is a transfer still pending.
        p.empty_shell =
            spec.pattern == Pattern::A && live_doc && live.empty() && p.kind_before == "Master";
        if (spec.pattern == Pattern::A) {
            Zone eff = effective_desired(d.zone, live, managed, opts.full);
            if (p.exists && p.kind_before == "Slave") {
                // From B to A: the transferred records are the primary's, not ours to diff.
                live = Zone(spec.domain);
            }
            p.findings = check_after(eff, &live, vo, spec.domain);
            p.plan = diff_zones(live, eff);
            if (!p.exists || p.empty_shell) {
                p.create_body = pdns_create_body(spec, d);
                p.create_body["rrsets"] = pdns_rrsets(eff);
            }
        } else if (spec.pattern == Pattern::B) {
            for (const auto& e : spec.customer_primary) p.masters_after.push_back(e.to_string());
            if (!p.exists) p.create_body = pdns_create_body(spec, d);
            if (p.exists && p.kind_before == "Slave")
                p.masters_before = json_strings(*live_doc, "masters");
            if (live_doc) p.zone_keys_before = key_names(zone_slave_tsig_keys(*live_doc));
            if (spec.tsig) {
                p.zone_keys_after = {spec.tsig->name.to_string()};
                p.tsig_key = plan_tsig_key(*client, *spec.tsig, tsig_secret->secret, spec.domain,
                                           p.zone_keys_before);
                // Beneath the profile's secrets_dir (apply reads it there), else the spec's
                // directory, recorded in the plan.
                p.tsig_key->secret_file = tsig_secret->at.rel;
                if (!tsig_secret->at.from_profile) p.tsig_key->secrets_dir = tsig_secret->at.dir;
            }
        } else {
            p.delete_zone = p.exists;  // C: nothing of the zone on our servers
        }
        p.plan.zone = spec.domain;
        p.plan.exists = p.exists;
        if (spec.pattern != Pattern::B && spec.pattern != Pattern::A) p.masters_before.clear();
    }
    // The spec's own warnings first, as generate prints them.
    p.findings.insert(p.findings.begin(), d.findings.begin(), d.findings.end());
    p.unsafe = safety(p, profile);
    return p;
}

json plan_document(const ProvisionPlan& p) {
    json j = plan_json(p.plan);
    j["exists"] = p.exists;
    j["target"] = p.target;
    j["server"] = p.server;
    j["dns_pattern"] = to_string(p.pattern);
    j["kind"] = {{"before", p.kind_before.empty() ? json(nullptr) : json(p.kind_before)},
                 {"after", p.kind_after.empty() ? json(nullptr) : json(p.kind_after)}};
    j["masters"] = {{"before", p.masters_before}, {"after", p.masters_after}};
    j["delete_zone"] = p.delete_zone;
    j["empty_shell"] = p.empty_shell;
    j["existing_rrsets"] = p.existing_rrsets;
    j["has_changes"] = p.has_changes();
    j["unsafe"] = p.unsafe ? json(*p.unsafe) : json(nullptr);
    if (!p.create_body.is_null()) j["create"] = p.create_body;
    if (p.migration) j["migration"] = migration_json(*p.migration);
    j["findings"] = findings_json(p.findings);
    j["plan_version"] = 1;
    // Tenancy (tenancy.hpp): the account, pattern B's TSIG key (never its secret) and the
    // keys the Slave zone transfers with.
    auto or_null = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
    if (!p.file_target)
        j["account"] = {{"before", or_null(p.account_before)}, {"after", or_null(p.account_after)}};
    j["tsig_key"] = nullptr;
    if (const auto& t = p.tsig_key)
        j["tsig_key"] = {{"name", t->name.to_string()},
                         {"algorithm", t->algorithm},
                         {"algorithm_before", or_null(t->algorithm_before)},
                         {"action", t->action},
                         {"secret", t->action == "create" ? "new"
                                    : t->secret_changed   ? "changed"
                                                          : "unchanged"},
                         {"secret_file", t->secret_file}};
    if (p.tsig_key && !p.tsig_key->secrets_dir.empty())
        j["tsig_key"]["secrets_dir"] = p.tsig_key->secrets_dir;
    if (p.pattern == Pattern::B)
        j["transfer_keys"] = {{"before", p.zone_keys_before}, {"after", p.zone_keys_after}};
    return j;
}

namespace {

// An edited plan file must not write outside its zone: every change, and the zone a
// creation makes, belongs to the plan's "zone".
void refuse_out_of_zone(const ProvisionPlan& p) {
    auto refuse = [&](const std::string& owner) {
        throw InputError("plan file: " + owner + " is not in the plan's zone " +
                         p.zone.to_string() + ": nothing was applied");
    };
    for (const auto& c : p.plan.changes)
        if (!c.owner.is_subdomain_of(p.zone)) refuse(c.owner.to_string() + " " + type_name(c.type));
    if (!p.create_body.is_object()) return;
    if (Name::parse(p.create_body.at("name").get<std::string>()) != p.zone)
        refuse("the created zone " + p.create_body["name"].get<std::string>());
    if (p.create_body.contains("rrsets"))
        for (const auto& r : p.create_body["rrsets"]) {
            std::string n = r.at("name").get<std::string>();
            if (!Name::parse(n).is_subdomain_of(p.zone)) refuse(n);
        }
}

// The plan's account, TSIG key step and transfer keys. The zone a creation makes carries the
// plan's account, whatever an edited "create" body says.
void read_tenancy(const json& j, ProvisionPlan& p) {
    if (p.create_body.is_object() && p.create_body.contains("zonegen_tsig"))
        throw InputError("plan file: made by an older zonegen (zonegen_tsig): make a new plan");
    auto str = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
    if (j.contains("account")) {
        p.account_before = str(j["account"].at("before"));
        p.account_after = str(j["account"].at("after"));
        for (const auto* a : {&p.account_before, &p.account_after})
            if (!a->empty())
                if (auto why = account_syntax_error(*a))
                    throw InputError("plan file: account '" + a->substr(0, 60) + "': " + *why);
    }
    if (j.contains("tsig_key") && j["tsig_key"].is_object()) {
        const json& t = j["tsig_key"];
        ProvisionPlan::TsigKeyStep step;
        step.name = Name::parse(t.at("name").get<std::string>());
        step.algorithm = t.at("algorithm").get<std::string>();
        step.algorithm_before = str(t.at("algorithm_before"));
        step.action = t.at("action").get<std::string>();
        if (step.action != "create" && step.action != "update" && step.action != "none")
            throw InputError("plan file: tsig_key.action " + t["action"].dump());
        step.secret_changed = t.at("secret").get<std::string>() == "changed";
        step.secret_file = t.at("secret_file").get<std::string>();
        if (t.contains("secrets_dir")) step.secrets_dir = t["secrets_dir"].get<std::string>();
        p.tsig_key = step;
    }
    if (j.contains("transfer_keys")) {
        p.zone_keys_before = j["transfer_keys"].at("before").get<std::vector<std::string>>();
        p.zone_keys_after = j["transfer_keys"].at("after").get<std::vector<std::string>>();
        for (auto& k : p.zone_keys_after) k = Name::parse(k).to_string();
    }
}

// The zone a plan file creates carries the plan's account and, for pattern B, exactly the
// masters and transfer keys the plan shows (and apply checks), whatever an edited "create"
// body says.
void rebuild_create_body(ProvisionPlan& p) {
    if (!p.create_body.is_object()) return;
    p.create_body.erase("account");
    if (!p.account_after.empty()) p.create_body["account"] = p.account_after;
    if (p.pattern != Pattern::B) return;
    p.create_body["name"] = p.zone.to_string();
    p.create_body["kind"] = "Slave";
    p.create_body["masters"] = p.masters_after;
    p.create_body.erase("slave_tsig_key_ids");
    if (!p.zone_keys_after.empty()) p.create_body["slave_tsig_key_ids"] = p.zone_keys_after;
}

}  // namespace

ProvisionPlan plan_from_document(const json& j) {
    try {
        if (j.value("plan_version", 0) != 1)
            throw InputError("not a zonegen plan file (plan_version 1)");
        ProvisionPlan p;
        p.target = j.at("target").get<std::string>();
        p.server = j.at("server").get<std::string>();
        p.file_target = is_file_target(p.target);
        p.zone = Name::parse(j.at("zone").get<std::string>());
        std::string pat = j.at("dns_pattern").get<std::string>();
        p.pattern = pat == "A" ? Pattern::A : pat == "B" ? Pattern::B : Pattern::C;
        p.exists = j.at("exists").get<bool>();
        if (j.at("kind").at("before").is_string())
            p.kind_before = j["kind"]["before"].get<std::string>();
        if (j.at("kind").at("after").is_string())
            p.kind_after = j["kind"]["after"].get<std::string>();
        p.masters_before = j.at("masters").at("before").get<std::vector<std::string>>();
        p.masters_after = j.at("masters").at("after").get<std::vector<std::string>>();
        p.delete_zone = j.at("delete_zone").get<bool>();
        p.empty_shell = j.value("empty_shell", false);
        p.existing_rrsets = j.at("existing_rrsets").get<std::size_t>();
        if (j.contains("create")) p.create_body = j["create"];
        if (j.at("unsafe").is_string()) p.unsafe = j["unsafe"].get<std::string>();
        p.plan.zone = p.zone;
        p.plan.exists = p.exists;
        for (const auto& c : j.at("changes")) {
            Change ch;
            std::string a = c.at("action").get<std::string>();
            ch.action = a == "create"   ? Action::create
                        : a == "update" ? Action::update
                                        : Action::remove;
            ch.owner = Name::parse(c.at("name").get<std::string>());
            auto t = type_from_name(c.at("type").get<std::string>());
            if (!t) throw InputError("plan file: unknown type " + c["type"].dump());
            ch.type = *t;
            auto state = [&](const json& s) -> std::optional<RRsetState> {
                if (s.is_null()) return std::nullopt;
                RRsetState st{s.at("ttl").get<std::uint32_t>(), {}};
                for (const auto& r : s.at("rdata"))
                    st.rdata.push_back(parse_rdata(ch.type, r.get<std::string>(), Name()));
                std::sort(st.rdata.begin(), st.rdata.end());
                return st;
            };
            ch.before = state(c.at("before"));
            ch.after = state(c.at("after"));
            p.plan.changes.push_back(std::move(ch));
        }
        read_tenancy(j, p);
        refuse_out_of_zone(p);
        rebuild_create_body(p);
        return p;
    } catch (const json::exception& e) {
        throw InputError(std::string("plan file: ") + e.what());
    } catch (const std::invalid_argument& e) {
        throw InputError(std::string("plan file: ") + e.what());
    }
}

namespace {

// The plan's tenancy steps: the account adopted, the TSIG key created or changed (never its
// secret: only whether it changes), the keys the Slave zone transfers with.
std::string tenancy_text(const ProvisionPlan& p) {
    std::string out;
    auto shown = [](const std::string& v) { return v.empty() ? std::string("(none)") : v; };
    if (p.account_changes())
        out += "~ account " + shown(p.account_before) + " -> " + shown(p.account_after) + "\n";
    if (const auto& t = p.tsig_key) {
        std::string key = "TSIG key " + t->name.to_string();
        if (t->action == "create")
            out += "+ " + key + " (" + t->algorithm + "), the secret from " + t->secret_file + "\n";
        else if (t->action == "update")
            out += "~ " + key +
                   (t->algorithm_before != t->algorithm
                        ? " algorithm " + t->algorithm_before + " -> " + t->algorithm
                        : " (" + t->algorithm + ")") +
                   ", secret " + (t->secret_changed ? "changed" : "unchanged") + " (from " +
                   t->secret_file + ")\n";
    }
    if (p.exists && p.zone_keys_before != p.zone_keys_after) {
        auto join = [&](const std::vector<std::string>& v) {
            std::string s;
            for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
            return shown(s);
        };
        out +=
            "~ transfer keys " + join(p.zone_keys_before) + " -> " + join(p.zone_keys_after) + "\n";
    }
    return out;
}

}  // namespace

std::string plan_text_full(const ProvisionPlan& p, bool forced) {
    std::string out = "target: " + (p.file_target ? p.server : "PowerDNS " + p.server) + "\n";
    if (p.migration)
        out += "migration from the imported zone:\n" + migration_text(*p.migration) + "changes:\n";
    if (p.delete_zone)
        out += "- zone " + p.zone.to_string() + " (" + p.kind_before + ")\n";
    else if (!p.exists && !p.kind_after.empty())
        out += "+ zone " + p.zone.to_string() + " (" + p.kind_after + ")" +
               (p.account_after.empty() ? "" : ", account " + p.account_after) + "\n";
    else if (p.empty_shell)
        out += "~ zone " + p.zone.to_string() +
               " exists without records (a creation that did "
               "not finish): deleted and created whole (" +
               p.kind_after + ")\n";
    else if (!p.exists && p.file_target)
        out += "+ file " + p.server + "\n";
    else if (p.exists && p.kind_before != p.kind_after && !p.file_target)
        out += "~ zone " + p.zone.to_string() + " kind " + p.kind_before + " -> " + p.kind_after +
               "\n";
    if (p.masters_before != p.masters_after) {
        auto join = [](const std::vector<std::string>& v) {
            std::string s;
            for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
            return s.empty() ? "(none)" : s;
        };
        out += "~ masters " + join(p.masters_before) + " -> " + join(p.masters_after) + "\n";
    }
    out += tenancy_text(p);
    if (p.pattern == Pattern::C && !p.delete_zone)
        out += "pattern C: nothing of " + p.zone.to_string() + " lives on our servers\n";
    out += plan_text(p.plan);
    for (const auto& f : p.findings) out += finding_text(f) + "\n";
    if (p.unsafe)
        out += "unsafe: " + *p.unsafe +
               (forced ? " (overridden by --force)\n" : " (--force to apply anyway)\n");
    return out;
}

namespace {

std::vector<RRsetWrite> writes_of(const Plan& plan, bool keep_soa) {
    std::vector<RRsetWrite> w;
    for (const auto& c : plan.changes) {
        if (c.type == rrtype::SOA && !keep_soa) continue;
        if (c.action == Action::remove) {
            w.push_back({c.owner, c.type, 0, {}});
        } else if (c.type == rrtype::SOA && c.before) {
            // Keep the live serial: PowerDNS (soa_edit_api INCREASE) moves it forward from
            // there, so it never goes backwards.
            auto soa = parse_soa(c.after->rdata.front());
            auto old = parse_soa(c.before->rdata.front());
            if (soa && old) soa->serial = old->serial;
            w.push_back(
                {c.owner, c.type, c.after->ttl, {soa ? soa_wire(*soa) : c.after->rdata.front()}});
        } else {
            w.push_back({c.owner, c.type, c.after->ttl, c.after->rdata});
        }
    }
    return w;
}

// The live state must still be the plan's "before" (apply --plan).
void check_unchanged(const ProvisionPlan& p, const Zone& live, bool exists,
                     const std::string& kind) {
    auto refuse = [&](const std::string& why) {
        throw UnsafeError("the live zone changed since the plan was made (" + why +
                          "): nothing was applied; make a new plan and review it");
    };
    if (exists != p.exists) refuse(exists ? "the zone now exists" : "the zone is gone");
    if (!p.file_target && exists && kind != p.kind_before) refuse("its kind is now " + kind);
    for (const auto& c : p.plan.changes) {
        const RRset* s = live.find(c.owner, c.type);
        std::optional<RRsetState> now;
        if (s) now = RRsetState{s->ttl(), s->rdata()};
        auto norm = [&](std::optional<RRsetState> st) {
            if (st && c.type == rrtype::SOA)
                for (auto& r : st->rdata)
                    if (auto soa = parse_soa(r)) {
                        soa->serial = 0;
                        r = soa_wire(*soa);
                    }
            return st;
        };
        if (norm(now) != norm(c.before))
            refuse(c.owner.to_string() + " " + type_name(c.type) + " differs");
    }
}

// Waits (bounded) until `addr:port` serves the zone, optionally at `serial`.
SoaAnswer wait_serving(const std::string& addr, std::uint16_t port, const Name& zone,
                       std::optional<std::uint32_t> serial, int seconds) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    SoaAnswer a;
    for (;;) {
        a = query_soa(addr, port, zone, 1000);
        if (a.authoritative && a.serial && (!serial || *a.serial == *serial)) return a;
        if (std::chrono::steady_clock::now() >= until) return a;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

std::string first_address(const ProviderNs& ns) {
    return ns.ipv4.empty() ? ns.ipv6.front() : ns.ipv4.front();
}

json apply_file(const ProvisionPlan& p, const ProvisionOptions& opts, bool check_before) {
    bool exists = false;
    Zone live = read_target_file(p.server, p.zone, &exists);
    if (check_before) {
        check_unchanged(p, live, exists, "");
        // A reviewed plan may have been edited: it must not make the zone invalid either.
        check_after(with_changes(live, p.plan), &live, ValidateOptions{}, p.zone);
    }
    json doc = plan_document(p);
    auto serial_before = zone_serial(live);
    doc["serial_before"] = serial_before ? json(*serial_before) : json(nullptr);
    doc["notified"] = json::array();
    doc["transfer"] = nullptr;
    if (!p.has_changes()) {
        doc["applied"] = false;
        doc["serial_after"] = doc["serial_before"];
        return doc;
    }
    Zone next = with_changes(live, p.plan);
    // The serial moves forward only when the content changes, and never backwards.
    if (const RRset* s = next.find(p.zone, rrtype::SOA)) {
        if (auto soa = parse_soa(s->rrs.front().rdata)) {
            std::uint32_t want = opts.serial ? *opts.serial : date_serial(generation_time());
            if (serial_before && want <= *serial_before) want = *serial_before + 1;
            soa->serial = want;
            next.set(p.zone, rrtype::SOA, s->ttl(), {soa_wire(*soa)});
        }
    }
    ZoneTextOptions zo;
    zo.header.push_back("zonegen: pattern A zone, applied to this file");
    write_file_atomic(p.server, zone_text(next, zo));
    trace(opts, "wrote " + p.server);
    doc["applied"] = true;
    auto after = zone_serial(next);
    doc["serial_after"] = after ? json(*after) : json(nullptr);
    return doc;
}

// apply --plan: the tenancy of a reviewed plan, checked against PowerDNS as it is now. The
// account must be the plan's "before" and may not move to another account (an edited plan
// included); the TSIG key and the keys the zone transfers with must be as the plan saw them.
void check_tenancy_unchanged(const ProvisionPlan& p, const json* live_doc, PdnsClient& client,
                             const Profile& profile, const std::optional<SecretString>& secret) {
    auto refuse = [&](const std::string& why) {
        throw UnsafeError("the live zone changed since the plan was made (" + why +
                          "): nothing was applied; make a new plan and review it");
    };
    std::optional<std::string> want;
    if (!p.account_after.empty()) want = p.account_after;
    require_account(want, profile, "the plan file");
    if (profile.control_panel) {
        // What the panel's specs could name: keys of the zone's own only.
        auto own = [&](const std::string& k) {
            if (!tsig_name_belongs_to(Name::parse(k), p.zone))
                throw InputError("plan file: the TSIG key " + k + " is not " + p.zone.to_string() +
                                 " or a name below it");
        };
        for (const auto& k : p.zone_keys_after) own(k);
        if (p.tsig_key) own(p.tsig_key->name.to_string());
    }
    if (live_doc) {
        std::string live = zone_account(*live_doc);
        check_account(p.zone, live, want, profile.control_panel);
        if (live != p.account_before)
            refuse("its account is now " + (live.empty() ? std::string("none") : "another"));
    }
    if (p.pattern == Pattern::B) {
        std::vector<std::string> keys;
        if (live_doc) keys = key_names(zone_slave_tsig_keys(*live_doc));
        if (keys != p.zone_keys_before) refuse("the keys it transfers with");
    }
    if (const auto& t = p.tsig_key) {
        TsigRef ref{t->name, t->algorithm, t->secret_file};
        auto now = plan_tsig_key(client, ref, *secret, p.zone, p.zone_keys_before);
        if (now.action != t->action || now.algorithm_before != t->algorithm_before ||
            now.secret_changed != t->secret_changed)
            refuse("the TSIG key " + t->name.to_string() + " or its secret file");
    }
}

void check_masters(const ProvisionPlan& p, const Profile& profile) {
    CustomerNetworks networks(profile);
    for (std::size_t i = 0; i < p.masters_after.size(); ++i) {
        auto e = parse_endpoint(p.masters_after[i]);
        std::string where = "plan file: masters[" + std::to_string(i) + "]";
        if (!e) throw InputError(where + ": not an address or ADDRESS:PORT");
        networks.check(e->address, e->port.value_or(53), where);
    }
}

}  // namespace

json apply_plan(const ProvisionPlan& p, const Spec* spec, const Profile& profile,
                const ProvisionOptions& opts, bool check_before) {
    if (p.unsafe && !opts.force)
        throw UnsafeError("refused as unsafe: " + *p.unsafe +
                          "; nothing was applied (--force overrides)");
    if (p.file_target) return apply_file(p, opts, check_before);
    auto tsig_secret = planned_tsig_secret(p, profile, opts);

    // The API key goes only to this run's server (--pdns-url, else the profile's), never to
    // a URL a plan file names: a plan made against another server is refused.
    auto [url, sid] = server_for(p.pattern, profile, opts);
    if (!same_url(url, p.server))
        throw InputError("the plan was made against PowerDNS at " + p.server +
                         ", this run's server is " + url +
                         ": nothing was applied (make the plan against this server)");
    PdnsClient client(pdns_config(url, sid, opts));
    // A reviewed plan is checked against the zone as it is now; a plan made a moment ago in
    // this process starts from what it read.
    std::optional<json> fetched;
    if (check_before || (p.exists && !p.live_doc)) fetched = client.get_zone(p.zone);
    const json* live_doc = fetched ? &*fetched : check_before ? nullptr : p.live_doc.get();
    Zone live = live_doc ? zone_from_pdns(p.zone, *live_doc, nullptr) : Zone(p.zone);
    if (check_before) {
        check_tenancy_unchanged(p, live_doc, client, profile, tsig_secret);
        check_unchanged(p, live, live_doc != nullptr, live_doc ? live_doc->value("kind", "") : "");
        if (p.pattern == Pattern::A)
            check_after(with_changes(live, p.plan), &live, ValidateOptions{}, p.zone);
    }

    json doc = plan_document(p);
    doc["notified"] = json::array();
    doc["transfer"] = nullptr;
    doc["serial_before"] = nullptr;
    doc["serial_after"] = nullptr;
    const ProviderNs& primary = profile.primary();
    // The serial the primary holds: its API's view (what it serves once its packet cache
    // has expired), else what it answers over DNS.
    auto serial_of = [&](const json* z) -> std::optional<std::uint32_t> {
        if (z && z->contains("serial") && (*z)["serial"].is_number())
            return (*z)["serial"].get<std::uint32_t>();
        auto a = query_soa(first_address(primary), primary.dns_port, p.zone, 1000);
        if (a.authoritative && a.serial) return a.serial;
        return std::nullopt;
    };
    bool wrote = false, adopted = false;

    if (p.delete_zone) {
        client.delete_zone(p.zone);
        doc["applied"] = true;
        return doc;
    }
    if (p.pattern == Pattern::C) {
        doc["applied"] = false;  // nothing of the zone lives on our servers
        return doc;
    }

    if (p.pattern == Pattern::A) {
        if (p.exists) {
            if (auto s = serial_of(live_doc)) doc["serial_before"] = *s;
        }
        if (!p.exists || p.empty_shell) {
            if (p.empty_shell) client.delete_zone(p.zone);  // nothing in it to lose
            client.create_zone(p.create_body);
            wrote = true;
        } else {
            if (p.account_changes()) {
                client.put_zone(p.zone, {{"account", p.account_after}});  // adopted: a plan step
                adopted = true;
            }
            if (p.kind_before != "Master") {
                client.put_zone(
                    p.zone,
                    {{"kind", "Master"}, {"masters", json::array()}, {"soa_edit_api", "INCREASE"}});
                wrote = true;
            }
            auto writes = writes_of(p.plan, true);
            if (!writes.empty()) {
                client.patch_rrsets(p.zone, pdns_patch_rrsets(writes));  // one transaction
                wrote = true;
            }
        }
        // Our secondaries may transfer the zone and are told of changes (idempotent; a zone
        // just created has no metadata to read).
        std::map<std::string, std::vector<std::string>> want_meta;
        for (const auto& ns : profile.nameservers) {
            if (ns.primary) continue;
            for (const auto& e : ns.endpoints()) want_meta["ALSO-NOTIFY"].push_back(e);
            for (const auto& a : ns.ipv4) want_meta["ALLOW-AXFR-FROM"].push_back(a);
            for (const auto& a : ns.ipv6) want_meta["ALLOW-AXFR-FROM"].push_back(a);
        }
        auto have_meta = p.exists && !p.empty_shell
                             ? client.get_all_metadata(p.zone)
                             : std::map<std::string, std::vector<std::string>>{};
        for (const auto& [kind, values] : want_meta)
            if (have_meta[kind] != values) client.put_metadata(p.zone, kind, values);
        // Secondaries: a Slave zone where the profile gives their API.
        for (const auto& ns : profile.nameservers) {
            if (ns.primary || ns.api_url.empty()) continue;
            PdnsClient sec(pdns_config(ns.api_url, ns.server_id, opts));
            auto z = sec.get_zone(p.zone);
            json fields = {{"kind", "Slave"}, {"masters", primary.endpoints()}};
            if (!p.account_after.empty()) fields["account"] = p.account_after;
            if (!z) {
                fields["name"] = p.zone.to_string();
                sec.create_zone(fields);
                sec.axfr_retrieve(p.zone);
                continue;
            }
            std::string account = zone_account(*z);
            if (account != p.account_after && !account.empty())
                throw UnsafeError("the zone " + p.zone.to_string() + " on " + ns.name.to_string() +
                                  " belongs to another account: nothing more was changed there");
            bool transfer = z->value("kind", "") != "Slave" ||
                            json_strings(*z, "masters") != primary.endpoints();
            if (transfer || account != p.account_after) sec.put_zone(p.zone, fields);
            if (transfer) sec.axfr_retrieve(p.zone);
        }
        // What did not stick: reload and diff (the reload also gives the new serial).
        const json* now_doc = live_doc;
        std::optional<json> reloaded;
        if (wrote) {
            reloaded = client.get_zone(p.zone);
            if (!reloaded)
                throw BackendError("PowerDNS at " + p.server + ": the zone is missing after apply");
            now_doc = &*reloaded;
            Zone now = zone_from_pdns(p.zone, *now_doc, nullptr);
            Zone want = now;
            for (const auto& c : p.plan.changes) {
                if (c.type == rrtype::SOA) continue;
                if (c.action == Action::remove)
                    want.erase(c.owner, c.type);
                else
                    want.set(c.owner, c.type, c.after->ttl, c.after->rdata);
            }
            Plan left = diff_zones(now, want);
            if (!left.empty())
                throw BackendError("after apply, PowerDNS still differs:\n" + plan_text(left));
        }
        auto serial = serial_of(now_doc);
        doc["serial_after"] = serial ? json(*serial) : json(nullptr);
        // Then wait (bounded) until each secondary serves the primary's serial; with no wait
        // they are not asked and NOTIFY goes out only for a write.
        bool ask = opts.wait_secondaries > 0;
        auto in_sync = [&](const SoaAnswer& a) {
            return a.authoritative && a.serial && serial && *a.serial == *serial;
        };
        bool lagging = false;
        std::vector<std::pair<const ProviderNs*, SoaAnswer>> secs;
        for (const auto& ns : profile.nameservers) {
            if (ns.primary) continue;
            SoaAnswer a;
            if (ask) {
                a = query_soa(first_address(ns), ns.dns_port, p.zone, 1000);
                lagging |= !in_sync(a);
            }
            secs.emplace_back(&ns, a);
        }
        if (wrote || lagging) {
            client.notify(p.zone);
            for (const auto& ns : profile.nameservers)
                if (!ns.primary) doc["notified"].push_back(ns.name.to_string());
        }
        json secondaries = json::array();
        for (auto& [ns, a] : secs) {
            if (!ask) {
                secondaries.push_back(
                    {{"name", ns->name.to_string()}, {"serial", nullptr}, {"in_sync", nullptr}});
                continue;
            }
            if (!in_sync(a))
                a = wait_serving(first_address(*ns), ns->dns_port, p.zone, serial,
                                 opts.wait_secondaries);
            secondaries.push_back({{"name", ns->name.to_string()},
                                   {"serial", a.serial ? json(*a.serial) : json(nullptr)},
                                   {"in_sync", in_sync(a)}});
        }
        doc["secondaries"] = secondaries;
        doc["applied"] = wrote || adopted;
        return doc;
    }

    // Pattern B: our secondary transfers the zone from the customer's primary, an address a
    // customer named: checked again here, since a plan file is text anyone could edit. The
    // TSIG key first (the zone names it), as the plan says: created, replaced, or left alone.
    check_masters(p, profile);
    const ProviderNs& sec = profile.pattern_b_secondary();
    bool keyed = false;
    if (p.tsig_key && p.tsig_key->action != "none") {
        client.set_tsig_key(p.tsig_key->name, p.tsig_key->algorithm, *tsig_secret,
                            p.tsig_key->action == "update");
        keyed = true;
    }
    bool transfer_changed = keyed;
    if (!p.exists) {
        client.create_zone(p.create_body);
        wrote = transfer_changed = true;
    } else if (p.kind_before != "Slave" || p.masters_before != p.masters_after ||
               p.zone_keys_before != p.zone_keys_after || p.account_changes()) {
        json fields = {{"kind", "Slave"}, {"masters", p.masters_after}};
        if (p.zone_keys_before != p.zone_keys_after)
            fields["slave_tsig_key_ids"] = p.zone_keys_after;
        if (p.account_changes()) fields["account"] = p.account_after;
        client.put_zone(p.zone, fields);  // never a PATCH of a Slave zone
        wrote = true;
        transfer_changed |= p.kind_before != "Slave" || p.masters_before != p.masters_after ||
                            p.zone_keys_before != p.zone_keys_after;
    }
    wrote |= keyed;
    // A retrieve after a write, or when --wait-transfer asks for the transfer now; nothing
    // changed and not asked: the secondary's own retries go on, nothing is requested or
    // waited for (a batch's re-run costs one GET per domain).
    auto before = query_soa(first_address(sec), sec.dns_port, p.zone, 1000);
    bool serving = before.authoritative && before.serial;
    bool asked = opts.wait_transfer >= 0;
    if (transfer_changed || (asked && !serving)) client.axfr_retrieve(p.zone);
    int wait = asked ? opts.wait_transfer : transfer_changed ? opts.brief_transfer_wait_s : 0;
    auto a = serving && !transfer_changed
                 ? before
                 : wait_serving(first_address(sec), sec.dns_port, p.zone, std::nullopt, wait);
    bool ok = a.authoritative && a.serial;
    doc["transfer"] = ok ? "ok" : "pending";
    doc["serial_after"] = a.serial ? json(*a.serial) : json(nullptr);
    doc["applied"] = wrote;
    // The primary's own view, for the report.
    if (spec) {
        for (const auto& e : spec->customer_primary) {
            auto pa = query_soa(e.address, e.port.value_or(53), p.zone, 1000);
            doc["primary"] = {{"address", e.to_string()},
                              {"answered", pa.answered},
                              {"serial", pa.serial ? json(*pa.serial) : json(nullptr)}};
            break;
        }
    }
    if (!ok && opts.wait_transfer >= 0) {
        std::string allow;
        for (const auto& x : sec.ipv4) allow += (allow.empty() ? "" : ", ") + x;
        for (const auto& x : sec.ipv6) allow += (allow.empty() ? "" : ", ") + x;
        throw BackendError(
            "our secondary " + sec.name.to_string() + " has not transferred " + p.zone.to_string() +
            " within " + std::to_string(opts.wait_transfer) +
            " s: the customer's primary must allow AXFR (and send NOTIFY) to " + allow +
            (p.tsig_key ? " with the TSIG key " + p.tsig_key->name.to_string() : "") +
            ", and be reachable on the address in customer_primary");
    }
    if (ok && spec) {
        // Check what arrived against the pattern's rules.
        // Unchanged and already serving: the zone the plan just read is what arrived.
        std::optional<json> z;
        if (!transfer_changed && p.live_doc && p.live_doc->value("serial", std::uint64_t{0}) != 0)
            z = *p.live_doc;
        else
            z = client.get_zone(p.zone);
        if (z) {
            Zone got = zone_from_pdns(p.zone, *z, nullptr);
            ValidateOptions vo;
            vo.spec = spec;
            vo.profile = &profile;
            doc["findings"] = findings_json(validate_zone(got, vo));
        }
    }
    return doc;
}

}  // namespace zonegen
