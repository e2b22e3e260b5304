// The customer's primary for pattern B: what BIND, NSD, Knot and PowerDNS need so that our
// secondary transfers the zone and receives its NOTIFY. Two texts per server: a complete
// configuration for a zone the customer sets up new, and the additions for a zone its
// primary already serves (entries added beside the ones there, never a block that would
// replace them and drop the customer's other secondaries). With a TSIG key, the key alone
// allows the transfer (our address without the key is refused); the key's secret is never
// printed, only a placeholder the customer fills in.
#pragma once

#include <string>
#include <vector>

#include "zonegen/name.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/wording.hpp"

namespace zonegen {

struct Snippet {
    std::string server;  // BIND, NSD, Knot, PowerDNS
    std::string text;
};

// A complete configuration for a zone the customer's primary does not serve yet; the
// comments and placeholders in `w`'s words (primary.*).
std::vector<Snippet> primary_config(const Spec& spec, const Profile& profile, const Wording& w);

// What to add to the configuration of a zone the customer's primary already serves.
std::vector<Snippet> primary_config_additions(const Spec& spec, const Profile& profile,
                                              const Wording& w);

// Knot's ids for our secondary, one pair per zone so that many zones' snippets coexist
// in one knot.conf: "managed-secondary-<zone>" (the remote NOTIFY goes to) and
// "managed-secondary-xfr-<zone>" (the acl that allows the transfer), the zone without its
// final dot. Dots stay: "foo-co.jp" and "foo.co.jp" get different ids.
std::string knot_remote_id(const Name& zone);
std::string knot_acl_id(const Name& zone);

}  // namespace zonegen
