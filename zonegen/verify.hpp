// verify: live checks of the switch. Queries our servers, the parent zone's servers and
// the old server (ldns, no recursion, bounded timeouts) and says plainly what is safe to
// do next.
#pragma once

#include <ctime>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "backends/dnsquery.hpp"
#include "zonegen/address.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"

namespace zonegen {

struct VerifyOptions {
    std::optional<Endpoint> old_server, parent_server;
    std::string state_file;                  // remembers when the new delegation was first seen
    std::optional<std::time_t> switched_at;  // overrides the state file
    int timeout_ms = 2000;                   // one query
    int deadline_ms = 30000;  // every query of the run, asked in parallel (8 at a time)
    std::time_t now = 0;
    std::function<void(const std::string&)> trace;
    // Asks every question of the run (the answers in the questions' order). Empty: the real
    // servers, through query_all; the unit tests put a fake DNS world here.
    std::function<std::vector<DnsAnswer>(const std::vector<DnsQuestion>&, const QueryBudget&)> ask;
};

struct VerifyCheck {
    std::string id;
    std::string status;  // ok | problem | unknown
    std::string message;
    std::vector<std::string> evidence;  // which server answered what
};

struct VerifyResult {
    std::string verdict;
    std::vector<VerifyCheck> checks;
    bool delegation_switched = false;
    std::optional<std::time_t> switched_at, safe_after;
    std::uint32_t longest_ttl = 0;
    bool problem() const;
};

VerifyResult verify_switch(const Spec& spec, const Profile& profile, const VerifyOptions& opts);

// "2026-11-01T10:00:00Z", "2026-11-01" or seconds since the epoch. Throws std::invalid_argument.
std::time_t parse_time(const std::string& s);
std::string format_time(std::time_t t);

nlohmann::json verify_json(const VerifyResult& r);
std::string verify_text(const VerifyResult& r);

}  // namespace zonegen
