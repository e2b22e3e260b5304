// Zone sources, one abstraction for every command: a zone file (path), "pdns:[ZONE]" (our
// PowerDNS), or "axfr://HOST[:PORT]/ZONE". Each loads into the same model.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backends/axfr.hpp"
#include "zonegen/customer_networks.hpp"
#include "zonegen/finding.hpp"
#include "zonegen/location.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

struct SourceOptions {
    // --origin / the spec's domain: the zone the source must be. A zone file whose leading
    // $ORIGIN names another zone is refused (InputError).
    std::optional<Name> origin;
    std::optional<Name> fallback_origin;  // when the source names no zone itself (diff's NEW)
    std::string allow_include;            // zone files
    std::string pdns_url, pdns_server_id = "localhost", api_key_file;  // pdns:
    std::optional<TsigKey> tsig;                                       // axfr://
    int timeout_s = 10;  // axfr://: the whole transfer
    // axfr://: the profile's caps (zone_transfer), and for a server a customer named, the
    // network boundary it must pass (checked before any packet is sent) and the spec key or
    // argument a refusal names.
    std::size_t max_records = 200000, max_bytes = 64u << 20;
    std::optional<CustomerNetworks> customer_networks;
    std::string customer_key;
    std::function<void(const std::string&)> trace;
    // pdns: tenancy (zonegen/tenancy.hpp): the zone must be this account's (exit 4 otherwise);
    // in the control panel's mode an account is required and a zone without one refused.
    std::optional<std::string> account;
    bool control_panel = false;
};

struct LoadedZone {
    Zone zone;
    std::vector<Finding> findings;  // syntax problems of a file, unparsable PowerDNS content
};

// Loads the zone at `source`, a location (zonegen/location.hpp). Throws InputError
// (unreadable file), UsageError (bad source) or BackendError (PowerDNS or the AXFR peer
// failed, or the zone is not there).
LoadedZone load_zone_source(const std::string& source, const SourceOptions& opts);

}  // namespace zonegen
