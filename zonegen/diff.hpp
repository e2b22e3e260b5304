// The diff: what turns an existing zone into a desired one, rrset by rrset. A pure
// function; rendering a plan (text, JSON) is apart from computing it.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/zone.hpp"

namespace zonegen {

struct RRsetState {
    std::uint32_t ttl = 0;
    std::vector<std::string> rdata;  // canonical wire, sorted, unique
    friend bool operator==(const RRsetState&, const RRsetState&) = default;
};

// The state as the diff compares it: a SOA's serial is not a difference (it is set to 0).
RRsetState compared_state(RRType type, RRsetState state);

enum class Action { create, update, remove };
const char* to_string(Action a);

struct Change {
    Action action = Action::create;
    Name owner;
    RRType type = 0;
    std::optional<RRsetState> before, after;
};

struct Plan {
    Name zone;
    bool exists = true;
    std::vector<Change> changes;  // deletes first, then by owner and type
    std::size_t count(Action a) const;
    bool empty() const { return changes.empty(); }
};

// Keyed by (owner, type): only in `existing` a delete, only in `desired` a create,
// different TTL or rdata an update. The SOA serial is not a difference.
Plan diff_zones(const Zone& existing, const Zone& desired);

nlohmann::json plan_json(const Plan& plan);
// One line per change (before -> after) and a summary line.
std::string plan_text(const Plan& plan);

}  // namespace zonegen
