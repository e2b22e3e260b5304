#include "backends/dnsquery.hpp"

#include <ldns/ldns.h>

#include <memory>

#include "zonegen/address.hpp"

namespace zonegen {
namespace {

struct ResolverDeleter {
    void operator()(ldns_resolver* r) const { ldns_resolver_deep_free(r); }
};
struct PktDeleter {
    void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
struct RdfDeleter {
    void operator()(ldns_rdf* r) const { ldns_rdf_deep_free(r); }
};

}  // namespace

SoaAnswer query_soa(const std::string& address, std::uint16_t port, const Name& zone,
                    int timeout_ms) {
    SoaAnswer out;
    std::unique_ptr<ldns_resolver, ResolverDeleter> res(ldns_resolver_new());
    if (!res) return out;
    bool v6 = canonical_ipv6(address).has_value();
    std::unique_ptr<ldns_rdf, RdfDeleter> ns(
        ldns_rdf_new_frm_str(v6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, address.c_str()));
    if (!ns || ldns_resolver_push_nameserver(res.get(), ns.get()) != LDNS_STATUS_OK) return out;
    ldns_resolver_set_port(res.get(), port);
    ldns_resolver_set_recursive(res.get(), false);
    ldns_resolver_set_retry(res.get(), 1);
    ldns_resolver_set_retrans(res.get(), 1);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ldns_resolver_set_timeout(res.get(), tv);
    ldns_resolver_set_fallback(res.get(), true);
    std::unique_ptr<ldns_rdf, RdfDeleter> qname(ldns_dname_new_frm_str(zone.to_string().c_str()));
    ldns_pkt* raw = nullptr;
    ldns_status st =
        ldns_resolver_send(&raw, res.get(), qname.get(), LDNS_RR_TYPE_SOA, LDNS_RR_CLASS_IN, 0);
    std::unique_ptr<ldns_pkt, PktDeleter> pkt(raw);
    if (st != LDNS_STATUS_OK || !pkt) return out;
    out.answered = true;
    char* rc = ldns_pkt_rcode2str(ldns_pkt_get_rcode(pkt.get()));
    out.rcode = rc ? rc : "";
    free(rc);
    out.authoritative =
        ldns_pkt_aa(pkt.get()) && ldns_pkt_get_rcode(pkt.get()) == LDNS_RCODE_NOERROR;
    ldns_rr_list* ans = ldns_pkt_answer(pkt.get());
    for (std::size_t i = 0; ans && i < ldns_rr_list_rr_count(ans); ++i) {
        ldns_rr* rr = ldns_rr_list_rr(ans, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA && ldns_rr_rd_count(rr) >= 3)
            out.serial = ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
    }
    return out;
}

}  // namespace zonegen
