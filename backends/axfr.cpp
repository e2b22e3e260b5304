#include "backends/axfr.hpp"

#include <ldns/ldns.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

#include "zonegen/address.hpp"
#include "zonegen/errors.hpp"

namespace zonegen {
namespace {

struct ResolverDeleter {
    void operator()(ldns_resolver* r) const {
        // ldns keeps its own copy of a TSIG secret (strdup, handed out as const): wiped
        // before it is freed.
        if (const char* k = ldns_resolver_tsig_keydata(r))
            wipe_bytes(const_cast<char*>(k), std::strlen(k));
        ldns_resolver_deep_free(r);
    }
};
struct RdfDeleter {
    void operator()(ldns_rdf* r) const { ldns_rdf_deep_free(r); }
};
struct RrDeleter {
    void operator()(ldns_rr* r) const { ldns_rr_free(r); }
};
struct BufferDeleter {
    void operator()(ldns_buffer* b) const { ldns_buffer_free(b); }
};

std::string resolve(const std::string& host) {
    if (canonical_ipv4(host) || canonical_ipv6(host)) return host;
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || !res)
        throw BackendError("AXFR: cannot resolve the host name " + host);
    char buf[NI_MAXHOST];
    getnameinfo(res->ai_addr, res->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST);
    freeaddrinfo(res);
    return buf;
}

std::string rcode_name(ldns_pkt* p) {
    char* s = ldns_pkt_rcode2str(ldns_pkt_get_rcode(p));
    std::string out = s ? s : "?";
    free(s);
    return out;
}

}  // namespace

AxfrSource parse_axfr_url(const std::string& url) {
    const std::string scheme = "axfr://";
    if (url.rfind(scheme, 0) != 0) throw UsageError("'" + url + "' is not axfr://HOST[:PORT]/ZONE");
    std::string rest = url.substr(scheme.size());
    auto slash = rest.find('/');
    if (slash == std::string::npos || slash + 1 >= rest.size())
        throw UsageError("'" + url + "' names no zone: axfr://HOST[:PORT]/ZONE");
    std::string hostport = rest.substr(0, slash), zone = rest.substr(slash + 1);
    AxfrSource s;
    if (!hostport.empty() && hostport.front() == '[') {
        auto close = hostport.find(']');
        if (close == std::string::npos) throw UsageError("'" + url + "': missing ']'");
        s.host = hostport.substr(1, close - 1);
        hostport = hostport.substr(close + 1);
        if (!hostport.empty() && hostport.front() != ':')
            throw UsageError("'" + url + "': bad port");
        if (!hostport.empty()) hostport = hostport.substr(1);
    } else {
        auto colon = hostport.rfind(':');
        s.host = hostport.substr(0, colon);
        hostport = colon == std::string::npos ? "" : hostport.substr(colon + 1);
    }
    if (!hostport.empty()) {
        unsigned long p = 0;
        try {
            std::size_t pos = 0;
            p = std::stoul(hostport, &pos);
            if (pos != hostport.size()) p = 0;
        } catch (const std::exception&) {
            p = 0;
        }
        if (p == 0 || p > 65535) throw UsageError("'" + url + "': bad port");
        s.port = static_cast<std::uint16_t>(p);
    }
    if (s.host.empty()) throw UsageError("'" + url + "' names no host");
    try {
        s.zone = Name::parse(zone.back() == '.' ? zone : zone + ".");
    } catch (const NameError& e) {
        throw UsageError("'" + url + "': " + e.what());
    }
    return s;
}

Zone axfr_zone(const AxfrSource& src, const std::optional<TsigKey>& tsig, int timeout_s,
               const std::function<void(const std::string&)>& trace) {
    std::string where =
        "AXFR of " + src.zone.to_string() + " from " + src.host + ":" + std::to_string(src.port);
    std::string address = src.address.empty() ? resolve(src.host) : src.address;
    std::unique_ptr<ldns_resolver, ResolverDeleter> res(ldns_resolver_new());
    if (!res) throw BackendError(where + ": out of memory");
    bool v6 = canonical_ipv6(address).has_value();
    std::unique_ptr<ldns_rdf, RdfDeleter> ns(
        ldns_rdf_new_frm_str(v6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, address.c_str()));
    if (!ns || ldns_resolver_push_nameserver(res.get(), ns.get()) != LDNS_STATUS_OK)
        throw BackendError(where + ": bad address " + address);
    ldns_resolver_set_port(res.get(), src.port);
    ldns_resolver_set_recursive(res.get(), false);
    ldns_resolver_set_retry(res.get(), 1);
    timeval tv{timeout_s, 0};
    ldns_resolver_set_timeout(res.get(), tv);
    if (tsig) {
        std::string kn = tsig->name.to_string();
        ldns_resolver_set_tsig_keyname(res.get(), kn.c_str());
        std::string alg = tsig->algorithm + ".";
        ldns_resolver_set_tsig_algorithm(res.get(), alg.c_str());
        ldns_resolver_set_tsig_keydata(res.get(), tsig->secret.c_str());
    }
    if (trace) trace(where + (tsig ? " (TSIG " + tsig->name.to_string() + ")" : ""));
    std::unique_ptr<ldns_rdf, RdfDeleter> qname(
        ldns_dname_new_frm_str(src.zone.to_string().c_str()));
    ldns_status st = ldns_axfr_start(res.get(), qname.get(), LDNS_RR_CLASS_IN);
    if (st != LDNS_STATUS_OK)
        throw BackendError(where + ": " +
                           (st == LDNS_STATUS_NETWORK_ERR ? "connection refused or timed out"
                                                          : ldns_get_errorstr_by_id(st)));
    Zone z(src.zone);
    std::unique_ptr<ldns_buffer, BufferDeleter> buf(ldns_buffer_new(4096));
    bool seen_soa = false, closed = false;
    std::size_t count = 0;
    for (;;) {
        std::unique_ptr<ldns_rr, RrDeleter> rr(ldns_axfr_next(res.get()));
        if (!rr) break;
        ldns_rr_type t = ldns_rr_get_type(rr.get());
        if (t == LDNS_RR_TYPE_SOA) {
            if (seen_soa) {
                closed = true;  // the closing SOA
                break;
            }
            seen_soa = true;
        } else if (!seen_soa) {
            throw BackendError(where + ": the transfer does not start with the SOA");
        }
        ldns_rdf* owner = ldns_rr_owner(rr.get());
        std::string ow(reinterpret_cast<const char*>(ldns_rdf_data(owner)), ldns_rdf_size(owner));
        std::size_t off = 0;
        Name on = Name::from_wire(ow, off);
        ldns_buffer_clear(buf.get());
        if (ldns_rr_rdata2buffer_wire(buf.get(), rr.get()) != LDNS_STATUS_OK)
            throw BackendError(where + ": bad record data");
        std::string rdata(reinterpret_cast<const char*>(ldns_buffer_begin(buf.get())),
                          ldns_buffer_position(buf.get()));
        try {
            canonicalize_rdata(static_cast<RRType>(t), rdata);
        } catch (const RdataError& e) {
            throw BackendError(where + ": " + e.what() + " at " + on.to_string());
        }
        z.add_loose(std::move(on), static_cast<RRType>(t), ldns_rr_ttl(rr.get()), std::move(rdata),
                    0);
        ++count;
    }
    if (!closed || !ldns_axfr_complete(res.get())) {
        ldns_pkt* last = ldns_axfr_last_pkt(res.get());
        std::string why;
        if (last && ldns_pkt_get_rcode(last) != LDNS_RCODE_NOERROR) {
            std::string rc = rcode_name(last);
            why = rc == "REFUSED" ? "the server refused the transfer (REFUSED): it must allow AXFR "
                                    "from this address"
                  : rc == "NOTAUTH"
                      ? "NOTAUTH: the TSIG key does not match, or the server is not authoritative"
                      : "the server answered " + rc;
        } else if (!seen_soa) {
            why = "no answer (timeout, refused connection, or a TSIG failure)";
        } else {
            why = "the stream ended after " + std::to_string(count) +
                  " records, before the closing SOA (truncated)";
        }
        ldns_axfr_abort(res.get());
        throw BackendError(where + ": " + why);
    }
    if (trace) trace(where + ": " + std::to_string(count) + " records");
    return z;
}

}  // namespace zonegen
