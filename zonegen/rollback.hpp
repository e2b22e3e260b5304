// rollback: the plan that brings a zone back to its state right after a journal entry,
// undoing every later change (zonegen/journal.hpp). It is an ordinary plan — the same
// review (`--out`, `apply --plan`), the same safety limits and `--force` — whose steps
// restore what the journal says each later entry found. A change made outside zonegen since
// (the live state is not what the last entry left) is a conflict, exit 4, named. Keys (TSIG)
// are never touched, and the serial only moves forward.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/provision.hpp"

namespace zonegen {

// `entries`: the zone's journal entries, oldest first (Journal::entries). `to`: the entry to
// return to (its state right after it); none: undo the last entry. UsageError (exit 2) for
// an unknown id or nothing to undo; UnsafeError (exit 4) for a conflict or an apply still in
// flight.
ProvisionPlan make_rollback_plan(const Name& zone, const std::vector<nlohmann::json>& entries,
                                 const std::optional<std::string>& to, const Profile& profile,
                                 const ProvisionOptions& opts);

}  // namespace zonegen
