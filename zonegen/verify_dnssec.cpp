#include "zonegen/verify_dnssec.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "backends/dnssec_ds.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/rdata.hpp"

namespace zonegen {

namespace {

// "53490 13 2 d436..." with the digest in upper case, as ds_of_dnskey writes it.
std::string ds_text(const std::string& wire) {
    std::string t = rdata_text(rrtype::DS, wire);
    std::string out;
    for (char c : t) {
        if (c == ' ' && out.size() > 0 && std::count(out.begin(), out.end(), ' ') >= 3) continue;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

int digest_type_of(const std::string& text) {
    std::istringstream in(text);
    int tag = 0, alg = 0, type = 0;
    in >> tag >> alg >> type;
    return type;
}

}  // namespace

DsMatch match_ds(const Name& zone, const std::vector<std::string>& ds,
                 const std::vector<std::string>& dnskeys) {
    DsMatch m;
    for (const auto& wire : ds) {
        std::string want = ds_text(wire);
        bool found = false;
        for (const auto& key : dnskeys) {
            try {
                found |= ds_of_dnskey(zone, rdata_text(rrtype::DNSKEY, key), digest_type_of(want))
                             .to_string() == want;
            } catch (const InputError&) {
                // a digest type ldns does not compute, or a key that does not parse: no match
            }
        }
        (found ? m.ours : m.foreign).push_back(want);
    }
    return m;
}

}  // namespace zonegen
