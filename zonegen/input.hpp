// Reading the files zonegen is given (a spec, a profile, a zone file, a saved plan), or
// standard input for "-", with the errors a user can act on.
#pragma once

#include <cstddef>
#include <string>

namespace zonegen {

// Reads a whole file (or stdin for "-"); throws InputError when it cannot.
std::string read_input(const std::string& path, std::size_t max_bytes = 64u << 20);
// The first `max_bytes` of a file (less when shorter); throws InputError when unreadable.
std::string read_input_head(const std::string& path, std::size_t max_bytes);

}  // namespace zonegen
