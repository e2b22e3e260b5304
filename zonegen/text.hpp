// Small pieces of the texts zonegen prints for people: a name as people write it, a list.
#pragma once

#include <string>
#include <vector>

#include "zonegen/name.hpp"

namespace zonegen {

// The name without its trailing root dot ("example.com"); the root stays ".".
std::string bare(const Name& n);
// The strings of `v` with `sep` between them.
std::string join(const std::vector<std::string>& v, const std::string& sep);

}  // namespace zonegen
