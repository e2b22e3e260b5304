// plan and apply: what is live at a target (PowerDNS or a zone file) against what the spec
// wants, the safety limits, and the steps that make it so. Every step is idempotent, so a
// re-run after a failure completes what was left.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/diff.hpp"
#include "zonegen/domain_control.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/migrate.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"

namespace zonegen {

struct ProvisionOptions {
    std::string target = "pdns:";  // "pdns:", "pdns:ZONE", or a zone file path
    std::string pdns_url;          // overrides the profile's pdns.url
    std::string api_key_file;      // else $PDNS_API_KEY
    bool full = false;             // the zone is fully managed: delete what the spec does not make
    bool force = false;            // override the safety limits
    int wait_transfer = -1;        // B: seconds to require a transfer; -1: not required
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
};

struct ProvisionPlan {
    std::string target;  // what was planned against, as given
    std::string server;  // PowerDNS URL, or the file path
    bool file_target = false;
    Name zone;
    Pattern pattern = Pattern::A;
    bool exists = false;
    std::string kind_before, kind_after;  // PowerDNS kinds; "" when absent or a file
    std::vector<std::string> masters_before, masters_after;
    bool delete_zone = false;
    // A: a Master zone without a single rrset, not even an SOA: what PowerDNS leaves when it
    // stops between creating a zone and committing its records. Apply deletes and creates it.
    bool empty_shell = false;
    Plan plan;  // rrset changes
    std::size_t existing_rrsets = 0;
    nlohmann::json create_body;          // the POST body when the zone is created
    std::optional<std::string> unsafe;   // why the safety limits refuse it
    std::optional<Migration> migration;  // with import_from: what was kept, replaced, dropped
    // The zone as it will be, checked as generate checks it: warnings, and errors that are
    // already live (errors the change would introduce refuse the plan instead).
    std::vector<Finding> findings;
    // Tenancy (zonegen/tenancy.hpp): the zone's account on PowerDNS before and after the plan
    // ("" for none; after: the spec's, else the live one kept).
    std::string account_before, account_after;
    // Pattern B's TSIG key, server-wide on PowerDNS: what apply does to it. The secret is
    // compared in memory and never kept: a plan says only whether it changes.
    struct TsigKeyStep {
        Name name;
        std::string algorithm;
        // The secret's file beneath the profile's secrets_dir, or beneath `secrets_dir`, the
        // spec's directory, when the profile sets none (spec_paths.hpp).
        std::string secret_file, secrets_dir;
        std::string action;            // create | update | none
        std::string algorithm_before;  // the live key's, "" when absent
        bool secret_changed = false;   // the live secret differs from the file's
    };
    std::optional<TsigKeyStep> tsig_key;
    // B: the keys the Slave zone transfers with (PowerDNS's slave_tsig_key_ids).
    std::vector<std::string> zone_keys_before, zone_keys_after;
    // A creation or deletion on our servers: how the parent delegates the zone, and the
    // verdict (domain_control.hpp).
    std::optional<DomainControl> delegation;
    bool account_changes() const;
    // The PowerDNS zone document the plan was made from (never saved in a plan file): an
    // apply right after the plan starts from it instead of reading the zone again.
    std::shared_ptr<const nlohmann::json> live_doc;
    bool has_changes() const;
};

// The desired zone of a spec: build_desired, or with import_from the imported zone
// migrated (the source loaded from a file, our PowerDNS or AXFR).
Desired desired_for(const Spec& spec, const Profile& profile, const GenerateOptions& go,
                    const ProvisionOptions& opts, Migration* migration);

ProvisionPlan make_plan(const Spec& spec, const Profile& profile, const ProvisionOptions& opts);

// The plan as contract.md's plan document, plus the zone-level steps and what apply
// --plan needs to apply exactly this.
nlohmann::json plan_document(const ProvisionPlan& p);
ProvisionPlan plan_from_document(const nlohmann::json& doc);
// `forced`: --force was given, so an unsafe plan is not told to use it.
std::string plan_text_full(const ProvisionPlan& p, bool forced = false);

// Applies a plan (refusing, exit 4, when it is unsafe without --force). With
// `check_before`, the live state must still match the plan's "before" (apply --plan).
// Returns the apply document of contract.md.
nlohmann::json apply_plan(const ProvisionPlan& p, const Spec* spec, const Profile& profile,
                          const ProvisionOptions& opts, bool check_before);

}  // namespace zonegen
