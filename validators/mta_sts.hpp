// MTA-STS (RFC 8461): a policy kept while mail moves to the managed server. The policy file
// (https://mta-sts.<domain>/.well-known/mta-sts.txt) lists the MX hosts senders may deliver
// to; kept as it is, it names the old ones, and a sender that enforces it refuses the new.
//
// mta-sts-syntax: the _mta-sts TXT record itself (RFC 8461 section 3.1).
#pragma once

#include <string>
#include <vector>

#include "zonegen/finding.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

// mta-sts-stale (warning): `zone` holds a v=STSv1 record at _mta-sts while mail is a service
// of the spec (it moves to the managed server), other than the one zonegen publishes for the
// zone's MX hosts when `profile` names an MTA-STS policy host (mail_policy.hpp). Says what
// to update.
std::vector<Finding> check_mta_sts(const Zone& zone, const Spec& spec,
                                   const Profile* profile = nullptr);

// Problems of a v=STSv1 text (none when fine): v=STSv1 first and followed by ';', one id= of
// 1-32 letters and digits, the other fields valid extensions.
std::vector<std::string> mta_sts_problems(const std::string& text);

}  // namespace zonegen
