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

// What one check concluded. `unknown`: it could not tell (not asked, no answer).
enum class CheckStatus { ok, problem, unknown };
const char* to_string(CheckStatus s);  // "ok" | "problem" | "unknown"

// The checks, in the order they run (see the table in verify.cpp).
enum class VerifyCheckId { our_servers, delegation, old_server };
const char* to_string(VerifyCheckId id);  // "our-servers" | "delegation" | "old-server"

struct VerifyCheck {
    VerifyCheckId id = VerifyCheckId::our_servers;
    CheckStatus status = CheckStatus::unknown;
    std::string message;
    std::vector<std::string> evidence;  // which server answered what
};

// Where the switch stands, and so what is safe to do next.
enum class Verdict {
    not_ready,       // not switched yet, and our servers are not ready
    ready,           // not switched yet, and our servers are ready
    parallel,        // switched; the old server must keep answering until safe_after
    safe_to_cancel,  // switched, and the parallel period is over
};

// What one of our name servers showed for the zone (our-servers; `lame` from delegation).
struct ServerState {
    Name name;                            // the profile's name for it
    bool serves = false;                  // answered authoritatively with the zone's SOA
    std::optional<std::uint32_t> serial;  // the serial it serves
    bool lagging = false;                 // serves a serial behind the highest of ours (RFC 1982)
    bool lame = false;  // the parent delegates to it, and it does not serve the zone
};

struct VerifyResult {
    Verdict verdict = Verdict::not_ready;
    std::vector<VerifyCheck> checks;
    std::vector<ServerState> servers;  // ours for the pattern (A: all; B: its secondary; C: none)
    bool delegation_switched = false;
    std::optional<std::time_t> switched_at, safe_after;
    std::uint32_t longest_ttl = 0;
    bool problem() const;  // a check is a problem: exit 1
    // Every server of ours for the pattern serves the zone, all at one serial (C: false).
    bool in_sync() const;
    const VerifyCheck* find(VerifyCheckId id) const;
};

VerifyResult verify_switch(const Spec& spec, const Profile& profile, const VerifyOptions& opts);

// "2026-11-01T10:00:00Z", "2026-11-01" or seconds since the epoch. Throws std::invalid_argument.
std::time_t parse_time(const std::string& s);
std::string format_time(std::time_t t);

// The verdict's one line: "ready to switch", "switched, parallel operation until <time>"...
std::string verdict_text(const VerifyResult& r);
// The renderers (verify_render.cpp).
nlohmann::json verify_json(const VerifyResult& r);
std::string verify_text(const VerifyResult& r);

}  // namespace zonegen
