// One DNS question to one server over a connected socket (ldns builds and reads the
// messages): a server nothing listens on, or one with no route to it, fails at once — the
// ICMP error reaches a connected socket, where an unconnected one (ldns's own transport)
// would wait out its timeout — and a silent one fails after the timeout. UDP with EDNS0,
// TCP when the answer is truncated. Says why when there is no answer.
#pragma once

#include <cstdint>
#include <string>

#include "backends/dnsquery.hpp"
#include "zonegen/name.hpp"
#include "zonegen/rdata.hpp"

namespace zonegen {

struct AskResult {
    DnsAnswer answer;        // answer.answered: a DNS message came back (any rcode)
    std::string error;       // why not, when !answer.answered ("connection refused", "no answer
                             // within 2000 ms"...)
    bool timed_out = false;  // silent: the timeout passed (not refused, not unreachable)
};

// `recursion_desired`: the RD bit (a resolver's question; a parent server is asked without).
AskResult ask_server(const std::string& address, std::uint16_t port, const Name& name, RRType type,
                     bool recursion_desired, int timeout_ms);

}  // namespace zonegen
