// Zone checks: a table of checks, each with a stable id and a severity, that report
// findings about a Zone. The same checks run on a generated zone, a zone file, a PowerDNS
// zone and a transferred zone. A check that finds a problem still "succeeds": findings are
// values, and validation never stops at the first one.
#pragma once

#include <string_view>
#include <vector>

#include "zonegen/finding.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

struct CheckInfo {
    std::string_view id;
    Severity severity;
    std::string_view summary;
};

// Every check id zonegen can report, with its severity (for the README and `validate --list`).
const std::vector<CheckInfo>& check_table();
const CheckInfo& check_info(std::string_view id);

struct ValidateOptions {
    // B and C output: the records the customer adds to its own zone, so no SOA or apex NS
    // set to check, and names outside the fragment may exist in the customer's zone.
    bool fragment = false;
    const Spec* spec = nullptr;        // with a spec: the pattern's own rules too
    const Profile* profile = nullptr;  // needed with a spec
    std::string file;                  // source file named in findings
};

std::vector<Finding> validate_zone(const Zone& zone, const ValidateOptions& opts);

// Makes a finding of check `id` with the table's severity.
Finding make_finding(std::string_view id, const Name* owner, std::optional<RRType> type,
                     std::string message, int line = 0);

}  // namespace zonegen
