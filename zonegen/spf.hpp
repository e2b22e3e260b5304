// SPF (RFC 7208): the one place that knows what an SPF text is — which TXT is one, its
// terms, its grammar — and how zonegen merges the managed server into one (never a second
// v=spf1 at a name).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "zonegen/address.hpp"
#include "zonegen/name.hpp"

namespace zonegen {

// True for TXT wire rdata whose strings concatenated start with "v=spf1" (RFC 7208 4.5).
bool is_spf(std::string_view rdata);
// The same of TXT's text (its strings joined).
bool is_spf_text(std::string_view text);

// The space-separated terms of an SPF text.
std::vector<std::string> spf_terms(const std::string& spf);
// The terms of an SPF text, lower-cased.
std::set<std::string> spf_terms_lower(const std::string& spf);

// The SPF terms that authorise the server: "ip4:192.0.2.10 ip6:2001:db8::10".
std::string spf_server_terms(const HostAddrs& server);
// The server's terms ("ip4:ADDR", "ip6:ADDR") that `spf` does not authorise, neither as the
// term nor as "+term"; all of them for an empty `spf`.
std::vector<std::string> spf_missing_server_terms(const std::string& spf, const HostAddrs& server);

// The senders an SPF text authorises, as terms to merge into another SPF: every term but
// v=spf1, the all mechanism (any qualifier), redirect= and exp=.
std::string spf_sender_terms(const std::string& spf);
// The terms to merge into a customer's existing SPF where zonegen wants the TXT rdata
// `want`: its SPF's senders (the server's, and those records: gave), else the server's.
std::string spf_terms_to_merge(const std::vector<std::string>& want, const HostAddrs& server);

// Merges `terms` into an existing SPF text right after "v=spf1", skipping those present.
std::string merge_spf(const std::string& spf, const std::string& terms);
// The same for TXT wire rdata: its strings joined, `terms` merged, back to TXT wire.
std::string merge_spf_wire(const std::string& rdata, const std::string& terms);
// Merges `terms` into the first v=spf1 among TXT wire rdata (the others unchanged); false,
// and nothing changed, when there is none.
bool merge_first_spf(std::vector<std::string>& txt_rdata, const std::string& terms);

// An SPF text against RFC 7208's grammar.
struct SpfSyntax {
    std::vector<std::string> errors;  // grammar problems
    std::vector<Name> includes;       // include: and redirect= targets
    int lookups = 0;                  // terms that cost a DNS lookup, this record alone
};
SpfSyntax parse_spf(const std::string& spf);

}  // namespace zonegen
