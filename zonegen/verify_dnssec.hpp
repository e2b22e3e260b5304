// verify's DNSSEC: the parent's DS records against the DNSKEYs our servers serve.
#pragma once

#include <string>
#include <vector>

#include "zonegen/name.hpp"

namespace zonegen {

struct DsMatch {
    std::vector<std::string> ours;     // DS records ("53490 13 2 D436...") of a key we serve
    std::vector<std::string> foreign;  // DS records of no key we serve (the old provider's)
};

// Sorts the parent's DS records (wire rdata) by whether they point at one of `dnskeys` (wire
// rdata, as our servers serve them), digest computed by ldns with each DS's digest type.
DsMatch match_ds(const Name& zone, const std::vector<std::string>& ds,
                 const std::vector<std::string>& dnskeys);

}  // namespace zonegen
