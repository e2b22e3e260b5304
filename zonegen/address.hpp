// IP addresses and endpoints in canonical text form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zonegen/name.hpp"

namespace zonegen {

// The canonical form (RFC 5952 for IPv6), or nullopt when `s` is not an address of that family.
std::optional<std::string> canonical_ipv4(std::string_view s);
std::optional<std::string> canonical_ipv6(std::string_view s);

// What makes an address useless for a server the Internet reaches: "loopback", "unspecified",
// "multicast" or "link-local" (IPv4 and IPv6, an IPv4-mapped IPv6 address by its IPv4 part),
// IPv4's broadcast 255.255.255.255 and reserved 240.0.0.0/4, IPv6's discard-only 100::/64;
// or nullptr for any other address, and for text that is not an address.
const char* special_address(std::string_view address);

struct Endpoint {
    std::string address;  // canonical
    bool ipv6 = false;
    std::optional<std::uint16_t> port;
    // "ADDR", "ADDR:PORT" or "[ADDR]:PORT" (PowerDNS's `masters` form).
    std::string to_string() const;
};

// Parses "ADDRESS", "ADDRESS:PORT" or "[IPV6]:PORT"; nullopt when it does not parse.
std::optional<Endpoint> parse_endpoint(std::string_view s, std::string* why = nullptr);

// A host and its addresses (a managed server, a name server).
struct HostAddrs {
    Name name;
    std::vector<std::string> ipv4, ipv6;  // canonical

    // Every address, IPv4 first.
    std::vector<std::string> addresses() const {
        std::vector<std::string> v = ipv4;
        v.insert(v.end(), ipv6.begin(), ipv6.end());
        return v;
    }
};

}  // namespace zonegen
