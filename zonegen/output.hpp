// Standard output: JSON text that never throws, and a failed write that becomes exit 3.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace zonegen {

// A JSON document as text. Bytes that are not UTF-8 (a Shift-JIS spec, a file name in
// another encoding) become U+FFFD instead of nlohmann's type_error.316.
std::string dump_json(const nlohmann::json& j, int indent = -1);

// Flushes std::cout and stdio's stdout. Returns "" when everything written so far reached
// standard output, else what went wrong ("No space left on device").
std::string stdout_failure();

// What the command has already done to the world ("applied to pdns:example.co.jp."), said
// before a standard-output failure so that the exit 3 is not taken for "nothing happened".
void note_done(const std::string& what);
const std::string& done_note();

}  // namespace zonegen
