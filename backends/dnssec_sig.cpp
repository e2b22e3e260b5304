#include "backends/dnssec_sig.hpp"

#include <memory>

#include "backends/ldns_ptr.hpp"

namespace zonegen {

namespace {

std::uint32_t u32(std::string_view w, std::size_t at) {
    auto b = [&](std::size_t i) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(w[at + i]));
    };
    return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

struct RrListFree {
    void operator()(ldns_rr_list* l) const { ldns_rr_list_deep_free(l); }
};
using LdnsRrList = std::unique_ptr<ldns_rr_list, RrListFree>;

// An ldns record from our wire rdata (ldns reads the rdata behind its 16-bit length).
ldns_rr* rr_of(const Name& owner, RRType type, std::uint32_t ttl, const std::string& rdata) {
    ldns_rr* rr = ldns_rr_new();
    if (!rr) return nullptr;
    ldns_rr_set_type(rr, static_cast<ldns_rr_type>(type));
    ldns_rdf* name = nullptr;
    if (ldns_str2rdf_dname(&name, owner.to_string().c_str()) != LDNS_STATUS_OK) {
        ldns_rr_free(rr);
        return nullptr;
    }
    ldns_rr_set_owner(rr, name);
    ldns_rr_set_ttl(rr, ttl);
    ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
    std::string wire;
    wire += static_cast<char>(rdata.size() >> 8);
    wire += static_cast<char>(rdata.size() & 0xff);
    wire += rdata;
    std::size_t pos = 0;
    if (ldns_wire2rdf(rr, reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size(), &pos) !=
        LDNS_STATUS_OK) {
        ldns_rr_free(rr);
        return nullptr;
    }
    return rr;
}

}  // namespace

std::optional<RrsigFields> parse_rrsig(std::string_view w) {
    if (w.size() < 18) return std::nullopt;
    RrsigFields f;
    f.covered = static_cast<RRType>(static_cast<unsigned char>(w[0]) << 8 |
                                    static_cast<unsigned char>(w[1]));
    f.algorithm = static_cast<unsigned char>(w[2]);
    f.expiration = static_cast<std::time_t>(u32(w, 8));
    f.inception = static_cast<std::time_t>(u32(w, 12));
    f.key_tag = static_cast<unsigned char>(w[16]) << 8 | static_cast<unsigned char>(w[17]);
    return f;
}

std::string rrsig_problem(const Name& zone, const Name& owner, RRType type, std::uint32_t ttl,
                          const std::vector<std::string>& rdata, const std::string& rrsig,
                          const std::vector<std::string>& dnskeys, std::time_t now) {
    LdnsRrList set(ldns_rr_list_new()), keys(ldns_rr_list_new()), good(ldns_rr_list_new());
    for (const auto& rd : rdata)
        if (ldns_rr* rr = rr_of(owner, type, ttl, rd)) ldns_rr_list_push_rr(set.get(), rr);
    for (const auto& k : dnskeys)
        if (ldns_rr* rr = rr_of(zone, rrtype::DNSKEY, 3600, k))
            ldns_rr_list_push_rr(keys.get(), rr);
    LdnsRr sig(rr_of(owner, rrtype::RRSIG, ttl, rrsig));
    if (!sig || ldns_rr_list_rr_count(set.get()) != rdata.size() ||
        ldns_rr_list_rr_count(keys.get()) != dnskeys.size())
        return "the records could not be read for verification";
    ldns_status st =
        ldns_verify_rrsig_keylist_time(set.get(), sig.get(), keys.get(), now, good.get());
    // The list of good keys holds pointers into `keys`: emptied before both are freed.
    while (ldns_rr_list_rr_count(good.get()) > 0) ldns_rr_list_pop_rr(good.get());
    return st == LDNS_STATUS_OK ? "" : ldns_get_errorstr_by_id(st);
}

}  // namespace zonegen
