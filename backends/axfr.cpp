#include "backends/axfr.hpp"

#include <ldns/ldns.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <memory>
#include <thread>
#include <vector>

#include "backends/ldns_ptr.hpp"
#include "zonegen/address.hpp"
#include "zonegen/errors.hpp"

namespace zonegen {
namespace {

using Clock = std::chrono::steady_clock;

struct Socket {
    int fd = -1;
    ~Socket() {
        if (fd >= 0) ::close(fd);
    }
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

std::string rcode_name(const ldns_pkt* p) {
    char* s = ldns_pkt_rcode2str(ldns_pkt_get_rcode(p));
    std::string out = s ? s : "?";
    free(s);
    return out;
}

// Nothing came back that is DNS: refused, reset, silence, or other bytes. One message for all.
struct NoDnsAnswer {};

timeval time_left(Clock::time_point deadline) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
    long long left = std::max<long long>(us.count(), 1000);
    return {static_cast<time_t>(left / 1000000), static_cast<suseconds_t>(left % 1000000)};
}

enum class Read { ok, closed, deadline };

// Reads exactly `n` bytes, waiting for each part no later than `deadline`: a server that
// sends a byte at a time cannot stretch the transfer past it.
Read read_exact(int fd, std::uint8_t* buf, std::size_t n, Clock::time_point deadline) {
    std::size_t got = 0;
    while (got < n) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return Read::deadline;
        pollfd p{fd, POLLIN, 0};
        int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count() + 1, INT_MAX)));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return Read::closed;
        if (r == 0) continue;  // the deadline, seen above
        ssize_t k = ::recv(fd, buf + got, n - got, 0);
        if (k > 0)
            got += static_cast<std::size_t>(k);
        else if (k == 0 || (errno != EINTR && errno != EAGAIN))
            return Read::closed;  // an orderly close, or a reset
    }
    return Read::ok;
}

// The AXFR query, built and (with a key) TSIG-signed by ldns, in wire form.
LdnsBuffer axfr_query(const Name& zone, const std::optional<TsigKey>& tsig, std::uint16_t& id,
                      const std::string& where) {
    LdnsPkt q(ldns_pkt_query_new(ldns_dname_new_frm_str(zone.to_string().c_str()),
                                 LDNS_RR_TYPE_AXFR, LDNS_RR_CLASS_IN, 0));
    if (!q) throw BackendError(where + ": cannot build the query");
    id = ldns_pkt_id(q.get());
    if (tsig) {
        std::string kn = tsig->name.to_string(), alg = tsig->algorithm + ".";
        ldns_status st = ldns_pkt_tsig_sign(q.get(), kn.c_str(), tsig->secret.c_str(), 300,
                                            alg.c_str(), nullptr);
        if (st != LDNS_STATUS_OK)
            throw BackendError(where + ": cannot sign the query with the TSIG key " + kn + ": " +
                               ldns_get_errorstr_by_id(st));
    }
    LdnsBuffer wire(ldns_buffer_new(LDNS_MAX_PACKETLEN));
    if (!wire || ldns_pkt2buffer_wire(wire.get(), q.get()) != LDNS_STATUS_OK)
        throw BackendError(where + ": cannot build the query");
    return wire;
}

// Connects to ADDRESS:PORT (no later than the deadline) and sends the query; -1 when no
// connection could be made.
int connect_and_send(const std::string& address, std::uint16_t port, ldns_buffer* query,
                     Clock::time_point deadline) {
    bool v6 = canonical_ipv6(address).has_value();
    LdnsRdf ns(ldns_rdf_new_frm_str(v6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, address.c_str()));
    if (!ns) return -1;
    std::size_t len = 0;
    sockaddr_storage* sa = ldns_rdf2native_sockaddr_storage(ns.get(), port, &len);
    if (!sa) return -1;
    int fd = ldns_tcp_bgsend2(query, sa, static_cast<socklen_t>(len), time_left(deadline));
    LDNS_FREE(sa);
    return fd;
}

// Reads the messages of one transfer into a Zone, counting records against the cap.
class StreamReader {
  public:
    StreamReader(const AxfrSource& src, std::string where, std::size_t max_records,
                 std::uint16_t id)
        : zone_(src.zone), where_(std::move(where)), max_records_(max_records), id_(id) {}

    // One message; true once the closing SOA has come. Throws NoDnsAnswer when the first
    // message is not a DNS answer to our query, BackendError for what a DNS server said.
    bool take(const std::uint8_t* wire, std::size_t size) {
        ldns_pkt* raw = nullptr;
        bool parsed = ldns_wire2pkt(&raw, wire, size) == LDNS_STATUS_OK;
        LdnsPkt pkt(raw);
        if (!parsed || ldns_pkt_id(pkt.get()) != id_ || !ldns_pkt_qr(pkt.get())) {
            if (!answered_) throw NoDnsAnswer{};
            throw BackendError(where_ + ": a message that is not DNS after " +
                               std::to_string(records_) + " records");
        }
        answered_ = true;
        if (ldns_pkt_get_rcode(pkt.get()) != LDNS_RCODE_NOERROR) refused(pkt.get());
        ldns_rr_list* an = ldns_pkt_answer(pkt.get());
        for (std::size_t i = 0; an && i < ldns_rr_list_rr_count(an); ++i)
            if (add(ldns_rr_list_rr(an, i))) return true;
        return false;
    }

    bool answered() const { return answered_; }
    std::size_t records() const { return records_; }
    Zone& zone() { return zone_; }

  private:
    [[noreturn]] void refused(const ldns_pkt* pkt) const {
        std::string rc = rcode_name(pkt);
        throw BackendError(
            where_ + ": " +
            (rc == "REFUSED" ? "the server refused the transfer (REFUSED): it must allow AXFR "
                               "from this address"
             : rc == "NOTAUTH"
                 ? "NOTAUTH: the TSIG key does not match, or the server is not authoritative"
                 : "the server answered " + rc));
    }

    // Adds one record; true when it is the closing SOA.
    bool add(const ldns_rr* rr) {
        if (++records_ > max_records_)
            throw BackendError(where_ + ": more than " + std::to_string(max_records_) +
                               " records: the transfer was stopped (the profile's "
                               "zone_transfer.max_records)");
        ldns_rr_type t = ldns_rr_get_type(rr);
        if (t == LDNS_RR_TYPE_SOA) {
            if (seen_soa_) return true;
            seen_soa_ = true;
        } else if (!seen_soa_) {
            throw BackendError(where_ + ": the transfer does not start with the SOA");
        }
        ldns_rdf* owner = ldns_rr_owner(rr);
        std::string ow(reinterpret_cast<const char*>(ldns_rdf_data(owner)), ldns_rdf_size(owner));
        LdnsBuffer buf(ldns_buffer_new(512));
        if (!buf || ldns_rr_rdata2buffer_wire(buf.get(), rr) != LDNS_STATUS_OK)
            throw BackendError(where_ + ": bad record data");
        std::string rdata(reinterpret_cast<const char*>(ldns_buffer_begin(buf.get())),
                          ldns_buffer_position(buf.get()));
        try {
            std::size_t off = 0;
            Name on = Name::from_wire(ow, off);
            canonicalize_rdata(static_cast<RRType>(t), rdata);
            zone_.add_loose(std::move(on), static_cast<RRType>(t), ldns_rr_ttl(rr),
                            std::move(rdata), 0);
        } catch (const NameError& e) {
            throw BackendError(where_ + ": " + e.what());
        } catch (const RdataError& e) {
            throw BackendError(where_ + ": " + e.what());
        }
        return false;
    }

    Zone zone_;
    std::string where_;
    std::size_t max_records_;
    std::uint16_t id_;
    std::size_t records_ = 0;
    bool answered_ = false, seen_soa_ = false;
};

}  // namespace

Zone axfr_zone(const AxfrSource& src, const std::optional<TsigKey>& tsig, const AxfrLimits& limits,
               const std::function<void(const std::string&)>& trace) {
    const auto deadline = Clock::now() + std::chrono::seconds(limits.timeout_s);
    std::string where =
        "AXFR of " + src.zone.to_string() + " from " + src.host + ":" + std::to_string(src.port);
    std::string address = src.address.empty() ? resolve(src.host) : src.address;
    std::uint16_t id = 0;
    auto query = axfr_query(src.zone, tsig, id, where);
    if (trace) trace(where + (tsig ? " (TSIG " + tsig->name.to_string() + ")" : ""));
    StreamReader reader(src, where, limits.max_records, id);
    std::string why;
    try {
        Socket sock{connect_and_send(address, src.port, query.get(), deadline)};
        if (sock.fd < 0) throw NoDnsAnswer{};
        std::size_t bytes = 0;
        std::vector<std::uint8_t> msg;
        for (;;) {
            std::uint8_t len[2];
            Read r = read_exact(sock.fd, len, 2, deadline);
            std::size_t n = static_cast<std::size_t>(len[0]) << 8 | len[1];
            if (r == Read::ok) {
                bytes += 2 + n;
                if (bytes > limits.max_bytes)
                    throw BackendError(where + ": more than " + std::to_string(limits.max_bytes) +
                                       " bytes: the transfer was stopped (the profile's "
                                       "zone_transfer.max_bytes)");
                msg.resize(n);
                r = read_exact(sock.fd, msg.data(), n, deadline);
            }
            if (r == Read::ok && reader.take(msg.data(), n)) break;
            if (r == Read::ok) continue;
            if (!reader.answered()) throw NoDnsAnswer{};
            why = r == Read::deadline
                      ? "the transfer did not finish within " + std::to_string(limits.timeout_s) +
                            " s (--timeout) and was stopped after " +
                            std::to_string(reader.records()) + " records"
                      : "the stream ended after " + std::to_string(reader.records()) +
                            " records, before the closing SOA (truncated)";
            break;
        }
    } catch (const NoDnsAnswer&) {
        if (limits.uniform_failure) std::this_thread::sleep_until(deadline);
        bool v6 = canonical_ipv6(address).has_value();
        throw BackendError(where + ": no DNS answer from " + (v6 ? "[" + address + "]" : address) +
                           ":" + std::to_string(src.port) + " within " +
                           std::to_string(limits.timeout_s) +
                           " s (the connection was refused, reset or timed out, or what came "
                           "back was not DNS)");
    }
    if (!why.empty()) throw BackendError(where + ": " + why);
    if (trace) trace(where + ": " + std::to_string(reader.records()) + " records");
    return std::move(reader.zone());
}

}  // namespace zonegen
