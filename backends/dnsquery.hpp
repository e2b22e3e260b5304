// DNS queries to one server (ldns does the wire work): no recursion, bounded timeouts,
// UDP with TCP fallback on truncation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "zonegen/name.hpp"

namespace zonegen {

struct SoaAnswer {
    bool answered = false;       // any answer within the timeout
    bool authoritative = false;  // AA set and NOERROR
    std::string rcode;           // "NOERROR", "REFUSED"... or "" without an answer
    std::optional<std::uint32_t> serial;
};

SoaAnswer query_soa(const std::string& address, std::uint16_t port, const Name& zone,
                    int timeout_ms);

}  // namespace zonegen
