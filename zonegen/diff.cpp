#include "zonegen/diff.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace zonegen {
namespace {

RRsetState raw_state(const RRset& s) {
    return RRsetState{s.ttl(), s.rdata()};
}

RRsetState state_of(const RRset& s) {
    return compared_state(s.type, raw_state(s));
}

std::string shown(RRType type, const RRsetState& s) {
    std::string out = std::to_string(s.ttl);
    for (std::size_t i = 0; i < s.rdata.size(); ++i)
        out += (i ? ", " : " ") + rdata_text(type, s.rdata[i]);
    return out;
}

}  // namespace

RRsetState compared_state(RRType type, RRsetState state) {
    if (type == rrtype::SOA)
        for (auto& r : state.rdata) r = soa_without_serial(r);
    return state;
}

const char* to_string(Action a) {
    switch (a) {
        case Action::create:
            return "create";
        case Action::update:
            return "update";
        case Action::remove:
            return "delete";
    }
    return "?";
}

std::size_t Plan::count(Action a) const {
    return static_cast<std::size_t>(std::count_if(changes.begin(), changes.end(),
                                                  [a](const Change& c) { return c.action == a; }));
}

Plan diff_zones(const Zone& existing, const Zone& desired) {
    Plan p{desired.origin(), true, {}};
    const auto& a = existing.rrsets();
    const auto& b = desired.rrsets();
    auto ia = a.begin();
    auto ib = b.begin();
    // Both are in canonical (owner, type) order: one merge pass.
    bool same_origin = existing.origin() == desired.origin();
    auto less = [&](const RRset& x, const RRset& y) {
        if (same_origin) return Zone::key_less(x, y);
        return RRKey{x.owner, x.type} < RRKey{y.owner, y.type};
    };
    while (ia != a.end() || ib != b.end()) {
        if (ib == b.end() || (ia != a.end() && less(*ia, *ib))) {
            p.changes.push_back(
                {Action::remove, ia->owner, ia->type, raw_state(*ia), std::nullopt});
            ++ia;
        } else if (ia == a.end() || less(*ib, *ia)) {
            p.changes.push_back(
                {Action::create, ib->owner, ib->type, std::nullopt, raw_state(*ib)});
            ++ib;
        } else {
            auto before = state_of(*ia), after = state_of(*ib);
            if (!(before == after)) {
                // Show the real serials, though they alone never make a change.
                p.changes.push_back(
                    {Action::update, ib->owner, ib->type, raw_state(*ia), raw_state(*ib)});
            }
            ++ia;
            ++ib;
        }
    }
    std::stable_partition(p.changes.begin(), p.changes.end(),
                          [](const Change& c) { return c.action == Action::remove; });
    return p;
}

nlohmann::json plan_json(const Plan& plan) {
    auto state = [](RRType t, const std::optional<RRsetState>& s) -> nlohmann::json {
        if (!s) return nullptr;
        auto arr = nlohmann::json::array();
        for (const auto& r : s->rdata) arr.push_back(rdata_text(t, r));
        return {{"ttl", s->ttl}, {"rdata", arr}};
    };
    auto changes = nlohmann::json::array();
    for (const auto& c : plan.changes)
        changes.push_back({{"action", to_string(c.action)},
                           {"name", c.owner.to_string()},
                           {"type", type_name(c.type)},
                           {"before", state(c.type, c.before)},
                           {"after", state(c.type, c.after)}});
    return {{"zone", plan.zone.to_string()},
            {"exists", plan.exists},
            {"changes", changes},
            {"summary",
             {{"create", plan.count(Action::create)},
              {"update", plan.count(Action::update)},
              {"delete", plan.count(Action::remove)}}}};
}

std::string plan_text(const Plan& plan) {
    std::string out;
    for (const auto& c : plan.changes) {
        std::string head = c.owner.to_string() + " " + type_name(c.type);
        switch (c.action) {
            case Action::create:
                out += "+ " + head + " " + shown(c.type, *c.after) + "\n";
                break;
            case Action::remove:
                out += "- " + head + " " + shown(c.type, *c.before) + "\n";
                break;
            case Action::update:
                out += "~ " + head + " " + shown(c.type, *c.before) + " -> " +
                       shown(c.type, *c.after) + "\n";
                break;
        }
    }
    out += plan.zone.to_string() + ": " + std::to_string(plan.count(Action::create)) +
           " to create, " + std::to_string(plan.count(Action::update)) + " to update, " +
           std::to_string(plan.count(Action::remove)) + " to delete\n";
    return out;
}

}  // namespace zonegen
