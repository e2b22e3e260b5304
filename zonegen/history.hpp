// `zonegen history ZONE`: the journal's entries for a zone (journal.hpp), as text or JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zonegen/journal.hpp"
#include "zonegen/name.hpp"

namespace zonegen {

// The zone as a user types it (case, trailing dot, U-labels). Throws UsageError.
Name history_zone(const std::string& text);

// The entries, oldest first, as a JSON list (Journal::entries' fields).
nlohmann::json history_json(const std::vector<nlohmann::json>& entries);

// One line per entry (id, time, status, command, who, target), then its steps indented;
// a line saying so when there is none.
std::string history_text(const std::vector<nlohmann::json>& entries, const Name& zone,
                         const std::string& journal_path);

}  // namespace zonegen
