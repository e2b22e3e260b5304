// The zone-file target (backends/file_target.cpp), registered in backends/targets.cpp.
#pragma once

#include <memory>
#include <string>

#include "zonegen/target.hpp"

namespace zonegen {

// A master file holding one whole pattern-A zone.
std::unique_ptr<Target> make_file_target(const std::string& path, const ProvisionOptions& opts);

}  // namespace zonegen
