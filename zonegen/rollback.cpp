#include "zonegen/rollback.hpp"

#include <algorithm>
#include <map>

#include "zonegen/errors.hpp"
#include "zonegen/render.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;

// One subject (a setting, or an rrset) across the entries undone: the state the earliest
// found (what the rollback restores) and the state the latest left (what must be live now).
struct Span {
    json want, expect;
    bool secret = false;
};

// The entries after `to` (or the last one), each one checked: written by an apply of this
// zonegen and not still running.
std::vector<json> entries_to_undo(const std::vector<json>& entries,
                                  const std::optional<std::string>& to, const Name& zone) {
    std::size_t from = entries.size();
    if (!to) {
        if (entries.empty())
            throw UsageError("the journal has no entry for " + zone.to_string() +
                             ": nothing to roll back");
        from = entries.size() - 1;
    } else {
        for (std::size_t i = 0; i < entries.size(); ++i)
            if (entries[i].value("id", "") == *to) from = i + 1;
        if (from == entries.size() && (entries.empty() || entries.back().value("id", "") != *to))
            throw UsageError("--to " + *to + ": no journal entry of " + zone.to_string() +
                             " has that id (zonegen history " + zone.to_string() + ")");
    }
    std::vector<json> later(entries.begin() + static_cast<std::ptrdiff_t>(from), entries.end());
    if (later.empty())
        throw UsageError("nothing to roll back: " + *to + " is the last entry of " +
                         zone.to_string());
    for (const auto& e : later) {
        if (e.value("status", "") == "open")
            throw UnsafeError("the apply " + e.value("id", "") + " of " + zone.to_string() +
                              " has not finished: roll back once it has");
        if (!e.contains("before") || !e["before"].contains("location"))
            throw UsageError("the journal entry " + e.value("id", "") +
                             " was written by an older zonegen: it cannot be rolled back");
    }
    return later;
}

// Every subject the entries touched, with the state to restore and the state expected live.
void collect(const std::vector<json>& later, std::map<std::string, Span>& settings,
             std::map<std::pair<std::string, std::string>, Span>& rrsets) {
    for (const auto& e : later)
        for (const auto& s : e.at("steps")) {
            std::string subject = s.at("subject").get<std::string>();
            if (subject != "records" && subject != "file") {
                auto [it, fresh] = settings.try_emplace(subject);
                if (fresh) it->second.want = s.at("before");
                it->second.expect = s.at("after");
                it->second.secret = s.value("names_secret", false);
            }
            if (!s.contains("changes")) continue;
            for (const auto& c : s["changes"]) {
                auto key = std::make_pair(c.at("name").get<std::string>(),
                                          c.at("type").get<std::string>());
                auto [it, fresh] = rrsets.try_emplace(key);
                if (fresh) it->second.want = c.at("before");
                it->second.expect = c.at("after");
            }
        }
}

std::optional<RRsetState> state_of(RRType type, const json& s) {
    if (s.is_null()) return std::nullopt;
    RRsetState st{s.at("ttl").get<std::uint32_t>(), {}};
    for (const auto& r : s.at("rdata"))
        st.rdata.push_back(parse_rdata(type, r.get<std::string>(), Name()));
    std::sort(st.rdata.begin(), st.rdata.end());
    return st;
}

// The records' changes that restore each rrset: from what the last entry left to what the
// first found. An SOA that differs in its serial alone is left: the serial only moves on.
Plan restore_records(const Name& zone,
                     const std::map<std::pair<std::string, std::string>, Span>& rrsets) {
    Plan plan;
    plan.zone = zone;
    plan.exists = true;
    for (const auto& [key, span] : rrsets) {
        auto type = type_from_name(key.second);
        if (!type) throw InputError("journal: unknown type " + key.second);
        Change c;
        c.owner = Name::parse(key.first);
        c.type = *type;
        c.before = state_of(c.type, span.expect);
        c.after = state_of(c.type, span.want);
        if (c.before == c.after) continue;
        if (c.type == rrtype::SOA && c.before && c.after) {
            auto a = parse_soa(c.before->rdata.front()), b = parse_soa(c.after->rdata.front());
            if (a && b) {
                b->serial = a->serial;
                if (soa_wire(*a) == soa_wire(*b) && c.before->ttl == c.after->ttl) continue;
            }
        }
        c.action = !c.before ? Action::create : !c.after ? Action::remove : Action::update;
        plan.changes.push_back(std::move(c));
    }
    return plan;
}

Pattern pattern_of(const json& before) {
    std::string p = before.value("dns_pattern", "A");
    return p == "B" ? Pattern::B : p == "C" ? Pattern::C : Pattern::A;
}

Role role_of(const json& zone_state, Pattern p) {
    if (zone_state.is_null()) return Role::absent;
    if (zone_state.is_object() && zone_state.value("kind", "") == "Slave") return Role::secondary;
    return p == Pattern::C ? Role::absent : Role::primary;
}

}  // namespace

ProvisionPlan make_rollback_plan(const Name& zone, const std::vector<json>& entries,
                                 const std::optional<std::string>& to, const Profile& profile,
                                 const ProvisionOptions& opts) {
    auto later = entries_to_undo(entries, to, zone);
    const json& last = later.back().at("before");
    for (const auto& e : later)
        if (e["before"]["location"] != last["location"])
            throw UnsafeError("the entries to undo were applied to different targets (" +
                              e["before"]["location"].dump() + ", " + last["location"].dump() +
                              "): roll back one target at a time");
    std::map<std::string, Span> settings;
    std::map<std::pair<std::string, std::string>, Span> rrsets;
    collect(later, settings, rrsets);

    ProvisionPlan p;
    p.target = last["location"].get<std::string>();
    p.pattern = pattern_of(last);
    p.zone = zone;
    std::shared_ptr<Target> t = make_target(p.target, p.pattern, profile, opts);
    p.target_kind = t->kind();
    p.server = t->server();
    bool deletes = settings.count("zone") && settings["zone"].want.is_null();
    if (settings.count("zone") && settings["zone"].expect.is_null() &&
        !settings["zone"].want.is_null())
        throw UnsafeError("an entry since deleted " + zone.to_string() +
                          ": its records are not in the journal; recreate it with apply");
    p.plan = deletes ? Plan{} : restore_records(zone, rrsets);
    p.plan.zone = zone;
    p.plan.exists = true;
    for (const auto& [subject, span] : settings) {
        if (span.secret || span.want == span.expect) continue;
        // The catalog zone lists every customer: rollback of one leaves it as it is.
        if (subject.rfind("catalog ", 0) == 0) continue;
        if (deletes && (subject.rfind("metadata ", 0) == 0 || subject == "dnssec"))
            continue;  // gone with the zone
        p.steps.push_back(t->restore_step(zone, subject, span.expect, span.want, p.plan));
    }
    if (!p.plan.empty())
        p.steps.push_back(t->restore_step(zone, "records", nullptr, nullptr, p.plan));
    // The zone's own settings first (a kind before its records), last when it is deleted.
    auto rank = [&](const PlanStep& s) {
        if (s.subject == "zone") return deletes ? 3 : 0;
        return s.subject == "records" ? 2 : 1;
    };
    std::stable_sort(p.steps.begin(), p.steps.end(),
                     [&](const PlanStep& a, const PlanStep& b) { return rank(a) < rank(b); });
    // The live state must be what the last entry left: checked now (and again by apply).
    LiveZone live = t->check_plan(zone, p.pattern, p.steps);
    check_records_unchanged(p.plan, live.records);
    p.exists = live.exists;
    p.existing_rrsets = live.rrsets;
    p.role_before = live.role;
    p.role_after = deletes                  ? Role::absent
                   : settings.count("zone") ? role_of(settings["zone"].want, p.pattern)
                                            : live.role;
    p.account_before = live.account;
    p.account_after = live.account;
    if (settings.count("zone") && settings["zone"].want.is_object())
        p.account_after = settings["zone"].want.value("account", "");
    if (deletes) p.account_after.clear();
    ZoneIntent after;
    after.zone = zone;
    after.pattern = p.pattern;
    after.role = p.role_after;
    p.settle = t->settle_text(after);
    if (p.exists && p.role_after == Role::absent)
        p.unsafe =
            "the rollback deletes the zone " + zone.to_string() + " (its creation is undone)";
    check_parent(p, profile, opts);  // a deletion asks the parent first
    p.made_with = t;
    return p;
}

}  // namespace zonegen
