// Domain control (zonegen/domain_control.hpp, backends/delegation.hpp): what a parent
// server's answer says, whether a delegation points at our servers, the rule for creating
// and deleting a zone, and the query itself against fake servers on loopback (a closed
// port fails at once, a silent one after its timeout and only once per run, a truncated
// answer is asked again over TCP). Nothing is sent off the machine.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "backends/delegation.hpp"
#include "backends/dnsask.hpp"
#include "zonegen/domain_control.hpp"

using namespace zonegen;

namespace {

Name N(const char* s) {
    return Name::parse(s);
}

DnsRecord rr(const char* owner, RRType type, const char* data) {
    DnsRecord r;
    r.owner = N(owner);
    r.type = type;
    r.ttl = 86400;
    r.rdata = parse_rdata(type, data, Name());
    return r;
}

DnsRecord ns(const char* owner, const char* target) {
    return rr(owner, rrtype::NS, target);
}

DnsRecord soa(const char* owner) {
    return rr(owner, rrtype::SOA, "a.nic.test. hostmaster.nic.test. 1 7200 3600 864000 3600");
}

DnsAnswer answer(const char* rcode, bool aa) {
    DnsAnswer a;
    a.answered = true;
    a.rcode = rcode;
    a.aa = aa;
    return a;
}

// Our name servers as the default profile has them.
std::vector<ProviderNs> ours() {
    return parse_profile(default_profile_text(), "p.yaml").nameservers;
}

ParentDelegation read(const DnsAnswer& a, std::string* why = nullptr) {
    ParentDelegation d;
    d.zone = N("customer.test.");
    std::string w;
    if (!read_parent_answer(d.zone, a, d, &w)) d.why = w;
    if (why) *why = w;
    return d;
}

ParentDelegation delegated_to(std::vector<const char*> names) {
    ParentDelegation d;
    d.zone = N("customer.test.");
    d.answered = true;
    d.answered_by = "127.0.0.1:5300";
    for (auto n : names) d.ns.push_back(N(n));
    return d;
}

ParentDelegation not_asked() {
    ParentDelegation d;
    d.zone = N("customer.test.");
    d.why = "127.0.0.1:5300: connection refused";
    return d;
}

}  // namespace

// ---- what one answer of a parent server says --------------------------------------------

TEST(ParentAnswer, ReferralIsTheDelegationWithItsGlue) {
    DnsAnswer a = answer("NOERROR", false);
    a.authority = {ns("customer.test.", "ns2.example.net."),
                   ns("customer.test.", "ns1.example.net.")};
    a.additional = {rr("ns1.example.net.", rrtype::A, "192.0.2.53"),
                    rr("unrelated.test.", rrtype::A, "192.0.2.99")};
    auto d = read(a);
    ASSERT_TRUE(d.answered) << d.why;
    EXPECT_FALSE(d.authoritative);
    EXPECT_EQ(d.ns, (std::vector<Name>{N("ns1.example.net."), N("ns2.example.net.")}));
    ASSERT_EQ(d.addresses.size(), 1u);
    EXPECT_EQ(d.addresses.at(N("ns1.example.net.")), std::vector<std::string>{"192.0.2.53"});
}

TEST(ParentAnswer, AParentThatAlsoServesTheZoneAnswersWithAa) {
    DnsAnswer a = answer("NOERROR", true);
    a.answer = {ns("customer.test.", "ns1.example.net.")};
    auto d = read(a);
    ASSERT_TRUE(d.answered) << d.why;
    EXPECT_TRUE(d.authoritative);
    EXPECT_EQ(d.ns, std::vector<Name>{N("ns1.example.net.")});
}

TEST(ParentAnswer, AuthoritativeNxdomainIsNotDelegated) {
    DnsAnswer a = answer("NXDOMAIN", true);
    a.authority = {soa("test.")};
    auto d = read(a);
    ASSERT_TRUE(d.answered) << d.why;
    EXPECT_TRUE(d.ns.empty());
    ASSERT_TRUE(d.parent);
    EXPECT_EQ(*d.parent, N("test."));
}

TEST(ParentAnswer, AuthoritativeNoDataIsNotDelegated) {
    DnsAnswer a = answer("NOERROR", true);
    a.authority = {soa("test.")};
    auto d = read(a);
    ASSERT_TRUE(d.answered) << d.why;
    EXPECT_TRUE(d.ns.empty());
}

TEST(ParentAnswer, RefusedIsNoAnswer) {
    std::string why;
    auto d = read(answer("REFUSED", false), &why);
    EXPECT_FALSE(d.answered);
    EXPECT_EQ(why, "answered REFUSED");
}

TEST(ParentAnswer, AReferralToAnotherZoneIsNotTheParent) {
    // A root-like server asked for customer.test.: it refers to test.
    DnsAnswer a = answer("NOERROR", false);
    a.authority = {ns("test.", "a.nic.test.")};
    std::string why;
    auto d = read(a, &why);
    EXPECT_FALSE(d.answered);
    EXPECT_NE(why.find("a referral to test."), std::string::npos) << why;
}

TEST(ParentAnswer, NonAuthoritativeAnswersAreNotTheParents) {
    std::string why;
    EXPECT_FALSE(read(answer("NXDOMAIN", false), &why).answered);
    EXPECT_NE(why.find("without authority"), std::string::npos) << why;
    // A resolver's cached NS set (no AA) is the child's, not the parent's delegation.
    DnsAnswer cached = answer("NOERROR", false);
    cached.answer = {ns("customer.test.", "ns1.example.net.")};
    EXPECT_FALSE(read(cached, &why).answered);
}

TEST(ParentAnswer, EnclosingZoneFromAResolversSoa) {
    DnsAnswer apex = answer("NOERROR", false);
    apex.answer = {soa("test.")};
    EXPECT_EQ(enclosing_zone(apex), N("test."));
    DnsAnswer below = answer("NXDOMAIN", false);
    below.authority = {soa("test.")};
    EXPECT_EQ(enclosing_zone(below), N("test."));
    EXPECT_FALSE(enclosing_zone(answer("NOERROR", false)));
}

// ---- does it point at our servers -------------------------------------------------------

TEST(DelegationMatch, OursByName) {
    auto m = match_delegation(delegated_to({"ns1.example.net.", "ns2.example.net."}), ours());
    EXPECT_EQ(m.verdict, DelegationVerdict::ours);
    EXPECT_EQ(m.ours, (std::vector<std::string>{"ns1.example.net.", "ns2.example.net."}));
}

TEST(DelegationMatch, OneOfOursAmongOthersIsOurs) {
    auto m =
        match_delegation(delegated_to({"ns.old-provider.example.", "ns2.example.net."}), ours());
    EXPECT_EQ(m.verdict, DelegationVerdict::ours);
    EXPECT_EQ(m.ours, std::vector<std::string>{"ns2.example.net."});
}

TEST(DelegationMatch, OursByAnAddressUnderAnotherName) {
    auto d = delegated_to({"ns.customer.test.", "ns6.customer.test."});
    d.addresses[N("ns.customer.test.")] = {"192.0.2.99", "192.0.2.53"};
    d.addresses[N("ns6.customer.test.")] = {"2001:db8:1::53"};
    auto m = match_delegation(d, ours());
    EXPECT_EQ(m.verdict, DelegationVerdict::ours);
    EXPECT_EQ(m.ours, (std::vector<std::string>{"ns.customer.test. (192.0.2.53)",
                                                "ns6.customer.test. (2001:db8:1::53)"}));
}

TEST(DelegationMatch, Elsewhere) {
    auto d = delegated_to({"ns.old-provider.example."});
    d.addresses[N("ns.old-provider.example.")] = {"203.0.113.53"};
    auto m = match_delegation(d, ours());
    EXPECT_EQ(m.verdict, DelegationVerdict::elsewhere);
    EXPECT_TRUE(m.ours.empty());
}

TEST(DelegationMatch, NotDelegatedAndNotAsked) {
    EXPECT_EQ(match_delegation(delegated_to({}), ours()).verdict, DelegationVerdict::none);
    EXPECT_EQ(match_delegation(not_asked(), ours()).verdict, DelegationVerdict::unknown);
}

// ---- the rule ---------------------------------------------------------------------------

TEST(DomainControlRule, DeletingWhileDelegatedToUsIsUnsafe) {
    auto v = judge_domain_control(ZoneChange::remove, delegated_to({"ns1.example.net."}), ours());
    ASSERT_TRUE(v.unsafe);
    EXPECT_NE(v.unsafe->find("the parent still delegates customer.test. to our servers "
                             "(ns1.example.net.)"),
              std::string::npos)
        << *v.unsafe;
    EXPECT_NE(v.unsafe->find("dangling delegation"), std::string::npos);
    EXPECT_NE(v.unsafe->find("change the name servers at the registrar first"), std::string::npos);
    EXPECT_FALSE(v.finding);
}

TEST(DomainControlRule, DeletingWhenTheParentCannotBeAskedIsUnsafe) {
    auto v = judge_domain_control(ZoneChange::remove, not_asked(), ours());
    ASSERT_TRUE(v.unsafe);
    EXPECT_NE(v.unsafe->find("could not be asked"), std::string::npos) << *v.unsafe;
    EXPECT_NE(v.unsafe->find("127.0.0.1:5300: connection refused"), std::string::npos);
    EXPECT_NE(v.unsafe->find("cannot be shown safe"), std::string::npos);
}

TEST(DomainControlRule, DeletingADelegationElsewhereOrNoneIsNotObjectedTo) {
    for (auto d : {delegated_to({"ns.old-provider.example."}), delegated_to({})}) {
        auto v = judge_domain_control(ZoneChange::remove, d, ours());
        EXPECT_FALSE(v.unsafe) << *v.unsafe;
        EXPECT_FALSE(v.finding);
    }
}

TEST(DomainControlRule, CreatingWhatTheParentAlreadyDelegatesToUsIsUnsafe) {
    auto v = judge_domain_control(ZoneChange::create,
                                  delegated_to({"ns1.example.net.", "ns2.example.net."}), ours());
    ASSERT_TRUE(v.unsafe);
    EXPECT_NE(v.unsafe->find("already delegates customer.test. to our servers"), std::string::npos)
        << *v.unsafe;
    EXPECT_NE(v.unsafe->find("a former customer may have left the delegation behind"),
              std::string::npos);
    EXPECT_NE(v.unsafe->find("takes the domain over"), std::string::npos);
    EXPECT_NE(v.unsafe->find("controls the domain"), std::string::npos);
}

TEST(DomainControlRule, CreatingWhenTheParentCannotBeAskedIsAWarning) {
    auto v = judge_domain_control(ZoneChange::create, not_asked(), ours());
    EXPECT_FALSE(v.unsafe);
    ASSERT_TRUE(v.finding);
    EXPECT_EQ(v.finding->check, "delegation-unknown");
    EXPECT_EQ(v.finding->severity, Severity::warning);
    EXPECT_EQ(v.finding->owner, "customer.test.");
    EXPECT_NE(v.finding->message.find("connection refused"), std::string::npos);
}

TEST(DomainControlRule, CreatingANewCustomersDomainIsFine) {
    for (auto d : {delegated_to({"ns.old-provider.example."}), delegated_to({})}) {
        auto v = judge_domain_control(ZoneChange::create, d, ours());
        EXPECT_FALSE(v.unsafe);
        EXPECT_FALSE(v.finding);
    }
}

TEST(DomainControlRule, WhichChangesAsk) {
    EXPECT_FALSE(zone_change(true, false, false, Pattern::A));  // a zone file never asks
    EXPECT_EQ(zone_change(false, true, true, Pattern::C), ZoneChange::remove);
    EXPECT_EQ(zone_change(false, false, false, Pattern::A), ZoneChange::create);
    EXPECT_EQ(zone_change(false, false, false, Pattern::B), ZoneChange::create);
    EXPECT_FALSE(zone_change(false, false, false, Pattern::C));
    EXPECT_FALSE(zone_change(false, true, false, Pattern::A));
}

TEST(DomainControlRule, JsonRoundTrip) {
    auto d = delegated_to({"ns.customer.test."});
    d.addresses[N("ns.customer.test.")] = {"192.0.2.53"};
    d.asked = {"127.0.0.1:5300"};
    d.parent = N("test.");
    auto v = judge_domain_control(ZoneChange::remove, d, ours());
    auto j = domain_control_json(v);
    EXPECT_EQ(j["change"], "delete");
    EXPECT_EQ(j["verdict"], "ours");
    EXPECT_EQ(j["via"], "parent_servers");
    auto back = domain_control_from_json(j, d.zone);
    EXPECT_EQ(domain_control_json(back), j);
    EXPECT_EQ(domain_control_text(back),
              "delegation: the parent (answered by 127.0.0.1:5300) delegates customer.test. to "
              "ns.customer.test.: our servers\n");
}

// ---- the query, against fake servers on loopback ----------------------------------------

namespace {

// A UDP (and TCP) socket on 127.0.0.1 at a free port.
struct Loopback {
    int udp = -1, tcp = -1;
    std::uint16_t port = 0;
    Loopback() {
        udp = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof sa;
        ::bind(udp, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        ::getsockname(udp, reinterpret_cast<sockaddr*>(&sa), &len);
        port = ntohs(sa.sin_port);
        tcp = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        ::bind(tcp, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        ::listen(tcp, 4);
    }
    ~Loopback() {
        ::close(udp);
        ::close(tcp);
    }
};

// A referral for the question in `q`: QNAME NS ns1.example.net. (AA off); when `truncate`,
// only the header and question with TC set, as a server whose answer does not fit says.
std::string referral_for(const std::string& q, bool truncate) {
    std::size_t end = 12;
    while (end < q.size() && q[end]) end += static_cast<unsigned char>(q[end]) + 1;
    end += 5;  // the root label, QTYPE, QCLASS
    std::string r = q.substr(0, end);
    r[2] = static_cast<char>(0x80 | (truncate ? 0x02 : 0));
    r[3] = 0;
    const char counts[] = {0, 1, 0, 0, 0, static_cast<char>(truncate ? 0 : 1), 0, 0};
    r.replace(4, 8, counts, 8);  // QD 1, AN 0, NS 1 (0 when truncated), AR 0
    if (truncate) return r;
    std::string target = Name::parse("ns1.example.net.").wire();
    r += std::string("\xc0\x0c\x00\x02\x00\x01\x00\x01\x51\x80", 10);
    r += static_cast<char>(target.size() >> 8);
    r += static_cast<char>(target.size() & 0xff);
    r += target;
    return r;
}

}  // namespace

TEST(ParentQuery, AClosedPortFailsAtOnce) {
    int port;
    {
        Loopback l;  // bound, then closed: nothing listens there any more
        port = l.port;
    }
    auto t0 = std::chrono::steady_clock::now();
    AskResult r = ask_server("127.0.0.1", static_cast<std::uint16_t>(port), N("customer.test."),
                             rrtype::NS, false, 5000);
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    EXPECT_FALSE(r.answer.answered);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.error, "connection refused");
    EXPECT_LT(ms, 2500) << "waited for the timeout instead of the ICMP error";
}

TEST(ParentQuery, ASilentServerTimesOutAndIsAskedOncePerRun) {
    forget_parent_answers();
    Loopback silent;  // bound, never answers
    ParentQueryOptions o;
    o.servers = {Endpoint{"127.0.0.1", false, silent.port}};
    o.timeout_ms = 200;
    o.tries = 2;
    std::vector<std::string> trace;
    o.trace = [&](const std::string& m) { trace.push_back(m); };
    auto d = parent_delegation(N("one.test."), o);
    EXPECT_FALSE(d.answered);
    EXPECT_NE(d.why.find("no answer within 200 ms (2 tries)"), std::string::npos) << d.why;
    EXPECT_EQ(trace.size(), 2u);
    auto again = parent_delegation(N("two.test."), o);
    EXPECT_FALSE(again.answered);
    EXPECT_NE(again.why.find("silent earlier in this run"), std::string::npos) << again.why;
    EXPECT_EQ(trace.size(), 2u) << "asked a silent server again";
    forget_parent_answers();
}

TEST(ParentQuery, AReferralOverUdpOrOverTcpAfterTruncationIsReadAndKeptForTheRun) {
    forget_parent_answers();
    for (bool truncate : {false, true}) {
        Loopback srv;
        std::atomic<int> udp_asked{0}, tcp_asked{0};
        std::thread server([&] {
            char buf[512];
            sockaddr_in from{};
            socklen_t len = sizeof from;
            pollfd p{srv.udp, POLLIN, 0};
            if (::poll(&p, 1, 10000) != 1) return;
            ssize_t n =
                ::recvfrom(srv.udp, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
            ++udp_asked;
            std::string q(buf, static_cast<std::size_t>(n));
            std::string r = referral_for(q, truncate);
            ::sendto(srv.udp, r.data(), r.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
            if (!truncate) return;
            pollfd t{srv.tcp, POLLIN, 0};
            if (::poll(&t, 1, 10000) != 1) return;
            int c = ::accept(srv.tcp, nullptr, nullptr);
            unsigned char l[2];
            if (::recv(c, l, 2, MSG_WAITALL) != 2) return;
            std::string tq((l[0] << 8) | l[1], '\0');
            ::recv(c, tq.data(), tq.size(), MSG_WAITALL);
            ++tcp_asked;
            std::string tr = referral_for(tq, false);
            std::string framed{static_cast<char>(tr.size() >> 8),
                               static_cast<char>(tr.size() & 0xff)};
            framed += tr;
            ::send(c, framed.data(), framed.size(), 0);
            ::close(c);
        });
        ParentQueryOptions o;
        o.servers = {Endpoint{"127.0.0.1", false, srv.port}};
        Name zone = N(truncate ? "tc.customer.test." : "customer.test.");
        auto d = parent_delegation(zone, o);
        server.join();
        // The truncated UDP reply holds no records: the delegation came over TCP.
        EXPECT_EQ(tcp_asked.load(), truncate ? 1 : 0);
        ASSERT_TRUE(d.answered) << d.why;
        EXPECT_EQ(d.ns, std::vector<Name>{N("ns1.example.net.")});
        EXPECT_EQ(d.answered_by, "127.0.0.1:" + std::to_string(srv.port));
        EXPECT_EQ(d.asked, std::vector<std::string>{d.answered_by});
        // Kept for the run: asked again, nothing is sent (the server has stopped).
        auto again = parent_delegation(zone, o);
        EXPECT_TRUE(again.answered);
        EXPECT_EQ(udp_asked.load(), 1);
    }
    forget_parent_answers();
}

TEST(ParentQuery, NoSystemResolverIsSaid) {
    forget_parent_answers();
    ParentQueryOptions o;
    o.resolv_conf = "/nonexistent/resolv.conf";
    auto d = parent_delegation(N("customer.test."), o);
    EXPECT_FALSE(d.answered);
    EXPECT_TRUE(d.via_resolver);
    EXPECT_NE(d.why.find("no system resolver: /nonexistent/resolv.conf"), std::string::npos)
        << d.why;
    forget_parent_answers();
}
