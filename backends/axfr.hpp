// Zone transfers (AXFR, optionally TSIG-signed) with ldns, streamed into a Zone.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "zonegen/secret.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

// What an axfr://HOST[:PORT]/ZONE location names (zonegen/location.hpp), and the address
// HOST resolved to.
struct AxfrSource {
    std::string host;     // as given
    std::string address;  // resolved IP
    std::uint16_t port = 53;
    Name zone;
};

struct TsigKey {
    Name name;
    std::string algorithm;  // hmac-sha256 ...
    SecretString secret;    // base64; never printed, wiped
};

// What bounds one transfer from a server we do not control.
struct AxfrLimits {
    int timeout_s = 10;  // the whole transfer: connecting, the query, every message
    std::size_t max_records = 200000;
    std::size_t max_bytes = 64u << 20;  // on the wire, length prefixes included
    // A server a customer named: a failure without any DNS answer (refused, reset, silence,
    // bytes that are not DNS) waits out the timeout too, so that neither the message nor the
    // time tells a closed port from an open one.
    bool uniform_failure = false;
};

// Transfers the zone (ldns builds and parses every message; this reads them under one
// deadline). Throws BackendError naming the cause: refused, not authoritative, TSIG failure,
// no DNS answer, the deadline, a cap, or a stream that ends before the closing SOA.
Zone axfr_zone(const AxfrSource& src, const std::optional<TsigKey>& tsig, const AxfrLimits& limits,
               const std::function<void(const std::string&)>& trace);

}  // namespace zonegen
