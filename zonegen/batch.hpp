// batch: many specs in one call, each planned, applied or generated independently with
// bounded concurrency; one JSON line per domain as it finishes, then a summary (verify: with
// what each of our servers serves across the domains).
#pragma once

#include <string>
#include <vector>

#include "zonegen/journal.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/provision.hpp"
#include "zonegen/verify.hpp"

namespace zonegen {

struct BatchOptions {
    std::vector<std::string> inputs;  // spec files, directories, a YAML list, or "-" (JSON Lines)
    std::string action = "plan";      // generate | plan | apply | verify
    int jobs = 4;
    bool yes = false;
    std::string write_zones;  // generate: one zone file per domain in this directory
    JournalConfig journal;    // apply: the journal of changes (journal_config); path "": none
    ProvisionOptions provision;
    VerifyOptions verify;  // verify: the options of every domain's verify
};

// Runs the batch, printing JSON lines on stdout. Returns the exit code: 0 when every
// domain succeeded, else the highest code any domain had.
int run_batch(const BatchOptions& opts, const Profile& profile);

}  // namespace zonegen
