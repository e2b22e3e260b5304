// Mail checks: SPF (RFC 7208) and DMARC (RFC 7489) records.
#pragma once

#include <string>
#include <vector>

#include "validators/checks.hpp"

namespace zonegen {

// Problems of a DMARC text ("" when fine).
std::vector<std::string> dmarc_problems(const std::string& text);

// The SPF and DMARC checks over `txt`, the zone's TXT rrsets.
void check_mail(const std::vector<const RRset*>& txt, const ValidateOptions& opts,
                std::vector<Finding>& out);

}  // namespace zonegen
