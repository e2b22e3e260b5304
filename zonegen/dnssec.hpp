// DNSSEC of a pattern-A zone on our servers: what the spec and the profile ask for, in no
// server's words. PowerDNS signs (backends/pdns_target.cpp): one CSK, NSEC3 as RFC 9276
// recommends (or NSEC), SOA-EDIT INCEPTION-INCREMENT so that the serial moves when the
// signatures are renewed and our secondaries transfer the fresh ones.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace zonegen {

struct Spec;
struct Profile;

// RFC 9276 section 3.1: no extra iterations, no salt, opt-out off.
inline constexpr const char* kNsec3Param = "1 0 0 -";
// The serial a signed zone serves moves with the signatures' inception (weekly), so a
// secondary's refresh fetches the renewed signatures before the old ones expire.
inline constexpr const char* kSignedSoaEdit = "INCEPTION-INCREMENT";
// ...which needs a stored serial in YYYYMMDDnn that follows the date: PowerDNS's SOA-EDIT-API
// DEFAULT (an unsigned zone's INCREASE, one up per change, would fall behind the inception's
// serial and a change would then not move the served serial at all).
inline constexpr const char* kSignedSoaEditApi = "DEFAULT";

// The algorithms a profile may choose, as PowerDNS and RFC 8624 name them.
const std::vector<std::string>& dnssec_algorithms();
// The DNSKEY algorithm number of a name from that list (13 ECDSAP256SHA256, 15 ED25519,
// 8 RSASHA256); 0 for any other.
int dnssec_algorithm_number(const std::string& name);

// The zone's signing as the spec (dnssec:) or else the profile (dnssec.default) wants it.
struct DnssecIntent {
    bool sign = false;
    std::string algorithm;  // for a new key; a zone already signed keeps its keys
    bool nsec3 = true;      // false: NSEC
    std::string nsec3param() const { return nsec3 ? kNsec3Param : ""; }
};

// Pattern A only (B and C: the customer's primary signs, our secondary serves what it
// transfers); nullopt for the others.
std::optional<DnssecIntent> dnssec_intent(const Spec& spec, const Profile& profile);

}  // namespace zonegen
