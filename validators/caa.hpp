// CAA (RFC 8659; the accounturi and validationmethods parameters of RFC 8657): may the
// certificate authorities of the managed server issue certificates for the names it serves?
// A pure function over a zone, the names and the CAs, so it applies to every zone zonegen
// makes or checks: a generated one, a migrated one, the customer's new zone for B and C.
//
// The relevant CAA set of a name is the first one found climbing from the name toward the
// zone's apex (RFC 8659 section 3), following a CNAME inside the zone; a CAA in another zone
// (a CNAME's target outside it, the parent above the apex, a child below a delegation) is
// not read. The names checked exist in the zone, so no wildcard ever answers for them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zonegen/finding.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

// A name in a certificate: `name`, or `*.name` for a wildcard certificate.
struct CertName {
    Name name;
    bool wildcard = false;
    friend bool operator==(const CertName&, const CertName&) = default;
    friend auto operator<=>(const CertName&, const CertName&) = default;
};

// One CAA property (RFC 8659 section 4.1): flags, tag (lower-cased: tags match without
// case), value.
struct CaaProperty {
    std::uint8_t flags = 0;
    std::string tag, value;
};
std::optional<CaaProperty> parse_caa(std::string_view wire);

// The value of an issue or issuewild property (RFC 8659 section 4.2): the issuer domain name
// ("" for ";", which permits no CA) and the parameters. `valid` is false when the value does
// not follow the grammar: CAs then ignore the property, so it permits no one.
struct CaaIssue {
    bool valid = false;
    std::string issuer;
    std::vector<std::pair<std::string, std::string>> parameters;  // tag, value (as written)
};
CaaIssue parse_caa_issue(std::string_view value);

// The relevant CAA rrset for `name` in `zone`, or nullptr when there is none up to the apex.
const RRset* relevant_caa(const Zone& zone, const Name& name);

// The names the managed server needs certificates for: the apex and www when web is a
// service, and every name of the zone whose A or AAAA is one of the server's addresses
// (the mail host when mail is a service, anything else pointing there; a wildcard owner
// asks for a wildcard certificate) or whose CNAME is the server's host name.
std::vector<CertName> certificate_names(const Zone& zone, const Spec& spec);

// caa-forbids-ca (error): a relevant CAA set that does not permit one of `cas` for some of
// `names`, with the property to add. caa-constrained (warning): one that permits a CA only
// with parameters (an ACME account, validation methods) the managed server must meet.
std::vector<Finding> check_caa(const Zone& zone, const std::vector<CertName>& names,
                               const std::vector<std::string>& cas);

// caa-syntax (warning) and caa-critical-unknown (error) over every CAA record of `zone`:
// a tag that is not 1-15 letters and digits, flags other than 0 and 128, an issue or
// issuewild value off RFC 8659's grammar, an iodef that is not a mailto: or http(s): URI
// (each a property CAs ignore: a warning); an unknown tag with the critical flag (no CA may
// issue below it: an error). Owners in `reported` (caa-forbids-ca already said so) get no
// caa-critical-unknown.
std::vector<Finding> check_caa_syntax(const Zone& zone, const std::vector<std::string>& reported);

}  // namespace zonegen
