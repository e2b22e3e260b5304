#include "zonegen/verify_dnssec.hpp"

#include <algorithm>

#include "backends/dnssec_ds.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/rdata.hpp"

namespace zonegen {

namespace {

// Whether `ds` points at the DNSKEY `key` (wire) of `zone`: ldns computes the key's DS with the
// DS's own digest type.
bool points_at(const Name& zone, const DsRecord& ds, const std::string& key) {
    try {
        DsRecord k = ds_of_dnskey(zone, rdata_text(rrtype::DNSKEY, key), ds.digest_type);
        return k.key_tag == ds.key_tag && k.algorithm == ds.algorithm && k.digest == ds.digest;
    } catch (const InputError&) {
        return false;  // a digest type ldns does not compute, or a key that does not parse
    }
}

}  // namespace

DsMatch match_ds(const Name& zone, const std::vector<std::string>& ds,
                 const std::vector<std::string>& dnskeys) {
    DsMatch m;
    for (const auto& wire : ds) {
        auto parsed = ds_of_wire(wire);
        if (!parsed) {
            m.foreign.push_back(rdata_text(rrtype::DS, wire));
            continue;
        }
        bool found = std::any_of(dnskeys.begin(), dnskeys.end(),
                                 [&](const auto& key) { return points_at(zone, *parsed, key); });
        (found ? m.ours : m.foreign).push_back(parsed->to_string());
    }
    return m;
}

}  // namespace zonegen
