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
                int timeout_ms, bool dnssec = false);

struct DnsQuestion {
    std::string address;
    std::uint16_t port = 53;
    Name name;
    RRType type = 0;
    bool dnssec = false;  // the DO bit: the answer carries the RRSIGs
};

// What bounds a run of queries against servers that may be hostile or dead.
struct QueryBudget {
    int timeout_ms = 2000;    // one query (UDP, and TCP when truncated)
    int deadline_ms = 30000;  // all of them, from the call
    int in_flight = 8;        // queries at once
    int give_up_after = 3;    // a server that left this many in a row unanswered is asked no more
};

// Asks every question, at most `in_flight` at once, each bounded by the time left before the
// deadline. A server that stopped answering (`give_up_after` unanswered in a row) and any
// question left when the deadline comes are not sent. The answers are in the questions'
// order; one not sent or not answered has `answered == false`.
std::vector<DnsAnswer> query_all(const std::vector<DnsQuestion>& questions,
                                 const QueryBudget& budget);

}  // namespace zonegen
