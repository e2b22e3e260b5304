#include "zonegen/dnssec.hpp"

#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"

namespace zonegen {

const std::vector<std::string>& dnssec_algorithms() {
    // RSASHA256 only to match an old provider's keys for a multi-signer move (RFC 8901).
    static const std::vector<std::string> names = {"ECDSAP256SHA256", "ED25519", "RSASHA256"};
    return names;
}

int dnssec_algorithm_number(const std::string& name) {
    if (name == "ECDSAP256SHA256") return 13;
    if (name == "ED25519") return 15;
    if (name == "RSASHA256") return 8;
    return 0;
}

std::optional<DnssecIntent> dnssec_intent(const Spec& spec, const Profile& profile) {
    if (spec.pattern != Pattern::A) return std::nullopt;
    DnssecIntent d;
    d.sign = spec.dnssec.value_or(profile.dnssec.sign);
    d.algorithm = profile.dnssec.algorithm;
    // A multi-signer move: both signers use the old provider's algorithm (RFC 8901 section 9).
    if (spec.multi_signer && !spec.old_dnskeys.empty()) {
        int alg = static_cast<unsigned char>(spec.old_dnskeys.front()[3]);
        d.algorithm = alg == 8 ? "RSASHA256" : alg == 15 ? "ED25519" : "ECDSAP256SHA256";
    }
    d.nsec3 = profile.dnssec.nsec3;
    return d;
}

}  // namespace zonegen
