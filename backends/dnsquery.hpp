// DNS queries to one server (ldns does the wire work): no recursion, bounded timeouts,
// UDP with TCP fallback on truncation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zonegen/name.hpp"
#include "zonegen/rdata.hpp"

namespace zonegen {

struct SoaAnswer {
    bool answered = false;       // any answer within the timeout
    bool authoritative = false;  // AA set and NOERROR
    std::string rcode;           // "NOERROR", "REFUSED"... or "" without an answer
    std::optional<std::uint32_t> serial;
};

SoaAnswer query_soa(const std::string& address, std::uint16_t port, const Name& zone,
                    int timeout_ms);

struct DnsRecord {
    Name owner;
    RRType type = 0;
    std::uint32_t ttl = 0;
    std::string rdata;  // canonical wire
};

struct DnsAnswer {
    bool answered = false;
    std::string rcode;  // "" without an answer
    bool aa = false;
    std::vector<DnsRecord> answer, authority, additional;
    // The rdata of `type` at `owner` in the answer section, sorted.
    std::vector<std::string> rdata(const Name& owner, RRType type) const;
};

// Reads a DNS message in wire form (an answer, or one message of an AXFR stream): every
// record of every section. `answered` is false when the bytes are not a DNS message.
DnsAnswer parse_dns_message(std::string_view wire);

// One non-recursive query (UDP, TCP when truncated), bounded by `timeout_ms`.
DnsAnswer query(const std::string& address, std::uint16_t port, const Name& name, RRType type,
                int timeout_ms);

}  // namespace zonegen
