// The profile's keys for the records that get mail delivered (mail_policy.hpp): mail.dmarc,
// mail.mta_sts, mail.autoconfig, and caa. Parsed apart from profile.cpp's other groups.
#pragma once

#include <string>

#include "zonegen/profile.hpp"
#include "zonegen/yaml_util.hpp"

namespace zonegen {

// mail.dmarc, mail.mta_sts and mail.autoconfig of the `mail:` mapping `m`.
void parse_mail_policy(yamlx::Map& m, const std::string& src, Profile& p);
// The top-level `caa:` mapping.
void parse_caa(yamlx::Map& top, const std::string& src, Profile& p);

// True when `uri` is a report URI DMARC and TLS-RPT accept: mailto:ADDRESS (with DMARC's
// optional !SIZE) or https://HOST/...
bool report_uri_ok(const std::string& uri, bool allow_size);

}  // namespace zonegen
