// Writes a file atomically: the content goes to a temporary file beside the target, is
// flushed to disk, and only then renamed over it. A crash leaves the old file intact.
#pragma once

#include <string>

namespace zonegen {

// Writes `content` to `path` ("-" is standard output). Throws InputError on failure,
// leaving no temporary file behind.
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace zonegen
