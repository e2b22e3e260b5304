// IP addresses and endpoints in canonical text form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zonegen {

// The canonical form (RFC 5952 for IPv6), or nullopt when `s` is not an address of that family.
std::optional<std::string> canonical_ipv4(std::string_view s);
std::optional<std::string> canonical_ipv6(std::string_view s);

struct Endpoint {
    std::string address;  // canonical
    bool ipv6 = false;
    std::optional<std::uint16_t> port;
    // "ADDR", "ADDR:PORT" or "[ADDR]:PORT" (PowerDNS's `masters` form).
    std::string to_string() const;
};

// Parses "ADDRESS", "ADDRESS:PORT" or "[IPV6]:PORT"; nullopt when it does not parse.
std::optional<Endpoint> parse_endpoint(std::string_view s, std::string* why = nullptr);

}  // namespace zonegen
