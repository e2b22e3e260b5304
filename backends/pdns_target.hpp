// The PowerDNS target (backends/pdns_target.cpp), registered in backends/targets.cpp.
#pragma once

#include <memory>

#include "zonegen/target.hpp"

namespace zonegen {

// Pattern B's zone lives on our pattern-B secondary's API (else the primary's); A and C on
// the primary's (--pdns-url, else the profile's).
std::unique_ptr<Target> make_pdns_target(Pattern pattern, const Profile& profile,
                                         const ProvisionOptions& opts);

}  // namespace zonegen
