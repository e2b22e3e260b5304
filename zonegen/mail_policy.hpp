// The records that get a domain's mail delivered and its certificates issued, beyond the MX
// and SPF the templates make (issue 17): DMARC at _dmarc, CAA at the apex, MTA-STS
// (_mta-sts, mta-sts) with TLS-RPT (_smtp._tls), RFC 6186 SRV and the client
// autoconfiguration names. The profile drives them (profile.hpp: mail.dmarc, mail.mta_sts,
// mail.autoconfig, caa). Pure functions of the spec, the profile and the zone.
//
// DMARC and CAA are defaults: a customer who has their own (in the imported zone or in the
// spec's records:) keeps it, and the checks read theirs. The others are the managed
// server's and replace what was there.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/finding.hpp"
#include "zonegen/old_hosts.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

struct PolicyRRset {
    Name owner;
    RRType type = 0;
    std::vector<std::string> rdata;  // wire
    Reason reason;                   // why it goes into the zone (customer-facing)
    bool yields = false;             // a default: the customer's own rrset here wins
};

// The rrsets for `zone` (the spec's zone as built so far: its MX decides the MTA-STS
// policy). Names where `zone` already holds data the spec gave are left to the spec.
std::vector<PolicyRRset> mail_policy_rrsets(const Zone& zone, const Spec& spec,
                                            const Profile& profile, std::vector<Finding>& findings);

// True when `old` (the customer's rrset at a yielding key) is their own version of `ours`:
// any CAA set, or a TXT set holding a record of the same kind (v=DMARC1).
bool customer_has_own(const RRset& old, const PolicyRRset& ours);

// The MTA-STS policy file (RFC 8461 section 3.2) for the zone's MX hosts, and its id: the
// first 32 hex digits of the policy's SHA-256, so the id changes exactly when the policy does.
struct MtaStsPolicy {
    std::string mode;
    std::vector<std::string> mx;  // host names, no trailing dot
    std::uint32_t max_age = 0;
    std::string text;  // the file served at https://mta-sts.<domain>/.well-known/mta-sts.txt
    std::string id;
    std::string url;
};
// nullopt when the profile names no policy host or the spec's mail is not a service.
// `findings` gets mta-sts-mx-uncertified (a warning in testing mode, an error in enforce) and
// mta-sts-enforce-uncertified (enforce without a certificate for mta-sts.<domain>).
std::optional<MtaStsPolicy> mta_sts_policy(const Zone& zone, const Spec& spec,
                                           const Profile& profile, std::vector<Finding>* findings);

// RFC 7489 section 7.1: a report address outside the customer's domain needs the report
// domain's consent, the TXT "v=DMARC1" at <domain>._report._dmarc.<report domain> in the
// provider's zone (unless it publishes the wildcard: mail.dmarc.wildcard_authorization).
struct DmarcAuthorization {
    Name owner;
    std::string text = "v=DMARC1";
    std::string uri;  // the rua that needs it
};
std::vector<DmarcAuthorization> dmarc_authorizations(const Spec& spec, const Profile& profile);

// Names of `zone` served by someone else: an A or AAAA with an address that is not the
// managed server's, or a CNAME to a name that is neither in the zone nor the server (our name
// servers' own names and names at or below a delegation aside). Their certificates come from
// whoever serves them, so a CAA at the apex that permits only our CA would stop those.
std::vector<Name> foreign_hosts(const Zone& zone, const Spec& spec, const Profile& profile);
// caa-withheld (warning): the default CAA left out for `hosts`.
Finding caa_withheld(const Name& apex, const std::vector<Name>& hosts);

// The customer's alias at a default's name (a hosted DMARC service's CNAME at _dmarc) is
// their own: removes those defaults from `ours` before a migration (zone and policy).
void yield_to_aliases(std::vector<PolicyRRset>& policy, Zone& ours, const Zone& old);

// After a migration: removes the default CAA from `zone` (and says why) when the customer had
// none in `old` and the migrated zone has foreign hosts. True when it did.
bool withhold_caa(Zone& zone, const Zone& old, const Spec& spec, const Profile& profile,
                  std::vector<Finding>& findings);

// The DMARC record zonegen publishes for the spec ("" when none).
std::string dmarc_text(const Spec& spec, const Profile& profile);

}  // namespace zonegen
