// Mail checks: SPF (RFC 7208) and DMARC (RFC 7489) records.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "validators/checks.hpp"

namespace zonegen {

// The terms of an SPF text, lower-cased.
std::set<std::string> spf_terms_lower(const std::string& spf);

struct SpfSyntax {
    std::vector<std::string> errors;  // grammar problems
    std::vector<Name> includes;       // include: and redirect= targets
    int lookups = 0;                  // terms that cost a DNS lookup, this record alone
};
SpfSyntax parse_spf(const std::string& spf);

// Problems of a DMARC text ("" when fine).
std::vector<std::string> dmarc_problems(const std::string& text);

// The SPF and DMARC checks over `txt`, the zone's TXT rrsets.
void check_mail(const Zone& zone, const std::vector<const RRset*>& txt, const ValidateOptions& opts,
                std::vector<Finding>& out);

}  // namespace zonegen
