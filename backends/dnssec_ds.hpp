// The DS a parent publishes for a zone's key (RFC 4034 section 5), computed by ldns from the
// DNSKEY as served: what the registrar is given and what verify compares the parent's DS with.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "zonegen/name.hpp"

namespace zonegen {

struct DsRecord {
    int key_tag = 0;
    int algorithm = 0;
    int digest_type = 2;  // SHA-256 (RFC 4509), what every registrar takes
    std::string digest;   // upper-case hex, as registrars' forms show it
    std::string dnskey;   // the key it points at ("257 3 13 base64"): some registrars ask for it
    std::string to_string() const;  // "53490 13 2 D436D8FD..."
};

// The DS of `dnskey` ("257 3 13 base64...") at `zone` with SHA-256, `dnskey` kept beside it. Throws
// InputError for a DNSKEY that does not parse.
// `digest_type` 1 (SHA-1) and 4 (SHA-384) too, to compare with a parent's DS of those.
DsRecord ds_of_dnskey(const Name& zone, const std::string& dnskey, int digest_type = 2);

// The fields of a DS's wire rdata (RFC 4034 5.1: key tag, algorithm, digest type, digest), the
// digest in upper-case hex and no DNSKEY; nullopt when it is too short to hold a digest.
std::optional<DsRecord> ds_of_wire(std::string_view wire);

// The key tag of a DNSKEY (RFC 4034 appendix B); InputError as above.
int dnskey_key_tag(const Name& zone, const std::string& dnskey);

}  // namespace zonegen
