#include "backends/dnsquery.hpp"

#include <ldns/ldns.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "backends/ldns_ptr.hpp"
#include "zonegen/address.hpp"

namespace zonegen {
namespace {

LdnsResolver make_resolver(const std::string& address, std::uint16_t port, int timeout_ms) {
    LdnsResolver res(ldns_resolver_new());
    if (!res) return res;
    bool v6 = canonical_ipv6(address).has_value();
    LdnsRdf ns(ldns_rdf_new_frm_str(v6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, address.c_str()));
    if (!ns || ldns_resolver_push_nameserver(res.get(), ns.get()) != LDNS_STATUS_OK) return nullptr;
    ldns_resolver_set_port(res.get(), port);
    ldns_resolver_set_recursive(res.get(), false);
    ldns_resolver_set_retry(res.get(), 1);
    ldns_resolver_set_retrans(res.get(), 1);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ldns_resolver_set_timeout(res.get(), tv);
    ldns_resolver_set_fallback(res.get(), true);  // TCP when the UDP answer is truncated
    return res;
}

void records_of(ldns_rr_list* list, std::vector<DnsRecord>& out) {
    LdnsBuffer buf(ldns_buffer_new(512));
    for (std::size_t i = 0; list && i < ldns_rr_list_rr_count(list); ++i) {
        ldns_rr* rr = ldns_rr_list_rr(list, i);
        ldns_rdf* owner = ldns_rr_owner(rr);
        std::string ow(reinterpret_cast<const char*>(ldns_rdf_data(owner)), ldns_rdf_size(owner));
        std::size_t off = 0;
        DnsRecord r;
        try {
            r.owner = Name::from_wire(ow, off);
        } catch (const NameError&) {
            continue;
        }
        r.type = static_cast<RRType>(ldns_rr_get_type(rr));
        r.ttl = ldns_rr_ttl(rr);
        ldns_buffer_clear(buf.get());
        if (ldns_rr_rdata2buffer_wire(buf.get(), rr) != LDNS_STATUS_OK) continue;
        r.rdata.assign(reinterpret_cast<const char*>(ldns_buffer_begin(buf.get())),
                       ldns_buffer_position(buf.get()));
        try {
            canonicalize_rdata(r.type, r.rdata);
        } catch (const RdataError&) {
            continue;  // a malformed record from a server we do not control: left out
        }
        out.push_back(std::move(r));
    }
}

DnsAnswer answer_of(ldns_pkt* pkt) {
    DnsAnswer out;
    out.answered = true;
    char* rc = ldns_pkt_rcode2str(ldns_pkt_get_rcode(pkt));
    out.rcode = rc ? rc : "";
    free(rc);
    out.aa = ldns_pkt_aa(pkt);
    records_of(ldns_pkt_answer(pkt), out.answer);
    records_of(ldns_pkt_authority(pkt), out.authority);
    records_of(ldns_pkt_additional(pkt), out.additional);
    return out;
}

}  // namespace

std::vector<std::string> DnsAnswer::rdata(const Name& owner, RRType type) const {
    std::vector<std::string> v;
    for (const auto& r : answer)
        if (r.owner == owner && r.type == type) v.push_back(r.rdata);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

DnsAnswer query(const std::string& address, std::uint16_t port, const Name& name, RRType type,
                int timeout_ms, bool dnssec) {
    auto res = make_resolver(address, port, timeout_ms);
    if (!res) return DnsAnswer{};
    if (dnssec) ldns_resolver_set_dnssec(res.get(), true);  // EDNS with DO
    LdnsRdf qname(ldns_dname_new_frm_str(name.to_string().c_str()));
    ldns_pkt* raw = nullptr;
    ldns_status st = ldns_resolver_send(&raw, res.get(), qname.get(),
                                        static_cast<ldns_rr_type>(type), LDNS_RR_CLASS_IN, 0);
    LdnsPkt pkt(raw);
    if (st != LDNS_STATUS_OK || !pkt) return DnsAnswer{};
    return answer_of(pkt.get());
}

DnsAnswer parse_dns_message(std::string_view wire) {
    ldns_pkt* raw = nullptr;
    if (ldns_wire2pkt(&raw, reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size()) !=
        LDNS_STATUS_OK)
        return DnsAnswer{};
    LdnsPkt pkt(raw);
    return answer_of(pkt.get());
}

std::vector<DnsAnswer> query_all(const std::vector<DnsQuestion>& questions,
                                 const QueryBudget& budget) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(budget.deadline_ms);
    std::vector<DnsAnswer> out(questions.size());
    std::mutex mu;
    std::map<std::pair<std::string, std::uint16_t>, int> unanswered_in_a_row;
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < questions.size(); i = next++) {
            const DnsQuestion& q = questions[i];
            const auto server = std::pair{q.address, q.port};
            {
                std::lock_guard<std::mutex> lock(mu);
                if (unanswered_in_a_row[server] >= budget.give_up_after) continue;
            }
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) continue;
            int timeout = static_cast<int>(std::min<long long>(budget.timeout_ms, left.count()));
            DnsAnswer a;
            try {
                a = query(q.address, q.port, q.name, q.type, timeout, q.dnssec);
            } catch (const std::exception&) {
                // left unanswered (out of memory in ldns, say): never ends a worker thread
            }
            std::lock_guard<std::mutex> lock(mu);
            unanswered_in_a_row[server] = a.answered ? 0 : unanswered_in_a_row[server] + 1;
            out[i] = std::move(a);
        }
    };
    std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(std::max(budget.in_flight, 1)),
                                          questions.size());
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < n; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    return out;
}

SoaAnswer query_soa(const std::string& address, std::uint16_t port, const Name& zone,
                    int timeout_ms) {
    DnsAnswer a = query(address, port, zone, rrtype::SOA, timeout_ms);
    SoaAnswer out;
    out.answered = a.answered;
    out.rcode = a.rcode;
    out.authoritative = a.aa && a.rcode == "NOERROR";
    for (const auto& r : a.answer)
        if (r.type == rrtype::SOA && r.owner == zone)
            if (auto soa = parse_soa(r.rdata)) out.serial = soa->serial;
    return out;
}

}  // namespace zonegen
