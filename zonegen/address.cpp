#include "zonegen/address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace zonegen {

std::optional<std::string> canonical_ipv4(std::string_view s) {
    if (s.empty() || s.size() > 15) return std::nullopt;
    std::string str(s);
    in_addr a{};
    if (inet_pton(AF_INET, str.c_str(), &a) != 1) return std::nullopt;
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a, buf, sizeof buf);
    return std::string(buf);
}

std::optional<std::string> canonical_ipv6(std::string_view s) {
    if (s.empty() || s.size() > 45) return std::nullopt;
    std::string str(s);
    in6_addr a{};
    if (inet_pton(AF_INET6, str.c_str(), &a) != 1) return std::nullopt;
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &a, buf, sizeof buf);
    return std::string(buf);
}

namespace {

const char* special_ipv4(const unsigned char* b) {
    if (b[0] == 127) return "loopback";
    if (b[0] == 0) return "unspecified";  // 0.0.0.0/8, "this network" (RFC 1122)
    if (b[0] >= 224 && b[0] <= 239) return "multicast";
    if (b[0] == 169 && b[1] == 254) return "link-local";
    if (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255) return "the broadcast address";
    if (b[0] >= 240) return "reserved (240.0.0.0/4)";
    return nullptr;
}

}  // namespace

const char* special_address(std::string_view address) {
    std::string str(address.substr(0, 64));
    in_addr a4{};
    if (inet_pton(AF_INET, str.c_str(), &a4) == 1)
        return special_ipv4(reinterpret_cast<const unsigned char*>(&a4));
    in6_addr a6{};
    if (inet_pton(AF_INET6, str.c_str(), &a6) != 1) return nullptr;
    if (IN6_IS_ADDR_V4MAPPED(&a6)) return special_ipv4(a6.s6_addr + 12);
    if (IN6_IS_ADDR_LOOPBACK(&a6)) return "loopback";
    if (IN6_IS_ADDR_UNSPECIFIED(&a6)) return "unspecified";
    if (IN6_IS_ADDR_MULTICAST(&a6)) return "multicast";
    if (IN6_IS_ADDR_LINKLOCAL(&a6)) return "link-local";
    static const unsigned char discard[8] = {0x01, 0x00, 0, 0, 0, 0, 0, 0};  // 100::/64
    if (std::memcmp(a6.s6_addr, discard, sizeof discard) == 0) return "discard-only (100::/64)";
    return nullptr;
}

std::string Endpoint::to_string() const {
    if (!port) return address;
    if (ipv6) return "[" + address + "]:" + std::to_string(*port);
    return address + ":" + std::to_string(*port);
}

std::optional<Endpoint> parse_endpoint(std::string_view s, std::string* why) {
    auto fail = [&](const char* w) -> std::optional<Endpoint> {
        if (why) *why = w;
        return std::nullopt;
    };
    auto parse_port = [&](std::string_view p, std::optional<std::uint16_t>& out) {
        unsigned v = 0;
        auto r = std::from_chars(p.data(), p.data() + p.size(), v);
        if (r.ec != std::errc() || r.ptr != p.data() + p.size() || v == 0 || v > 65535)
            return false;
        out = static_cast<std::uint16_t>(v);
        return true;
    };
    Endpoint e;
    if (!s.empty() && s.front() == '[') {
        auto close = s.find(']');
        if (close == std::string_view::npos) return fail("missing ']'");
        auto a = canonical_ipv6(s.substr(1, close - 1));
        if (!a) return fail("not an IPv6 address inside [...]");
        e.address = *a;
        e.ipv6 = true;
        auto rest = s.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':' || !parse_port(rest.substr(1), e.port))
                return fail("bad port (1-65535)");
        }
        return e;
    }
    if (auto a = canonical_ipv6(s)) {
        e.address = *a;
        e.ipv6 = true;
        return e;
    }
    auto colon = s.find(':');
    auto host = s.substr(0, colon);
    auto a = canonical_ipv4(host);
    if (!a)
        return fail("not an IP address (a host name is not accepted: give the primary's address)");
    e.address = *a;
    if (colon != std::string_view::npos && !parse_port(s.substr(colon + 1), e.port))
        return fail("bad port (1-65535)");
    return e;
}

}  // namespace zonegen
