// Zone transfers (AXFR, optionally TSIG-signed) with ldns, streamed into a Zone.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "zonegen/secret.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

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

// Parses "axfr://HOST[:PORT]/ZONE" ("[V6]:PORT" for IPv6). Throws UsageError.
AxfrSource parse_axfr_url(const std::string& url);

// Transfers the zone. Throws BackendError naming the cause: refused, not authoritative,
// TSIG failure, timeout, connection refused, or a stream that ends before the closing SOA.
Zone axfr_zone(const AxfrSource& src, const std::optional<TsigKey>& tsig, int timeout_s,
               const std::function<void(const std::string&)>& trace);

}  // namespace zonegen
