// Owning pointers to ldns's objects, each freed by ldns's own function. Private to the
// backends that speak DNS through ldns (axfr.cpp, dnsquery.cpp): only .cpp files include it,
// so no public header brings in ldns.
#pragma once

#include <ldns/ldns.h>

#include <cstdlib>
#include <memory>

namespace zonegen {

struct LdnsFree {
    void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
    void operator()(ldns_rdf* r) const { ldns_rdf_deep_free(r); }
    void operator()(ldns_buffer* b) const { ldns_buffer_free(b); }
    void operator()(ldns_resolver* r) const { ldns_resolver_deep_free(r); }
    void operator()(ldns_rr* r) const { ldns_rr_free(r); }
    void operator()(char* s) const { free(s); }  // ldns's strings
};

using LdnsPkt = std::unique_ptr<ldns_pkt, LdnsFree>;
using LdnsRdf = std::unique_ptr<ldns_rdf, LdnsFree>;
using LdnsBuffer = std::unique_ptr<ldns_buffer, LdnsFree>;
using LdnsResolver = std::unique_ptr<ldns_resolver, LdnsFree>;
using LdnsRr = std::unique_ptr<ldns_rr, LdnsFree>;
using LdnsString = std::unique_ptr<char, LdnsFree>;

}  // namespace zonegen
