// Where a zone lives and how it is changed: the Target interface. The generic chain in
// provision.cpp (desired zone -> diff -> safety limits -> steps -> writes -> reload and
// expect an empty diff -> settle) knows only this interface; each kind of server is one
// implementation in backends/ (pdns_target.cpp, file_target.cpp) registered in one place,
// backends/targets.cpp.
//
// A plan is one ordered list of steps. Each step is a description (what `plan` prints), the
// state of its subject before and after (what `apply --plan` checks and runs, what the
// journal keeps, what a rollback restores) and the requests it sends. Nothing outside the
// steps changes anything; NOTIFY and the waits for secondaries are the settle phase after
// the writes, described by the plan but never a pending change.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/diff.hpp"
#include "zonegen/dnssec.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

class Journal;

struct ProvisionOptions {
    std::string target = "pdns:";  // "pdns:", "pdns:ZONE", or a zone file path
    std::string pdns_url;          // overrides the profile's pdns.url
    std::string api_key_file;      // else $PDNS_API_KEY
    bool full = false;             // the zone is fully managed: delete what the spec does not make
    bool force = false;            // override the safety limits
    // batch --assume-new: the zone is created without reading it first; one that is there
    // after all (ZoneExistsError) is then read and planned as usual.
    bool assume_new = false;
    int wait_transfer = -1;  // B: seconds to require a transfer; -1: not required
    // B without --wait-transfer: how long a write waits for the first transfer before it
    // reports "pending" (batch: 0, not waited for).
    int brief_transfer_wait_s = 10;
    // A: seconds to wait until our secondaries serve the new serial; 0 asks them nothing
    // (batch's default: `verify` checks them later).
    int wait_secondaries = 10;
    std::optional<std::uint32_t> serial;
    int pdns_timeout_s = 30;         // connect and read timeouts of each API call
    int pdns_max_response_mb = 256;  // a larger PowerDNS answer is exit 3, never read whole
    // --parent-server: the parent zone's servers (else the profile's parent_servers).
    std::vector<Endpoint> parent_servers;
    std::function<void(const std::string&)> trace;
    // The journal of changes (journal.hpp) an apply with steps writes, and the command it
    // records; none: nothing is journaled.
    Journal* journal = nullptr;
    std::string journal_command = "apply";
};

// One change a plan makes, and the only way anything is changed.
struct PlanStep {
    // What it changes, unique in a plan: "zone", "records", "metadata ALSO-NOTIFY",
    // "secondary ns2.example.net.", "tsig-key xfr.example.co.jp.", "dnssec",
    // "catalog catalog.zonegen.invalid.", "file".
    std::string subject;
    std::string server;  // where it runs: the API's URL, or the file
    std::string text;    // the plan's description (one or more lines, no final newline)
    nlohmann::json before = nullptr;    // the subject as it is (null: absent)
    nlohmann::json after = nullptr;     // as the step leaves it (null: removed)
    std::vector<std::string> requests;  // what apply sends, in order: "PATCH URL"
    // It names a secret (a TSIG key's file): journaled without it, never rolled back.
    bool secret = false;
    // It writes the records' changes (the plan's "changes"): the journal keeps them with it.
    bool writes_records = false;
};

nlohmann::json step_json(const PlanStep& s);
PlanStep step_from_json(const nlohmann::json& j);  // InputError on a malformed step

enum class Role { absent, primary, secondary };
const char* to_string(Role r);

// A transfer key (pattern B's TSIG): its secret is read from the file when a step needs it.
struct TransferKey {
    Name name;
    std::string algorithm;
    // beneath the profile's secrets_dir, or beneath `secrets_dir` (the spec's directory)
    // when the profile sets none (spec_paths.hpp)
    std::string secret_file, secrets_dir;
};

// What the zone should be at a target, in no server's words.
struct ZoneIntent {
    Name zone;
    Pattern pattern = Pattern::A;
    Role role = Role::primary;
    Zone records{Name()};                     // primary: every record it serves
    std::vector<std::string> primaries;       // secondary: where it transfers from
    std::optional<TransferKey> transfer_key;  // secondary: the key it transfers with
    std::optional<std::string> account;       // tenancy: the spec's (none: the live one kept)
    std::optional<DnssecIntent> dnssec;       // primary (pattern A): its signing
    std::string source;                       // the spec's name, for messages
};

// What a target holds for the zone now.
struct LiveZone {
    bool exists = false;
    Role role = Role::absent;
    Zone records{Name()};  // what it serves as primary (a secondary's transferred copy is not ours)
    std::size_t rrsets = 0;
    std::string account;
    // A primary zone without a single record (what a creation interrupted between the zone
    // and its records leaves): recreated whole, nothing in it to lose.
    bool empty_shell = false;
    std::optional<std::uint32_t> serial;
};

// After the writes: what the servers did (the apply document's report).
struct SettleReport {
    std::optional<std::uint32_t> serial_after;
    std::vector<std::string> notified;
    std::optional<std::string> transfer;        // B: "ok" | "pending"
    std::optional<nlohmann::json> secondaries;  // A: [{name, serial, in_sync}]
    std::optional<nlohmann::json> primary;      // B: the customer's primary's answer
    std::optional<Zone> arrived;                // B: the zone as transferred, to check
};

class Target {
  public:
    virtual ~Target() = default;
    virtual std::string kind() const = 0;         // "powerdns" | "file"
    virtual std::string server() const = 0;       // the URL or the path
    virtual std::string description() const = 0;  // "PowerDNS http://..." | the path

    // Checks made before any request is sent (exit 2, nothing sent): tenancy rules of the
    // intent, secrets it names.
    virtual void precheck(const ZoneIntent&) {}
    // Reads the zone (and every setting a step could change). Throws UnsafeError for a zone
    // the intent may not touch (tenancy).
    virtual LiveZone load(const ZoneIntent& want) = 0;
    // As load(), for a zone taken to be absent without reading it (--assume-new): what else
    // load() reads (the catalog, other servers) is read all the same.
    virtual LiveZone assume_absent(const ZoneIntent& want) { return load(want); }
    // The steps that make `want` of what load() read; `records` is the generic diff of the
    // records (primary role), which the target writes as its records step (or with the
    // zone's creation).
    virtual std::vector<PlanStep> steps(const LiveZone& live, const ZoneIntent& want,
                                        const Plan& records) = 0;
    // What happens after the writes (NOTIFY, waits): said in the plan, never pending.
    virtual std::vector<std::string> settle_text(const ZoneIntent& want) const = 0;

    // apply --plan: the steps of a plan file, checked as any input (names inside the zone,
    // addresses, accounts, keys), then against what is live now: each step's "before" must
    // still hold (UnsafeError naming the subject otherwise). Returns the live zone.
    virtual LiveZone check_plan(const Name& zone, Pattern pattern,
                                const std::vector<PlanStep>& steps) = 0;
    // Runs one step; `records` is the plan's records diff, which the records step (or the
    // zone's creation with its records) writes.
    virtual void run(const Name& zone, const PlanStep& step, const Plan& records) = 0;
    // A rollback's step: brings `subject` from `now` (what the journal's last entry left) back
    // to `want` (what its first entry found); "records" writes the changes in `records`.
    virtual PlanStep restore_step(const Name& zone, const std::string& subject,
                                  const nlohmann::json& now, const nlohmann::json& want,
                                  const Plan& records) = 0;
    // The records served after the writes (the generic chain expects an empty diff).
    virtual Zone reload(const Name& zone) = 0;
    virtual SettleReport settle(const Name& zone, Pattern pattern, bool wrote,
                                const std::vector<PlanStep>& steps) = 0;
};

// The one place that turns a location string (--target) into a target: backends/targets.cpp
// ("pdns:..." PowerDNS; anything else a zone file's path).
std::unique_ptr<Target> make_target(const std::string& location, Pattern pattern,
                                    const Profile& profile, const ProvisionOptions& opts);

// Adds a target for locations starting with `prefix` (the unit tests' fake target; a
// plug-in's). Registered prefixes are tried before the zone-file default.
using TargetFactory =
    std::function<std::unique_ptr<Target>(const std::string& location, Pattern pattern,
                                          const Profile& profile, const ProvisionOptions& opts)>;
void register_target(const std::string& prefix, TargetFactory make);

}  // namespace zonegen
