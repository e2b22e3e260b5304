// Which addresses a customer may name: the network trust boundary. An address from a spec
// (customer_primary, the addresses of customer_nameservers, an import_from axfr:// host) or,
// in the control panel's mode, from a command line (verify --old-server, an axfr:// source)
// is refused when it is not on the public Internet (loopback, private, link-local,
// multicast, the other special-purpose ranges of IANA's registries) or is one of ours (our
// name servers, the PowerDNS API hosts), unless the profile's allowed_customer_networks
// lists it. Our own DNS and API endpoints (address and port) are refused always.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zonegen {

struct Profile;
struct Spec;

// An IPv4 or IPv6 network, "ADDRESS/PREFIX" (a bare address is a /32 or /128).
struct Cidr {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first four
    int prefix = 0;
    // Whether `address` (canonical text or not) is inside; an IPv4-mapped IPv6 address
    // (::ffff:a.b.c.d) is matched as its IPv4 address.
    bool contains(std::string_view address) const;
    std::string to_string() const;  // canonical
};

// Parses a CIDR; nullopt (with `why`) for a bad address or prefix, or host bits set.
std::optional<Cidr> parse_cidr(std::string_view text, std::string* why = nullptr);

// What keeps an address off the public Internet ("loopback", "private (RFC 1918)", ...), or
// nullptr for a public address. The documentation ranges (192.0.2.0/24, 198.51.100.0/24,
// 203.0.113.0/24, 2001:db8::/32) count as public: the examples use them.
const char* non_public_kind(std::string_view address);

class CustomerNetworks {
  public:
    explicit CustomerNetworks(const Profile& profile);

    // Why a customer may not name ADDRESS (with PORT, when known), or nullopt when it may.
    std::optional<std::string> refusal(const std::string& address,
                                       std::optional<std::uint16_t> port) const;
    // Throws InputError "WHERE: ADDR[:PORT] is ...: ..." when refused; sends nothing.
    void check(const std::string& address, std::optional<std::uint16_t> port,
               const std::string& where) const;
    // Resolves HOST once (an address is taken as it is), checks the address and returns it:
    // the caller connects to that address, never to the name again. Throws InputError when
    // refused, BackendError when the name does not resolve.
    std::string resolve_checked(const std::string& host, std::uint16_t port,
                                const std::string& where) const;

  private:
    struct Ours {
        std::string address;
        std::optional<std::uint16_t> port;  // the service's port (DNS, API)
        std::string what;                   // "our name server ns1.example.net."
    };
    std::vector<Cidr> allowed_;
    std::vector<Ours> ours_;
};

// Checks every address the spec names (customer_primary, the addresses of
// customer_nameservers, an import_from axfr:// host written as an address) against the
// profile. Throws InputError naming the spec key. A host name in import_from is resolved and
// checked where the transfer starts (see SourceOptions::customer_key).
void check_customer_addresses(const Spec& spec, const Profile& profile);

}  // namespace zonegen
