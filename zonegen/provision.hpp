// plan and apply: what is live at a target (a zone file, PowerDNS: zonegen/target.hpp)
// against what the spec wants, the safety limits, and the steps that make it so. A plan is
// one ordered list of steps: `plan` prints them, `--out` saves them, `apply` runs exactly
// them. Every step is idempotent, so a re-run after a failure completes what was left.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/diff.hpp"
#include "zonegen/domain_control.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/migrate.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/target.hpp"

namespace zonegen {

// The version of the saved plan format; an older plan is refused with a clear message.
constexpr int kPlanVersion = 2;

struct ProvisionPlan {
    std::string target;       // what was planned against, as given (--target)
    std::string target_kind;  // the Target's kind(): "powerdns" | "file"
    std::string server;       // the Target's server(): the API's URL, or the file
    Name zone;
    Pattern pattern = Pattern::A;
    bool exists = false;
    Role role_before = Role::absent, role_after = Role::absent;
    std::string account_before, account_after;  // tenancy, as the plan leaves it
    std::size_t existing_rrsets = 0;
    Plan plan;                           // the records' changes (contract.md's "changes")
    std::vector<PlanStep> steps;         // everything apply writes, in order
    std::vector<std::string> settle;     // what happens after the writes (never pending)
    std::optional<std::string> unsafe;   // why the safety limits refuse it
    std::optional<Migration> migration;  // with import_from: what was kept, replaced, dropped
    // The zone as it will be, checked as generate checks it: warnings, and errors that are
    // already live (errors the change would introduce refuse the plan instead).
    std::vector<Finding> findings;
    // A creation or deletion on our servers: how the parent delegates the zone, and the
    // verdict (domain_control.hpp).
    std::optional<DomainControl> delegation;
    // The target the plan was made with and what it read: an apply right after the plan in
    // this process starts from them instead of reading everything again. Never saved.
    std::shared_ptr<Target> made_with;
    std::shared_ptr<const LiveZone> live;
    bool has_changes() const { return !steps.empty(); }
};

// The desired zone of a spec: build_desired, or with import_from the imported zone
// migrated (the source loaded from a file, our PowerDNS or AXFR).
Desired desired_for(const Spec& spec, const Profile& profile, const GenerateOptions& go,
                    const ProvisionOptions& opts, Migration* migration);

ProvisionPlan make_plan(const Spec& spec, const Profile& profile, const ProvisionOptions& opts);

// Domain control: a plan that deletes the zone from our servers, or creates it, asks the
// parent how it delegates the zone; a dangling or claimed delegation makes it unsafe.
void check_parent(ProvisionPlan& p, const Profile& profile, const ProvisionOptions& opts);

// The plan as contract.md's plan document plus its steps (what apply --plan runs).
nlohmann::json plan_document(const ProvisionPlan& p);
ProvisionPlan plan_from_document(const nlohmann::json& doc);
// `forced`: --force was given, so an unsafe plan is not told to use it.
std::string plan_text_full(const ProvisionPlan& p, bool forced = false);

// The live records must still be each change's "before" (an SOA compared without its
// serial): UnsafeError naming the rrset otherwise.
void check_records_unchanged(const Plan& plan, const Zone& live);

enum class ApplyStatus { applied, unchanged };

// What an apply did (apply_document renders it as contract.md's apply document).
struct ApplyResult {
    ApplyStatus status = ApplyStatus::unchanged;
    std::optional<std::uint32_t> serial_before;
    SettleReport settle;
    std::optional<std::vector<Finding>> arrived_findings;  // B: the transferred zone's
    std::size_t steps_run = 0;
    std::string journal_id;                // "" when nothing was journaled
    std::vector<std::string> interrupted;  // earlier entries of the zone found interrupted
};

// Runs a plan's steps (refusing, exit 4, when it is unsafe without --force), reloads and
// expects an empty diff, then settles. With `check_before`, every step's "before" must
// still hold (apply --plan).
ApplyResult apply_steps(const ProvisionPlan& p, const Spec* spec, const Profile& profile,
                        const ProvisionOptions& opts, bool check_before);
nlohmann::json apply_document(const ProvisionPlan& p, const ApplyResult& r);
// apply_steps, rendered.
nlohmann::json apply_plan(const ProvisionPlan& p, const Spec* spec, const Profile& profile,
                          const ProvisionOptions& opts, bool check_before);

}  // namespace zonegen
