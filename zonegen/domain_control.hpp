// Domain control: a zone is created on our shared servers, or deleted from them, only
// knowing how the parent zone delegates the domain (backends/delegation.hpp asks it).
//  - Deleting a zone while the parent still delegates the domain to our servers leaves a
//    dangling delegation: anyone with a zone on our shared servers could create it and
//    serve the domain. Unsafe (exit 4 without --force); so is a deletion when the parent
//    cannot be asked: it cannot be shown safe.
//  - Creating a zone the parent already delegates to our servers, while no zone for it
//    exists on them, is what a former customer leaves behind: whoever creates it takes the
//    domain over. Unsafe too, until someone has checked that the customer controls the
//    domain. When the parent cannot be asked on creation: a warning only (a brand-new
//    customer's domain, the parent out of reach).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "backends/delegation.hpp"
#include "zonegen/finding.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"

namespace zonegen {

enum class ZoneChange { create, remove };
const char* to_string(ZoneChange c);  // "create" | "delete"

struct DomainControl {
    ZoneChange change = ZoneChange::create;
    ParentDelegation parent;            // what was asked, and the answer
    DelegationMatch match;              // does it point at our servers
    std::optional<std::string> unsafe;  // why the plan is refused without --force
    std::optional<Finding> finding;     // a warning (creation, the parent not asked)
};

// The rule (pure): the verdict on a change from the parent's answer and our name servers.
DomainControl judge_domain_control(ZoneChange change, const ParentDelegation& parent,
                                   const std::vector<ProviderNs>& ours);

// What a plan does to the zone's existence on our servers that the parent is asked about:
// a deletion, or a creation (patterns A and B). nullopt otherwise, and for a zone file.
std::optional<ZoneChange> zone_change(bool file_target, bool exists, bool deletes, Pattern pattern);

// Asks the parent — `parent_servers` (--parent-server), else the profile's
// parent_servers, else through the system resolver — and judges the change.
DomainControl check_domain_control(const Name& zone, ZoneChange change, const Profile& profile,
                                   const std::vector<Endpoint>& parent_servers,
                                   const std::function<void(const std::string&)>& trace);

// The plan's "delegation" (JSON and back, for a saved plan), and its line of text.
nlohmann::json domain_control_json(const DomainControl& d);
DomainControl domain_control_from_json(const nlohmann::json& j, const Name& zone);
std::string domain_control_text(const DomainControl& d);

}  // namespace zonegen
