#include "zonegen/provision.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "backends/source.hpp"
#include "backends/zonefile.hpp"
#include "validators/checks.hpp"
#include "zonegen/customer_networks.hpp"
#include "zonegen/dkim.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/journal.hpp"
#include "zonegen/location.hpp"
#include "zonegen/render.hpp"
#include "zonegen/spec_paths.hpp"
#include "zonegen/spf.hpp"
#include "zonegen/tenancy.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;

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
    // A multi-signer move's foreign DNSKEYs: ours to delete once the spec leaves them out.
    if (spec.pattern == Pattern::A && spec.dnssec.value_or(profile.dnssec.sign))
        keys.insert(RRKey{spec.domain, rrtype::DNSKEY});
    // A retired DKIM selector stays ours until it is gone (a rotation's last step).
    for (const auto& sel : spec.dkim_retired)
        keys.insert(RRKey{dkim_owner(sel, spec.domain), rrtype::TXT});
    return keys;
}

// TXT rdata of which one is a DKIM key (a dkim: selector's name).
bool publishes_dkim(const std::vector<std::string>& rdata) {
    return std::any_of(rdata.begin(), rdata.end(),
                       [](const std::string& r) { return is_dkim_txt(join_txt(r)); });
}

// The desired zone with what zonegen does not manage kept from the live one; TXT values
// other than SPF and DKIM keys at a managed name are kept too (verification tokens are the
// customer's; a selector's old key is replaced, never published beside the new one).
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
                if (!is_spf(r) && !(is_dkim_txt(join_txt(r)) && publishes_dkim(rd)) &&
                    std::find(rd.begin(), rd.end(), r) == rd.end()) {
                    rd.push_back(r);
                    added = true;
                }
            if (added) eff.set(k.owner, k.type, want->ttl(), rd);
        }
    }
    return eff;
}

// The safety limits, in no server's words: deleting the zone, changing its role, the apex
// NS set, and more than the profile's fraction of the rrsets.
std::optional<std::string> safety(const ProvisionPlan& p, const Profile& profile) {
    if (p.exists && p.role_after == Role::absent)
        return "the plan deletes the zone " + p.zone.to_string();
    if (p.exists && p.role_before != p.role_after)
        return std::string("the plan makes the zone a ") + to_string(p.role_after) +
               " where it is a " + to_string(p.role_before) + " now";
    if (!p.exists) return std::nullopt;
    for (const auto& s : p.steps)
        if (s.subject == "dnssec" && s.before.value("signed", false) &&
            !s.after.value("signed", false))
            return "the plan turns DNSSEC off for " + p.zone.to_string() +
                   ": first the DS must be removed at the parent (by whoever holds the "
                   "registration) and its TTL waited out, or every validating resolver fails "
                   "the domain (SERVFAIL) until the DS expires; check with verify, then --force";
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
    return Desired{std::move(cz.zone), false, cz.serial_after, false, std::move(cz.findings), {}};
}

Role role_of(Pattern p) {
    return p == Pattern::A ? Role::primary : p == Pattern::B ? Role::secondary : Role::absent;
}

// --target pdns:ZONE names the spec's zone or none.
void check_target_zone(const std::string& target, const Name& zone) {
    if (location_kind(target) != LocationKind::pdns || target.size() == 5) return;
    if (Name::parse_fqdn(target.substr(5)) != zone)
        throw UsageError("--target " + target + " names another zone than the spec's " +
                         zone.to_string());
}

// What the spec wants of the zone at a target. Pattern B's TSIG secret is located and read
// here, before any request, so a refusal is exit 2 with nothing sent.
ZoneIntent intent_of(const Spec& spec, const Profile& profile) {
    // The catalog lists every customer's zone: no spec may name it or a zone below it.
    if (profile.catalog && spec.domain.is_subdomain_of(*profile.catalog))
        throw InputError("domain: " + spec.domain.to_string() + " is " +
                         (spec.domain == *profile.catalog ? "" : "below ") +
                         "the provider's catalog zone " + profile.catalog->to_string() +
                         " (profile key catalog), never a customer's");
    ZoneIntent w;
    w.zone = spec.domain;
    w.pattern = spec.pattern;
    w.role = role_of(spec.pattern);
    w.records = Zone(spec.domain);
    w.account = spec.account;
    w.source = spec.source;
    w.dnssec = dnssec_intent(spec, profile);
    if (spec.pattern != Pattern::B) return w;
    for (const auto& e : spec.customer_primary) w.primaries.push_back(e.to_string());
    if (spec.tsig) {
        auto at = locate_spec_secret(spec, profile, "tsig.secret_file", spec.tsig->secret_file);
        (void)read_tsig_secret(at, "tsig.secret_file");
        TransferKey k{spec.tsig->name, spec.tsig->algorithm, at.rel, ""};
        if (!at.from_profile) k.secrets_dir = at.dir;
        w.transfer_key = k;
    }
    return w;
}

// After the writes the target serves exactly what the plan said: reload and diff (the SOA
// aside, its serial moves on its own).
void expect_applied(Target& t, const ProvisionPlan& p) {
    Zone now = t.reload(p.zone);
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
        throw BackendError("after apply, " + t.description() + " still differs:\n" +
                           plan_text(left));
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

namespace {

// The records the zone should serve at the target: the desired zone with what zonegen does
// not manage kept from the live one, checked as generate checks it.
Plan plan_records(const ProvisionPlan& p, const Desired& d, const LiveZone& live, const Spec& spec,
                  const Profile& profile, const ProvisionOptions& opts, ZoneIntent& want,
                  std::vector<Finding>& findings) {
    ValidateOptions vo;
    vo.fragment = d.fragment;
    vo.spec = &spec;
    vo.profile = &profile;
    Plan records;
    if (want.role == Role::primary) {
        want.records =
            effective_desired(d.zone, live.records, managed_keys(spec, profile), opts.full);
        findings = check_after(want.records, &live.records, vo, spec.domain);
        records = diff_zones(live.records, want.records);
    } else {
        // B and C: what generate prints for the customer's zone, checked as generate does.
        findings = check_after(d.zone, nullptr, vo, spec.domain);
    }
    records.zone = p.zone;
    records.exists = live.exists;
    return records;
}

}  // namespace

// Deleting a zone, or creating one, on our servers: how the parent delegates it decides
// whether that is safe (domain_control.hpp).
void check_parent(ProvisionPlan& p, const Profile& profile, const ProvisionOptions& o) {
    bool deletes = p.exists && p.role_after == Role::absent;
    auto change = zone_change(p.target_kind == "file", p.exists, deletes, p.pattern);
    if (!change) return;
    p.delegation = check_domain_control(p.zone, *change, profile, o.parent_servers, o.trace);
    if (p.delegation->unsafe) p.unsafe = p.delegation->unsafe;
    if (p.delegation->finding) p.findings.push_back(*p.delegation->finding);
}

ProvisionPlan make_plan(const Spec& spec, const Profile& profile, const ProvisionOptions& opts) {
    check_target_zone(opts.target, spec.domain);
    // Before any request (exit 2, nothing sent): the addresses a customer names, the spec's
    // TSIG secret, and what the target checks first (tenancy).
    check_customer_addresses(spec, profile);
    ZoneIntent want = intent_of(spec, profile);
    std::shared_ptr<Target> t = make_target(opts.target, spec.pattern, profile, opts);
    t->precheck(want);
    // Tenancy first, before anything else is read: a zone of another account is refused
    // (exit 4) whatever the spelling of the spec's domain (tenancy.hpp).
    // --assume-new: a zone of ours to make (pattern A) is taken to be absent, its creation
    // says if it is not; one to remove (C) is read, or it would stay, and a pattern-B zone
    // too (its TSIG key is written before the zone and must know whose zone it is).
    bool assume = opts.assume_new && want.role == Role::primary;
    auto live = std::make_shared<LiveZone>(assume ? t->assume_absent(want) : t->load(want));
    ProvisionPlan p;
    p.target = opts.target;
    p.target_kind = t->kind();
    p.server = t->server();
    p.zone = spec.domain;
    p.pattern = spec.pattern;
    p.exists = live->exists;
    p.role_before = live->role;
    p.role_after = want.role;
    p.account_before = live->account;
    p.account_after = want.role == Role::absent ? "" : want.account.value_or(live->account);
    p.existing_rrsets = live->rrsets;
    GenerateOptions go;
    go.serial = opts.serial;
    go.now = generation_time();
    Migration migration;
    Desired d = desired_for(spec, profile, go, opts, &migration);
    if (!spec.import_from.empty()) p.migration = migration;
    if (count_errors(d.findings))
        throw InvalidZoneError("the zone for " + spec.domain.to_string() + " is invalid",
                               d.findings);
    p.plan = plan_records(p, d, *live, spec, profile, opts, want, p.findings);
    p.steps = t->steps(*live, want, p.plan);
    p.settle = t->settle_text(want);
    // The spec's own warnings first, as generate prints them.
    p.findings.insert(p.findings.begin(), d.findings.begin(), d.findings.end());
    p.unsafe = safety(p, profile);
    // Domain control: a creation or deletion on our servers asks the parent first.
    check_parent(p, profile, opts);
    p.made_with = t;
    p.live = live;
    return p;
}

json plan_document(const ProvisionPlan& p) {
    json j = plan_json(p.plan);
    j["plan_version"] = kPlanVersion;
    j["target"] = p.target;
    j["target_kind"] = p.target_kind;
    j["server"] = p.server;
    j["dns_pattern"] = to_string(p.pattern);
    j["role"] = {{"before", to_string(p.role_before)}, {"after", to_string(p.role_after)}};
    auto or_null = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
    if (p.target_kind != "file")
        j["account"] = {{"before", or_null(p.account_before)}, {"after", or_null(p.account_after)}};
    j["existing_rrsets"] = p.existing_rrsets;
    j["has_changes"] = p.has_changes();
    j["unsafe"] = p.unsafe ? json(*p.unsafe) : json(nullptr);
    json steps = json::array();
    for (const auto& s : p.steps) steps.push_back(step_json(s));
    j["steps"] = steps;
    j["settle"] = p.settle;
    if (p.migration) j["migration"] = migration_json(*p.migration);
    j["findings"] = findings_json(p.findings);
    j["delegation"] = p.delegation ? domain_control_json(*p.delegation) : json(nullptr);
    return j;
}

namespace {

Role role_from(const std::string& s) {
    if (s == "primary") return Role::primary;
    if (s == "secondary") return Role::secondary;
    if (s == "absent") return Role::absent;
    throw InputError("plan file: role " + s);
}

Change change_from_json(const json& c) {
    Change ch;
    std::string a = c.at("action").get<std::string>();
    if (a != "create" && a != "update" && a != "delete")
        throw InputError("plan file: action " + c["action"].dump());
    ch.action = a == "create" ? Action::create : a == "update" ? Action::update : Action::remove;
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
    if (!ch.after && ch.action != Action::remove)
        throw InputError("plan file: " + ch.owner.to_string() + " has no \"after\"");
    return ch;
}

// An edited plan file must not write outside its zone: every change belongs to the plan's
// "zone", and a step is one of the plan's subjects once.
void refuse_out_of_zone(const ProvisionPlan& p) {
    for (const auto& c : p.plan.changes)
        if (!c.owner.is_subdomain_of(p.zone))
            throw InputError("plan file: " + c.owner.to_string() + " " + type_name(c.type) +
                             " is not in the plan's zone " + p.zone.to_string() +
                             ": nothing was applied");
    std::set<std::string> seen;
    for (const auto& s : p.steps)
        if (!seen.insert(s.subject).second)
            throw InputError("plan file: the step " + s.subject + " twice");
}

// The plan's account (tenancy): before, as the plan saw it; after, what every zone it
// writes carries.
void read_account(const json& j, ProvisionPlan& p) {
    if (!j.contains("account")) return;
    auto str = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
    p.account_before = str(j["account"].at("before"));
    p.account_after = str(j["account"].at("after"));
    for (const auto* a : {&p.account_before, &p.account_after})
        if (!a->empty())
            if (auto why = account_syntax_error(*a))
                throw InputError("plan file: account '" + a->substr(0, 60) + "': " + *why);
    for (const auto& s : p.steps)
        if (s.after.is_object() && s.after.contains("account") &&
            s.after["account"] != json(p.account_after))
            throw InputError("plan file: the step " + s.subject +
                             " gives the zone another account than the plan's");
}

}  // namespace

ProvisionPlan plan_from_document(const json& j) {
    try {
        int version = j.is_object() ? j.value("plan_version", 0) : 0;
        if (version == 1)
            throw InputError(
                "plan file: made by an older zonegen (plan format 1, before plans listed "
                "every step): make a new plan with this version and review it");
        if (version != kPlanVersion)
            throw InputError("not a zonegen plan file (plan_version " +
                             std::to_string(kPlanVersion) + ")");
        ProvisionPlan p;
        p.target = j.at("target").get<std::string>();
        p.target_kind = j.at("target_kind").get<std::string>();
        p.server = j.at("server").get<std::string>();
        p.zone = Name::parse(j.at("zone").get<std::string>());
        std::string pat = j.at("dns_pattern").get<std::string>();
        if (pat != "A" && pat != "B" && pat != "C")
            throw InputError("plan file: dns_pattern " + j["dns_pattern"].dump());
        p.pattern = pat == "A" ? Pattern::A : pat == "B" ? Pattern::B : Pattern::C;
        p.exists = j.at("exists").get<bool>();
        p.role_before = role_from(j.at("role").at("before").get<std::string>());
        p.role_after = role_from(j.at("role").at("after").get<std::string>());
        if (p.role_after != role_of(p.pattern) && p.role_after != Role::absent)
            throw InputError("plan file: role.after does not match dns_pattern " + pat);
        p.existing_rrsets = j.at("existing_rrsets").get<std::size_t>();
        if (j.at("unsafe").is_string()) p.unsafe = j["unsafe"].get<std::string>();
        p.plan.zone = p.zone;
        p.plan.exists = p.exists;
        for (const auto& c : j.at("changes")) p.plan.changes.push_back(change_from_json(c));
        for (const auto& s : j.at("steps")) p.steps.push_back(step_from_json(s));
        p.settle = j.at("settle").get<std::vector<std::string>>();
        read_account(j, p);
        if (j.contains("delegation") && j["delegation"].is_object())
            p.delegation = domain_control_from_json(j["delegation"], p.zone);
        refuse_out_of_zone(p);
        return p;
    } catch (const json::exception& e) {
        throw InputError(std::string("plan file: ") + e.what());
    } catch (const std::invalid_argument& e) {
        throw InputError(std::string("plan file: ") + e.what());
    }
}

std::string plan_text_full(const ProvisionPlan& p, bool forced) {
    std::string out =
        "target: " + (p.target_kind == "file" ? p.server : "PowerDNS " + p.server) + "\n";
    if (p.migration)
        out += "migration from the imported zone:\n" +
               migration_text(*p.migration, Wording::builtin("instructions", "en"));
    if (p.steps.empty())
        out += p.pattern == Pattern::C
                   ? "pattern C: nothing of " + p.zone.to_string() + " lives on our servers\n"
                   : "steps: none, the target is as the spec wants it\n";
    else
        out += "steps (apply runs exactly these, in this order):\n";
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
        const PlanStep& s = p.steps[i];
        std::string n = std::to_string(i + 1) + ". ";
        std::string text = s.text;
        for (std::size_t at = text.find('\n'); at != std::string::npos;
             at = text.find('\n', at + 1))
            text.insert(at + 1, std::string(n.size() + 2, ' '));
        out += "  " + n + text + "\n";
        for (const auto& r : s.requests) out += std::string(n.size() + 4, ' ') + r + "\n";
    }
    if (!p.plan.empty() || (p.pattern == Pattern::A && p.role_after != Role::absent))
        out += "changes:\n" + plan_text(p.plan);
    if (!p.settle.empty()) {
        out +=
            "after the writes (not changes; an unreachable server does not make them pending):\n";
        for (const auto& s : p.settle) out += "  - " + s + "\n";
    }
    if (p.delegation) out += domain_control_text(*p.delegation);
    for (const auto& f : p.findings) out += finding_text(f) + "\n";
    if (p.unsafe)
        out += "unsafe: " + *p.unsafe +
               (forced ? " (overridden by --force)\n" : " (--force to apply anyway)\n");
    return out;
}

namespace {

// The target an apply runs on: the plan's own when it was made in this process; for a
// plan file, this run's (the API key goes only to this run's server, never to a URL a plan
// file names: a plan made against another server is refused).
std::shared_ptr<Target> target_for(const ProvisionPlan& p, const Profile& profile,
                                   const ProvisionOptions& opts, bool check_before) {
    if (p.made_with && !check_before) return p.made_with;
    std::shared_ptr<Target> t = make_target(p.target, p.pattern, profile, opts);
    if (t->kind() != p.target_kind || !same_server(t->server(), p.server))
        throw InputError("the plan was made against " + p.target_kind + " " + p.server +
                         ", this run's target is " + t->description() +
                         ": nothing was applied (make the plan against this server)");
    return t;
}

// apply --plan: every step's "before", and every change's, must still hold; a reviewed
// plan may have been edited, so what it makes must be a valid zone too.
LiveZone check_plan_still_holds(Target& t, const ProvisionPlan& p, const Profile& profile) {
    std::optional<std::string> want;
    if (!p.account_after.empty()) want = p.account_after;
    if (p.target_kind != "file") require_account(want, profile, "the plan file");
    LiveZone live = t.check_plan(p.zone, p.pattern, p.steps);
    if (p.target_kind != "file") {
        if (live.exists) check_account(p.zone, live.account, want, profile.control_panel);
        if (live.account != p.account_before)
            throw UnsafeError("the live zone changed since the plan was made (its account is now " +
                              (live.account.empty() ? std::string("none") : "another") +
                              "): nothing was applied; make a new plan and review it");
    }
    if (live.exists != p.exists)
        throw UnsafeError(std::string("the live zone changed since the plan was made (") +
                          (live.exists ? "the zone now exists" : "the zone is gone") +
                          "): nothing was applied; make a new plan and review it");
    check_records_unchanged(p.plan, live.records);
    if (p.role_after == Role::primary)
        check_after(with_changes(live.records, p.plan), &live.records, ValidateOptions{}, p.zone);
    return live;
}

// What the journal keeps of a plan: the state before of every rrset and setting the steps
// touch, and the steps, the one that writes the records with their changes (never a
// secret: a key's step names its file only).
JournalIntent journal_intent(const ProvisionPlan& p, const Target& t, const ProvisionOptions& o) {
    JournalIntent in;
    in.command = o.journal_command;
    in.zone = p.zone;
    in.target = t.description();
    json changes = plan_json(p.plan)["changes"];
    json rrsets = json::array(), settings = json::object();
    for (const auto& c : changes)
        rrsets.push_back({{"name", c["name"]}, {"type", c["type"]}, {"state", c["before"]}});
    in.steps = json::array();
    for (const auto& s : p.steps) {
        json j = step_json(s);
        if (s.writes_records) j["changes"] = changes;
        if (s.subject != "records" && s.subject != "file") settings[s.subject] = s.before;
        in.steps.push_back(std::move(j));
    }
    // Where, so that a rollback finds the same target: the location and the pattern.
    in.before = {{"rrsets", rrsets},
                 {"settings", settings},
                 {"location", p.target},
                 {"dns_pattern", to_string(p.pattern)}};
    return in;
}

// Runs the steps, checks they stuck, settles.
void run_steps(Target& t, const ProvisionPlan& p, ApplyResult& r) {
    for (const auto& s : p.steps) {
        t.run(p.zone, s, p.plan);
        ++r.steps_run;
    }
    bool wrote = r.steps_run > 0;
    if (wrote && p.role_after == Role::primary) expect_applied(t, p);
    if (p.role_after != Role::absent) r.settle = t.settle(p.zone, p.pattern, wrote, p.steps);
    r.status = wrote ? ApplyStatus::applied : ApplyStatus::unchanged;
}

}  // namespace

void check_records_unchanged(const Plan& plan, const Zone& live) {
    for (const auto& c : plan.changes) {
        const RRset* s = live.find(c.owner, c.type);
        std::optional<RRsetState> now;
        if (s) now = RRsetState{s->ttl(), s->rdata()};
        auto norm = [&](std::optional<RRsetState> st) {
            if (st && c.type == rrtype::SOA)
                for (auto& r : st->rdata) r = soa_without_serial(r);
            return st;
        };
        if (norm(now) != norm(c.before))
            throw UnsafeError("the live zone changed since the plan was made (" +
                              c.owner.to_string() + " " + type_name(c.type) +
                              " differs): nothing was applied; make a new plan and review it");
    }
}

ApplyResult apply_steps(const ProvisionPlan& p, const Spec* spec, const Profile& profile,
                        const ProvisionOptions& opts, bool check_before) {
    if (p.unsafe && !opts.force)
        throw UnsafeError("refused as unsafe: " + *p.unsafe +
                          "; nothing was applied (--force overrides)");
    std::shared_ptr<Target> t = target_for(p, profile, opts, check_before);
    LiveZone live = check_before || !p.live ? check_plan_still_holds(*t, p, profile) : *p.live;
    ApplyResult r;
    if (p.role_after == Role::primary) r.serial_before = live.serial;
    // The journal's intent before the first write: if it cannot be written, nothing is.
    Journal* journal = p.steps.empty() ? nullptr : opts.journal;
    if (journal) r.journal_id = journal->begin(journal_intent(p, *t, opts), &r.interrupted);
    try {
        run_steps(*t, p, r);
    } catch (const std::exception& e) {
        if (journal)
            journal->finish(r.journal_id, false,
                            {{"steps_run", r.steps_run}, {"error", {{"message", e.what()}}}});
        throw;
    }
    if (journal)
        journal->finish(
            r.journal_id, true,
            {{"steps_run", r.steps_run},
             {"serial_before", r.serial_before ? json(*r.serial_before) : json()},
             {"serial_after", r.settle.serial_after ? json(*r.settle.serial_after) : json()}});
    if (r.settle.arrived && spec) {
        ValidateOptions vo;
        vo.spec = spec;
        vo.profile = &profile;
        r.arrived_findings = validate_zone(*r.settle.arrived, vo);
    }
    return r;
}

json apply_document(const ProvisionPlan& p, const ApplyResult& r) {
    json doc = plan_document(p);
    auto num = [](const std::optional<std::uint32_t>& v) { return v ? json(*v) : json(nullptr); };
    doc["applied"] = r.status == ApplyStatus::applied;
    doc["steps_run"] = r.steps_run;
    doc["serial_before"] = num(r.serial_before);
    doc["serial_after"] = num(r.settle.serial_after);
    doc["notified"] = r.settle.notified;
    doc["transfer"] = r.settle.transfer ? json(*r.settle.transfer) : json(nullptr);
    if (r.settle.secondaries) doc["secondaries"] = *r.settle.secondaries;
    if (r.settle.primary) doc["primary"] = *r.settle.primary;
    if (r.arrived_findings) doc["findings"] = findings_json(*r.arrived_findings);
    doc["journal_id"] = r.journal_id.empty() ? json(nullptr) : json(r.journal_id);
    if (!r.interrupted.empty()) doc["interrupted"] = r.interrupted;
    return doc;
}

json apply_plan(const ProvisionPlan& p, const Spec* spec, const Profile& profile,
                const ProvisionOptions& opts, bool check_before) {
    return apply_document(p, apply_steps(p, spec, profile, opts, check_before));
}

}  // namespace zonegen
