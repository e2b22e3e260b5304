// The text of the mail policy TXT records (DMARC, RFC 7489; MTA-STS, RFC 8461; TLS-RPT,
// RFC 8460): a list of tag=value pairs after a version tag, and the report URIs they name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zonegen {

struct PolicyTag {
    std::string name, value;  // both without the white space around them
};

// Splits `text` at ';' into tags (empty parts, such as after a final ';', are skipped).
// A part without '=' is reported in `problems` and left out.
std::vector<PolicyTag> policy_tags(std::string_view text, std::vector<std::string>& problems);

// An extension field of MTA-STS or TLS-RPT (RFC 8461 section 3.1, RFC 8460 section 3): a
// name of 1-32 letters, digits, '_', '-' and '.' (starting with a letter or digit), a value
// of printable ASCII but ';' and '='.
bool extension_field(const PolicyTag& tag);

// The problems of an MTA-STS or TLS-RPT text's fields shared by both: `version` first, each
// field either a `known` one or an extension, none twice.
std::vector<std::string> versioned_fields_problems(const std::vector<PolicyTag>& tags,
                                                   std::string_view version,
                                                   const std::vector<std::string_view>& known);

// True when `text` is a record of `version` ("v=DMARC1"): it starts with it, followed by
// the end, white space or ';'. Receivers discard the others (RFC 7489 section 6.6.3,
// RFC 8461 section 3.1, RFC 8460 section 3).
bool has_version(std::string_view text, std::string_view version);

// A mailbox as the mailto: URIs of report addresses hold it: a dot-atom local part (or a
// quoted one) '@' a host name of at least two labels.
bool mail_address(std::string_view address);

// Why the report URI `uri` is not a mailto: with a valid address or an https: URI with a
// host ("" when it is fine). With `size_suffix`, a DMARC size limit "!10m" may follow
// (RFC 7489 section 6.2).
std::string report_uri_problem(std::string_view uri, bool size_suffix);

// The problems of a comma-separated list of report URIs, each prefixed with `tag`=.
std::vector<std::string> report_uris_problems(std::string_view tag, std::string_view list,
                                              bool size_suffix);

}  // namespace zonegen
