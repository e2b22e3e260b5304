// A pattern-A zone's signing on our PowerDNS primary, as one plan step ("dnssec"): its state
// as the step compares it, the step that makes what the spec wants, and its run. Private to
// backends/pdns_target.cpp.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "backends/dnssec_ds.hpp"
#include "backends/pdns.hpp"
#include "zonegen/dnssec.hpp"
#include "zonegen/target.hpp"

namespace zonegen {

// The zone's signing as it is: {"signed": false}, or {"signed": true, "keys": ["csk
// ECDSAP256SHA256"], "nsec3param": "1 0 0 -" ("" NSEC), "soa_edit": ..., "api_rectify": bool}
// from the zone's document and its active keys. null for an absent zone.
nlohmann::json pdns_dnssec_state(const std::optional<nlohmann::json>& zone_doc,
                                 const std::vector<PdnsClient::CryptoKey>& keys);

// The step that brings `before` to what `want` asks for; nullopt when it is so already. A
// zone signed already keeps its keys (no algorithm rollover); a new key is one CSK. `keys`,
// the zone's keys as they are, name the requests that delete them.
std::optional<PlanStep> pdns_dnssec_step(const PdnsClient& client, const Name& zone,
                                         const nlohmann::json& before, const DnssecIntent& want,
                                         const std::vector<PdnsClient::CryptoKey>& keys);

// Runs the step: keys created or deleted, the zone's settings, rectify, and the SOA serial
// moved on so that the secondaries transfer the zone as it is now served.
void pdns_run_dnssec(PdnsClient& client, const Name& zone, const PlanStep& step);

// A plan file's "dnssec" step: only what zonegen itself would write (InputError otherwise).
void pdns_check_dnssec_step(const PlanStep& step);

// The DS records (SHA-256) of the keys PowerDNS signs `zone` with, for the registrar: each
// active key with the SEP flag (a CSK or KSK), computed by ldns from its DNSKEY. The zone's
// account is checked as any other request's (tenancy); a zone absent or not signed there is
// an UnsafeError (nothing to give the registrar yet).
std::vector<DsRecord> pdns_served_ds(PdnsClient& client, const Name& zone,
                                     const std::optional<std::string>& account, bool control_panel);

}  // namespace zonegen
