// Signatures as our servers serve them: an RRSIG's fields, and whether it verifies (ldns)
// over its rrset with the zone's DNSKEYs at a given time. What verify checks of a zone we sign.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zonegen/name.hpp"
#include "zonegen/rdata.hpp"

namespace zonegen {

struct RrsigFields {
    RRType covered = 0;
    int algorithm = 0;
    int key_tag = 0;
    std::time_t inception = 0, expiration = 0;  // RFC 4034 3.1.5: seconds since the epoch
};

// The fields of an RRSIG's wire rdata; nullopt when it is too short to hold them.
std::optional<RrsigFields> parse_rrsig(std::string_view wire);

// Whether `rrsig` (wire) verifies over the rrset `owner` `type` (wire rdata, its TTL) with one
// of `dnskeys` (wire, the DNSKEY rrset at the apex of `zone`) at `now`: "" when it does, else
// ldns's reason ("Bogus DNSSEC signature", "DNSSEC signature has expired"...).
std::string rrsig_problem(const Name& zone, const Name& owner, RRType type, std::uint32_t ttl,
                          const std::vector<std::string>& rdata, const std::string& rrsig,
                          const std::vector<std::string>& dnskeys, std::time_t now);

}  // namespace zonegen
