#include "backends/dnssec_ds.hpp"

#include <cctype>
#include <optional>
#include <string>

#include "backends/ldns_ptr.hpp"
#include "zonegen/errors.hpp"

namespace zonegen {

namespace {

LdnsRr dnskey_rr(const Name& zone, const std::string& dnskey) {
    std::string text = zone.to_string() + " 3600 IN DNSKEY " + dnskey;
    ldns_rr* rr = nullptr;
    if (ldns_rr_new_frm_str(&rr, text.c_str(), 0, nullptr, nullptr) != LDNS_STATUS_OK || !rr ||
        ldns_rr_get_type(rr) != LDNS_RR_TYPE_DNSKEY) {
        if (rr) ldns_rr_free(rr);
        throw InputError("the DNSKEY of " + zone.to_string() +
                         " does not parse: " + dnskey.substr(0, 60));
    }
    return LdnsRr(rr);
}

std::string rdf_text(const ldns_rdf* rdf) {
    LdnsString s(ldns_rdf2str(rdf));
    return s ? std::string(s.get()) : std::string();
}

}  // namespace

std::string DsRecord::to_string() const {
    return std::to_string(key_tag) + " " + std::to_string(algorithm) + " " +
           std::to_string(digest_type) + " " + digest;
}

DsRecord ds_of_dnskey(const Name& zone, const std::string& dnskey, int digest_type) {
    LdnsRr key = dnskey_rr(zone, dnskey);
    ldns_hash h = digest_type == 1 ? LDNS_SHA1 : digest_type == 4 ? LDNS_SHA384 : LDNS_SHA256;
    if (digest_type != 1 && digest_type != 2 && digest_type != 4)
        throw InputError("DS digest type " + std::to_string(digest_type) + " is not computed");
    LdnsRr ds(ldns_key_rr2ds(key.get(), h));
    if (!ds || ldns_rr_rd_count(ds.get()) != 4)
        throw InputError("no DS could be computed for the DNSKEY of " + zone.to_string());
    DsRecord r;
    r.dnskey = dnskey;
    r.key_tag = std::stoi(rdf_text(ldns_rr_rdf(ds.get(), 0)));
    r.algorithm = static_cast<int>(ldns_rdf2native_int8(ldns_rr_rdf(ds.get(), 1)));
    r.digest_type = static_cast<int>(ldns_rdf2native_int8(ldns_rr_rdf(ds.get(), 2)));
    for (char c : rdf_text(ldns_rr_rdf(ds.get(), 3)))
        if (std::isxdigit(static_cast<unsigned char>(c)))
            r.digest += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return r;
}

std::optional<DsRecord> ds_of_wire(std::string_view w) {
    if (w.size() < 5) return std::nullopt;
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(w[i]); };
    DsRecord r;
    r.key_tag = byte(0) << 8 | byte(1);
    r.algorithm = byte(2);
    r.digest_type = byte(3);
    static const char kHex[] = "0123456789ABCDEF";
    for (std::size_t i = 4; i < w.size(); ++i) {
        r.digest += kHex[byte(i) >> 4];
        r.digest += kHex[byte(i) & 0xf];
    }
    return r;
}

int dnskey_key_tag(const Name& zone, const std::string& dnskey) {
    return static_cast<int>(ldns_calc_keytag(dnskey_rr(zone, dnskey).get()));
}

}  // namespace zonegen
