// `zonegen mail-setup SPEC`: what the provider's side needs for a customer domain's mail, as
// opposed to the records in the customer's zone (mail_policy.hpp): the DMARC report
// authorisation record for the report address's zone (RFC 7489 section 7.1) and the MTA-STS
// policy file the policy host serves (RFC 8461 section 3.2). Computed from the zone the spec
// makes; rendered apart.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/generate.hpp"
#include "zonegen/mail_policy.hpp"

namespace zonegen {

struct MailSetup {
    Name domain;
    std::string dmarc;                               // the DMARC record the zone holds ("" none)
    bool dmarc_ours = false;                         // zonegen's (else the customer's own, kept)
    std::vector<DmarcAuthorization> authorizations;  // for our report addresses
    std::optional<MtaStsPolicy> mta_sts;
    Name policy_host;  // mail.mta_sts.policy_host, when mta_sts
    std::vector<Finding> findings;
};

// From the zone `d` that the spec makes (desired_for: an import included).
MailSetup mail_setup(const Spec& spec, const Profile& profile, const Desired& d);

nlohmann::json mail_setup_json(const MailSetup& m);
std::string mail_setup_text(const MailSetup& m);

}  // namespace zonegen
