// The old web and mail hosts of an existing zone, as a migration to the managed server sees
// them: an MX that points at a mail service elsewhere (never replaced silently), and the
// records that point at the hosts being replaced (pop, smtp, imap, ftp, mta-sts...), which
// move to the managed server with them. Pure functions of the old zone, the spec and the
// profile; pattern A's migration (migrate.hpp) and the customer's zone for B and C
// (customer_zone.hpp) both use them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "zonegen/finding.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

// Why a record changes, in English (JSON, zone comments) and Japanese (instructions).
struct Reason {
    std::string en, ja;
};

// The targets of the apex MX outside the domain (a mail service elsewhere: Google, Microsoft,
// a relay); the null MX and the managed server's own name are not among them.
std::vector<Name> external_mx_targets(const Spec& spec, const Zone& old);
// The error mx-external when mail is a service, the old MX points outside the domain and
// the spec does not say replace_external_mx: true.
std::optional<Finding> mx_external_finding(const Spec& spec, const Zone& old);
// True when the old apex MX gives way to the managed server's.
bool mail_moves(const Spec& spec, const Zone& old);

// True when only the spec's `records:` (no template, not the apex NS) make the rrset `key`:
// in a migrated zone such an rrset adds to the imported one (a CAA beside the customer's)
// rather than replacing it; a CNAME replaces.
bool from_records_only(const Spec& spec, const Profile& profile, const RRKey& key);
// True when a `records:` entry of `key` gives its own ttl.
bool records_ttl(const Spec& spec, const RRKey& key);
// The union of two sorted rdata lists, sorted.
std::vector<std::string> merged_rdata(const std::vector<std::string>& a,
                                      const std::vector<std::string>& b);

// One rrset that points at an old host being replaced, and what it becomes.
struct HostMove {
    Name owner;
    RRType type = 0;
    std::vector<std::string> after;  // wire rdata; empty: the rrset goes
    Reason reason;
};

// The rrsets of `old` that point at the old web or mail hosts being replaced, outside the
// names the templates set: A/AAAA at an address of the old apex/www (web moves) or of the
// old MX targets (mail moves), A/AAAA at the old hosting's service names (pop, imap, smtp
// with the mail; ftp, mta-sts with the web), and CNAMEs to an old host's name outside the
// zone. Each such name gets the managed server's addresses (A and AAAA), a CNAME the
// server's name. Never touched: the apex, the zone's own name servers (NS targets, the SOA
// MNAME), delegations and their glue, and an address still used by a service that stays.
std::vector<HostMove> old_host_moves(const Spec& spec, const Profile& profile, const Zone& old);

}  // namespace zonegen
