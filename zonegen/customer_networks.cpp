#include "zonegen/customer_networks.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <charconv>
#include <cstring>

#include "zonegen/address.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/location.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen {
namespace {

using Bytes = std::array<std::uint8_t, 16>;

// ADDRESS as bytes; an IPv4-mapped IPv6 address becomes its IPv4 address.
std::optional<std::pair<bool, Bytes>> address_bytes(std::string_view text) {
    std::string s(text.substr(0, 64));
    Bytes b{};
    in_addr a4{};
    if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
        std::memcpy(b.data(), &a4, 4);
        return std::pair{false, b};
    }
    in6_addr a6{};
    if (inet_pton(AF_INET6, s.c_str(), &a6) != 1) return std::nullopt;
    if (IN6_IS_ADDR_V4MAPPED(&a6)) {
        std::memcpy(b.data(), a6.s6_addr + 12, 4);
        return std::pair{false, b};
    }
    std::memcpy(b.data(), a6.s6_addr, 16);
    return std::pair{true, b};
}

bool prefix_match(const Bytes& a, const Bytes& net, int prefix) {
    int full = prefix / 8, rest = prefix % 8;
    if (std::memcmp(a.data(), net.data(), static_cast<std::size_t>(full)) != 0) return false;
    if (rest == 0) return true;
    auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (a[static_cast<std::size_t>(full)] & mask) ==
           (net[static_cast<std::size_t>(full)] & mask);
}

struct Range {
    const char* net;
    int prefix;
    const char* kind;
};

// IANA's IPv4 Special-Purpose Address Registry, less the documentation ranges and the
// entries that are globally reachable (AS112, AMT).
const Range kV4[] = {
    {"0.0.0.0", 8, "an unspecified (0.0.0.0/8, \"this network\")"},
    {"10.0.0.0", 8, "a private (RFC 1918)"},
    {"100.64.0.0", 10, "a shared (100.64.0.0/10, carrier-grade NAT)"},
    {"127.0.0.0", 8, "a loopback"},
    {"169.254.0.0", 16, "a link-local"},
    {"172.16.0.0", 12, "a private (RFC 1918)"},
    {"192.0.0.0", 24, "a special-purpose (192.0.0.0/24, IETF protocol assignments)"},
    {"192.88.99.0", 24, "a special-purpose (192.88.99.0/24, 6to4 relay anycast)"},
    {"192.168.0.0", 16, "a private (RFC 1918)"},
    {"198.18.0.0", 15, "a special-purpose (198.18.0.0/15, benchmarking)"},
    {"224.0.0.0", 4, "a multicast"},
    {"240.0.0.0", 4, "a reserved (240.0.0.0/4, broadcast included)"},
};

// IANA's IPv6 Special-Purpose Address Registry (less 2001:db8::/32), and everything outside
// the global unicast space 2000::/3. IPv4-mapped, NAT64 and 6to4 addresses are judged by the
// IPv4 address inside them.
const Range kV6[] = {
    {"::", 128, "an unspecified"},
    {"::1", 128, "a loopback"},
    {"64:ff9b:1::", 48, "a special-purpose (64:ff9b:1::/48, local-use NAT64)"},
    {"::", 8, "a reserved (::/8, IPv4-compatible included)"},
    {"100::", 64, "a discard-only (100::/64)"},
    {"2001::", 23, "a special-purpose (2001::/23, IETF protocol assignments, Teredo included)"},
    {"fc00::", 7, "a unique local (fc00::/7, private)"},
    {"fe80::", 10, "a link-local"},
    {"fec0::", 10, "a site-local (fec0::/10, deprecated)"},
    {"ff00::", 8, "a multicast"},
};

Bytes net_bytes(const char* text, bool v6) {
    Bytes b{};
    inet_pton(v6 ? AF_INET6 : AF_INET, text, b.data());
    return b;
}

const char* v4_kind(const Bytes& b) {
    for (const auto& r : kV4)
        if (prefix_match(b, net_bytes(r.net, false), r.prefix)) return r.kind;
    return nullptr;
}

const char* v6_kind(const Bytes& b) {
    static const Bytes nat64 = net_bytes("64:ff9b::", true),
                       six_to_four = net_bytes("2002::", true);
    Bytes inner{};
    if (prefix_match(b, nat64, 96)) {
        std::memcpy(inner.data(), b.data() + 12, 4);
        return v4_kind(inner);
    }
    if (prefix_match(b, six_to_four, 16)) {
        std::memcpy(inner.data(), b.data() + 2, 4);
        return v4_kind(inner);
    }
    for (const auto& r : kV6)
        if (prefix_match(b, net_bytes(r.net, true), r.prefix)) return r.kind;
    if ((b[0] & 0xe0) != 0x20) return "a reserved (outside 2000::/3, the global unicast space)";
    return nullptr;
}

// The canonical text of an address, an IPv4-mapped IPv6 address as its IPv4 address.
std::string normal(const std::string& address) {
    auto ab = address_bytes(address);
    if (!ab) return address;
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(ab->first ? AF_INET6 : AF_INET, ab->second.data(), buf, sizeof buf);
    return buf;
}

// The host and port of "scheme://host[:port]/...", "[v6]" hosts included.
std::optional<std::pair<std::string, std::uint16_t>> url_host_port(const std::string& url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return std::nullopt;
    std::uint16_t port = url.compare(0, scheme_end, "https") == 0 ? 443 : 80;
    std::string hostport = url.substr(scheme_end + 3);
    hostport = hostport.substr(0, hostport.find_first_of("/?#"));
    hostport =
        hostport.substr(hostport.find('@') == std::string::npos ? 0 : hostport.find('@') + 1);
    std::string host = hostport, rest;
    if (!hostport.empty() && hostport.front() == '[') {
        auto close = hostport.find(']');
        if (close == std::string::npos) return std::nullopt;
        host = hostport.substr(1, close - 1);
        rest = hostport.substr(close + 1);
    } else if (auto colon = hostport.find(':'); colon != std::string::npos) {
        host = hostport.substr(0, colon);
        rest = hostport.substr(colon);
    }
    if (rest.size() > 1 && rest.front() == ':') {
        unsigned p = 0;
        auto r = std::from_chars(rest.data() + 1, rest.data() + rest.size(), p);
        if (r.ec == std::errc() && p > 0 && p <= 65535) port = static_cast<std::uint16_t>(p);
    }
    if (host.empty()) return std::nullopt;
    return std::pair{host, port};
}

// Every address HOST stands for: itself when it is one, else what the system resolves.
std::vector<std::string> addresses_of(const std::string& host) {
    if (address_bytes(host)) return {normal(host)};
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    std::vector<std::string> out;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0) return out;
    for (addrinfo* p = res; p; p = p->ai_next) {
        char buf[NI_MAXHOST];
        if (getnameinfo(p->ai_addr, p->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) ==
            0)
            out.push_back(normal(buf));
    }
    freeaddrinfo(res);
    return out;
}

std::string shown(const std::string& address, std::optional<std::uint16_t> port) {
    if (!port) return address;
    bool v6 = address.find(':') != std::string::npos;
    return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(*port);
}

}  // namespace

bool Cidr::contains(std::string_view address) const {
    auto ab = address_bytes(address);
    return ab && ab->first == v6 && prefix_match(ab->second, bytes, prefix);
}

std::string Cidr::to_string() const {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
    return std::string(buf) + "/" + std::to_string(prefix);
}

std::optional<Cidr> parse_cidr(std::string_view text, std::string* why) {
    auto fail = [&](const char* w) -> std::optional<Cidr> {
        if (why) *why = w;
        return std::nullopt;
    };
    auto slash = text.find('/');
    std::string addr(text.substr(0, slash));
    Cidr c;
    if (canonical_ipv4(addr)) {
        inet_pton(AF_INET, addr.c_str(), c.bytes.data());
    } else if (canonical_ipv6(addr)) {
        inet_pton(AF_INET6, addr.c_str(), c.bytes.data());
        c.v6 = true;
    } else {
        return fail("not an IPv4 or IPv6 network (ADDRESS/PREFIX, as 127.0.0.0/8)");
    }
    int max = c.v6 ? 128 : 32;
    c.prefix = max;
    if (slash != std::string_view::npos) {
        auto p = text.substr(slash + 1);
        auto r = std::from_chars(p.data(), p.data() + p.size(), c.prefix);
        if (p.empty() || r.ec != std::errc() || r.ptr != p.data() + p.size() || c.prefix < 0 ||
            c.prefix > max)
            return fail(c.v6 ? "the prefix length must be 0 to 128"
                             : "the prefix length must be 0 to 32");
    }
    Bytes masked{};
    for (int i = 0; i < c.prefix; ++i)
        masked[static_cast<std::size_t>(i / 8)] |=
            static_cast<std::uint8_t>(c.bytes[static_cast<std::size_t>(i / 8)] & (0x80 >> (i % 8)));
    if (masked != c.bytes)
        return fail("host bits are set after the prefix (write the network's first address)");
    return c;
}

const char* non_public_kind(std::string_view address) {
    auto ab = address_bytes(address);
    if (!ab) return nullptr;
    return ab->first ? v6_kind(ab->second) : v4_kind(ab->second);
}

CustomerNetworks::CustomerNetworks(const Profile& profile) {
    for (const auto& text : profile.allowed_customer_networks)
        if (auto c = parse_cidr(text)) allowed_.push_back(*c);
    for (const auto& ns : profile.nameservers) {
        std::string what = "our name server " + ns.name.to_string();
        for (const auto* list : {&ns.ipv4, &ns.ipv6})
            for (const auto& a : *list) {
                ours_.push_back({normal(a), std::nullopt, what});
                ours_.push_back({normal(a), ns.dns_port, what + "'s DNS service"});
            }
    }
    auto api = [&](const std::string& url, const std::string& what) {
        if (auto hp = url_host_port(url))
            for (const auto& a : addresses_of(hp->first)) {
                ours_.push_back({a, std::nullopt, "the host of " + what});
                ours_.push_back({a, hp->second, what});
            }
    };
    if (!profile.pdns_url.empty()) api(profile.pdns_url, "our PowerDNS API (pdns.url)");
    for (const auto& ns : profile.nameservers)
        if (!ns.api_url.empty())
            api(ns.api_url, "the PowerDNS API of our name server " + ns.name.to_string());
}

std::optional<std::string> CustomerNetworks::refusal(const std::string& address,
                                                     std::optional<std::uint16_t> port) const {
    std::string a = normal(address);
    if (!address_bytes(a)) return "is not an IP address";
    for (const auto& o : ours_)
        if (o.port && port && *o.port == *port && o.address == a)
            return "is " + o.what + ": a customer may never name our own servers";
    for (const auto& c : allowed_)
        if (c.contains(a)) return std::nullopt;
    const std::string tail =
        ": a customer may name only public addresses (the profile's "
        "allowed_customer_networks lists the exceptions)";
    if (const char* kind = non_public_kind(a)) return "is " + std::string(kind) + " address" + tail;
    for (const auto& o : ours_)
        if (!o.port && o.address == a) return "is the address of " + o.what + tail;
    return std::nullopt;
}

void CustomerNetworks::check(const std::string& address, std::optional<std::uint16_t> port,
                             const std::string& where) const {
    if (auto why = refusal(address, port))
        throw InputError(where + ": " + printable(shown(address, port)) + " " + *why);
}

std::string CustomerNetworks::resolve_checked(const std::string& host, std::uint16_t port,
                                              const std::string& where) const {
    std::string address;
    if (address_bytes(host)) {
        address = host;
    } else {
        auto all = addresses_of(host);
        if (all.empty())
            throw BackendError(where + ": cannot resolve the host name " + printable(host));
        address = all.front();
    }
    check(address, port, where);
    return address;
}

namespace {

bool loopback(const std::string& address) {
    auto ab = address_bytes(address);
    if (!ab) return false;
    static const Bytes v6_loopback = net_bytes("::1", true);
    return ab->first ? ab->second == v6_loopback : ab->second[0] == 127;
}

// customer_primary at an address of one of our name servers, whatever its port and whatever
// allowed_customer_networks lists: our secondary would transfer the customer's zone from our
// own host. Loopback alone is let through: name servers on loopback are a test bench, where
// every server shares the host and the port tells them apart (our DNS port stays refused).
void check_primary_not_ours(const Spec& spec, const Profile& profile, const std::string& src) {
    for (std::size_t i = 0; i < spec.customer_primary.size(); ++i) {
        const Endpoint& e = spec.customer_primary[i];
        const std::string a = normal(e.address);
        if (loopback(a)) continue;
        for (const auto& ns : profile.nameservers)
            for (const auto* list : {&ns.ipv4, &ns.ipv6})
                for (const auto& ours : *list)
                    if (normal(ours) == a)
                        throw InputError(
                            src + "'customer_primary[" + std::to_string(i) +
                            "]': " + printable(shown(a, e.port)) +
                            " is the address of our name server " + ns.name.to_string() +
                            ": give the address of the customer's own primary (our secondary "
                            "transfers the zone from it)");
    }
}

}  // namespace

void check_customer_addresses(const Spec& spec, const Profile& profile) {
    const bool axfr = location_kind(spec.import_from) == LocationKind::axfr;
    bool any = !spec.customer_primary.empty() || axfr;
    for (const auto& ns : spec.customer_nameservers) any |= !ns.ipv4.empty() || !ns.ipv6.empty();
    if (!any) return;
    const CustomerNetworks nets(profile);
    const std::string src = printable(spec.source) + ": ";
    check_primary_not_ours(spec, profile, src);
    for (std::size_t i = 0; i < spec.customer_primary.size(); ++i) {
        const Endpoint& e = spec.customer_primary[i];
        nets.check(e.address, e.port.value_or(53),
                   src + "'customer_primary[" + std::to_string(i) + "]'");
    }
    for (std::size_t i = 0; i < spec.customer_nameservers.size(); ++i) {
        const HostAddrs& ns = spec.customer_nameservers[i];
        std::string key = "customer_nameservers[" + std::to_string(i) + "]";
        for (std::size_t j = 0; j < ns.ipv4.size(); ++j)
            nets.check(ns.ipv4[j], 53, src + "'" + key + ".ipv4[" + std::to_string(j) + "]'");
        for (std::size_t j = 0; j < ns.ipv6.size(); ++j)
            nets.check(ns.ipv6[j], 53, src + "'" + key + ".ipv6[" + std::to_string(j) + "]'");
    }
    if (axfr) {
        const Location a = Location::parse(spec.import_from);
        if (address_bytes(a.host)) nets.check(a.host, a.port, src + "'import_from'");
    }
}

}  // namespace zonegen
