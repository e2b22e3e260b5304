// A failure as the JSON document contract.md gives every command under --format json:
// {"error": {"kind": "invalid"|"usage"|"input"|"backend"|"unsafe", "message": "...",
//            "findings": [...]}}  (findings only for "invalid").
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "zonegen/errors.hpp"

namespace zonegen {

// The whole document. A batch line carries the same "error" member beside its own fields.
nlohmann::json error_json(const Error& e);

}  // namespace zonegen
