// DKIM key records (RFC 6376 section 3.6.1, RFC 8463): the TXT at <selector>._domainkey
// names that hold a key (v=DKIM1, or a p= tag). dkim-syntax: the tag list; dkim-key-invalid:
// p= that is no key of its k= type (a key cut short); dkim-key-weak and dkim-key-short: RSA
// under 1024 bits (verifiers refuse it, RFC 8301 section 3.2) and under 2048. An empty p=
// (a revoked key) is fine.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "validators/checks.hpp"

namespace zonegen {

// One problem with a DKIM key record: the check id and what to say.
using DkimProblem = std::pair<std::string, std::string>;

// The problems of one DKIM key record's text.
std::vector<DkimProblem> dkim_problems(const std::string& text);

// The DKIM checks over `txt`, the zone's TXT rrsets.
void check_dkim(const std::vector<const RRset*>& txt, const ValidateOptions& opts,
                std::vector<Finding>& out);

}  // namespace zonegen
