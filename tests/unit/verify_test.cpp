// verify's checks against a fake DNS world (VerifyOptions::ask answers from tables): one
// fixture per check, and one for the verdict and the renderers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "backends/dnssec_ds.hpp"
#include "backends/dnssec_sig.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/verify.hpp"

using namespace zonegen;

namespace {

Name N(const std::string& s) {
    return Name::parse(s);
}

// One server of the fake world: the rrsets it answers with, or silence.
struct FakeServer {
    bool silent = false;
    bool aa = true;
    std::string rcode = "NOERROR";
    std::map<std::pair<Name, RRType>, std::pair<std::uint32_t, std::vector<std::string>>> data;
    std::vector<DnsRecord> authority, additional;  // a parent's referral

    void put(const Name& owner, RRType t, std::uint32_t ttl, std::vector<std::string> rd) {
        data[{owner, t}] = {ttl, std::move(rd)};
    }
    void load(const Zone& z) {
        for (const RRset& s : z.rrsets()) put(s.owner, s.type, s.ttl(), s.rdata());
    }
    void soa(const Name& zone, std::uint32_t serial) {
        Soa s{N("ns1.example.net."),
              N("hostmaster.example.net."),
              serial,
              14400,
              3600,
              1209600,
              3600};
        put(zone, rrtype::SOA, 3600, {soa_wire(s)});
    }
    // With `dnssec` (the DO bit), the RRSIGs stored at `n` that cover `t` come along.
    DnsAnswer answer(const Name& n, RRType t, bool dnssec = false) const {
        DnsAnswer a;
        if (silent) return a;
        a.answered = true;
        a.rcode = rcode;
        a.aa = aa;
        if (auto it = data.find({n, t}); it != data.end())
            for (const auto& rd : it->second.second)
                a.answer.push_back({n, t, it->second.first, rd});
        if (auto it = data.find({n, rrtype::RRSIG}); dnssec && it != data.end())
            for (const auto& rd : it->second.second)
                if (parse_rrsig(rd) && parse_rrsig(rd)->covered == t)
                    a.answer.push_back({n, rrtype::RRSIG, it->second.first, rd});
        a.authority = authority;
        a.additional = additional;
        return a;
    }
};

std::string ns_wire(const std::string& target) {
    return parse_rdata(rrtype::NS, target, Name());
}

// The world: servers by "address:port"; a question to any other server goes unanswered.
struct FakeWorld {
    std::map<std::string, FakeServer> servers;
    std::vector<std::string> asked;  // "address:port name type", in order

    FakeServer& at(const std::string& address, std::uint16_t port = 53) {
        return servers[address + ":" + std::to_string(port)];
    }
    std::vector<DnsAnswer> operator()(const std::vector<DnsQuestion>& qs, const QueryBudget&) {
        std::vector<DnsAnswer> out;
        for (const auto& q : qs) {
            std::string key = q.address + ":" + std::to_string(q.port);
            asked.push_back(key + " " + q.name.to_string() + " " + type_name(q.type));
            auto it = servers.find(key);
            out.push_back(it == servers.end() ? DnsAnswer{}
                                              : it->second.answer(q.name, q.type, q.dnssec));
        }
        return out;
    }
};

Spec spec_of(const std::string& pattern, const std::string& extra = "") {
    std::string more;
    if (pattern != "A") more = "customer_nameservers: [ns1.dns-host.example]\n";
    if (pattern == "B") more += "customer_primary: [198.51.100.1]\n";
    return parse_spec("domain: example.com\ndns_pattern: " + pattern +
                          "\nregistrar: customer\nserver: {name: sv.example.net, ipv4: "
                          "[192.0.2.10]}\n" +
                          (extra.empty() ? more : extra),
                      "t.yaml");
}

constexpr std::time_t kNow = 1800000000;  // 2027-01-15T08:00:00Z

class VerifyWorld : public ::testing::Test {
  protected:
    Profile profile = load_profile("");
    Spec spec = spec_of("A");
    FakeWorld world;
    VerifyOptions opts;

    void SetUp() override { opts.now = kNow; }

    // Our two servers (the default profile's ns1 and ns2) serving the zone the spec wants.
    void our_servers_serve(std::uint32_t serial1 = 7, std::uint32_t serial2 = 7) {
        Desired d = desired();
        world.at("192.0.2.53").load(d.zone);
        world.at("192.0.2.53").soa(spec.domain, serial1);
        world.at("198.51.100.53").load(d.zone);
        world.at("198.51.100.53").soa(spec.domain, serial2);
    }
    Desired desired() const {
        GenerateOptions go;
        go.serial = 1;
        return build_desired(spec, profile, go);
    }
    // A parent at 203.0.113.1 delegating to `targets`.
    FakeServer& parent_delegates(const std::vector<std::string>& targets, std::uint32_t ttl) {
        opts.parent_server = parse_endpoint("203.0.113.1");
        FakeServer& p = world.at("203.0.113.1");
        p.aa = false;
        for (const auto& t : targets)
            p.authority.push_back({spec.domain, rrtype::NS, ttl, ns_wire(t)});
        return p;
    }
    VerifyResult run() {
        opts.ask = [this](const std::vector<DnsQuestion>& qs, const QueryBudget& b) {
            return world(qs, b);
        };
        return verify_switch(spec, profile, opts);
    }
    static VerifyCheck check(const VerifyResult& r, VerifyCheckId id) {
        const VerifyCheck* c = r.find(id);
        if (!c) throw std::runtime_error(std::string("no check ") + to_string(id));
        return *c;
    }
    static std::string evidence(const VerifyCheck& c) {
        std::string s;
        for (const auto& e : c.evidence) s += e + "\n";
        return s;
    }
};

// ---- our-servers ------------------------------------------------------------------------

class OurServersCheck : public VerifyWorld {};

TEST_F(OurServersCheck, BothServeTheWantedRecordsWithOneSerial) {
    our_servers_serve();
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::ok);
    EXPECT_EQ(c.message,
              "our servers serve the zone with the same serial and the records the spec wants");
    EXPECT_EQ(evidence(c),
              "ns1.example.net. (192.0.2.53): serves the zone, serial 7\n"
              "ns2.example.net. (198.51.100.53): serves the zone, serial 7\n");
    EXPECT_EQ(r.verdict, Verdict::ready);
    EXPECT_EQ(verdict_text(r), "ready to switch");
    EXPECT_FALSE(r.problem());
}

TEST_F(OurServersCheck, ASilentServerIsAProblem) {
    our_servers_serve();
    world.at("198.51.100.53").silent = true;
    opts.timeout_ms = 1500;
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_EQ(c.message, "our servers are not ready");
    EXPECT_NE(evidence(c).find("ns2.example.net. (198.51.100.53): no answer within 1500 ms\n"),
              std::string::npos)
        << evidence(c);
    EXPECT_EQ(r.verdict, Verdict::not_ready);
    EXPECT_EQ(verdict_text(r), "not ready to switch");
    EXPECT_TRUE(r.problem());
}

TEST_F(OurServersCheck, ANonAuthoritativeAnswerDoesNotServeTheZone) {
    our_servers_serve();
    world.at("192.0.2.53").aa = false;
    world.at("192.0.2.53").rcode = "REFUSED";
    const auto& c = check(run(), VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(evidence(c).find("ns1.example.net. (192.0.2.53): does not serve example.com. "
                               "(REFUSED, not authoritative)"),
              std::string::npos)
        << evidence(c);
}

TEST_F(OurServersCheck, ALaggingSecondaryIsAProblem) {
    our_servers_serve(8, 7);
    const auto& c = check(run(), VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(evidence(c).find("ns2.example.net. (198.51.100.53): lagging: serial 7, behind 8, "
                               "the highest of ours (its transfers are not arriving)"),
              std::string::npos)
        << evidence(c);
}

// Serials 2^31 apart have no order in RFC 1982 arithmetic: the servers disagree all the same.
TEST_F(OurServersCheck, SerialsWithNoOrderStillDisagree) {
    our_servers_serve(7, 7u + 0x80000000u);
    VerifyResult r = run();
    EXPECT_EQ(check(r, VerifyCheckId::our_servers).status, CheckStatus::problem);
    EXPECT_FALSE(r.in_sync());
    ASSERT_EQ(r.servers.size(), 2u);
    EXPECT_TRUE(r.servers[0].lagging || r.servers[1].lagging);
}

// The first server asked may be the one behind: the blame goes to it, not to the others.
TEST_F(OurServersCheck, TheServerBehindIsBlamedWhicheverIsAskedFirst) {
    our_servers_serve(7, 8);
    const auto& c = check(run(), VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(evidence(c).find("ns1.example.net. (192.0.2.53): lagging: serial 7, behind 8"),
              std::string::npos)
        << evidence(c);
    EXPECT_EQ(evidence(c).find("ns2.example.net. (198.51.100.53): lagging"), std::string::npos)
        << evidence(c);
}

TEST_F(OurServersCheck, EachServersStateIsAValue) {
    our_servers_serve(8, 7);
    VerifyResult r = run();
    ASSERT_EQ(r.servers.size(), 2u);
    EXPECT_EQ(r.servers[0].name, N("ns1.example.net."));
    EXPECT_TRUE(r.servers[0].serves);
    EXPECT_EQ(r.servers[0].serial, std::optional<std::uint32_t>(8));
    EXPECT_FALSE(r.servers[0].lagging);
    EXPECT_EQ(r.servers[1].name, N("ns2.example.net."));
    EXPECT_EQ(r.servers[1].serial, std::optional<std::uint32_t>(7));
    EXPECT_TRUE(r.servers[1].lagging);
    EXPECT_FALSE(r.in_sync());
    our_servers_serve(7, 8);  // the first one behind is lagging too
    r = run();
    EXPECT_TRUE(r.servers[0].lagging);
    EXPECT_FALSE(r.servers[1].lagging);
    our_servers_serve(0xFFFFFFF0u, 3);  // RFC 1982: 3 is after 0xFFFFFFF0
    r = run();
    EXPECT_TRUE(r.servers[0].lagging);
    EXPECT_FALSE(r.servers[1].lagging);
    our_servers_serve(7, 7);
    EXPECT_TRUE(run().in_sync());
}

TEST_F(OurServersCheck, ASilentServerDoesNotServe) {
    our_servers_serve();
    world.at("198.51.100.53").silent = true;
    VerifyResult r = run();
    ASSERT_EQ(r.servers.size(), 2u);
    EXPECT_TRUE(r.servers[0].serves);
    EXPECT_FALSE(r.servers[1].serves);
    EXPECT_FALSE(r.servers[1].serial);
    EXPECT_FALSE(r.servers[1].lagging);
    EXPECT_FALSE(r.in_sync());
}

TEST_F(OurServersCheck, AWrongRecordIsNamedWithWhatItShouldBe) {
    our_servers_serve();
    world.at("192.0.2.53")
        .put(N("www.example.com."), rrtype::A, 3600,
             {parse_rdata(rrtype::A, "203.0.113.9", spec.domain)});
    const auto& c = check(run(), VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(
        evidence(c).find(
            "ns1.example.net. (192.0.2.53): www.example.com. A is 203.0.113.9, want 192.0.2.10"),
        std::string::npos)
        << evidence(c);
}

TEST_F(OurServersCheck, OtherTxtValuesMayStandBesideOurs) {
    our_servers_serve();
    Desired d = desired();
    const RRset* spf = d.zone.find(spec.domain, rrtype::TXT);
    ASSERT_NE(spf, nullptr);
    auto rd = spf->rdata();
    rd.push_back(parse_rdata(rrtype::TXT, "\"google-site-verification=x\"", spec.domain));
    world.at("192.0.2.53").put(spec.domain, rrtype::TXT, 3600, rd);
    EXPECT_EQ(check(run(), VerifyCheckId::our_servers).status, CheckStatus::ok);
    world.at("198.51.100.53").put(spec.domain, rrtype::TXT, 3600, {rd.back()});
    EXPECT_EQ(check(run(), VerifyCheckId::our_servers).status, CheckStatus::problem);
}

TEST_F(OurServersCheck, PatternBComparesOurSecondaryWithTheCustomersPrimary) {
    spec = spec_of("B");
    FakeServer& ours = world.at("198.51.100.53");
    ours.load(desired().zone);
    ours.soa(spec.domain, 5);
    FakeServer& primary = world.at("198.51.100.1");
    primary.soa(spec.domain, 6);
    primary.put(spec.domain, rrtype::NS, 3600, {ns_wire("ns1.dns-host.example.")});
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_EQ(evidence(c),
              "ns2.example.net. (198.51.100.53): serves the zone, serial 5\n"
              "customer primary 198.51.100.1: serial 6\n"
              "our secondary is at serial 5, the primary at 6: transfers are not arriving\n"
              "customer primary 198.51.100.1: its NS set lacks our secondary ns2.example.net.\n");
    // The pattern-B secondary is asked; ns1 is not ours for B.
    for (const auto& q : world.asked) EXPECT_EQ(q.find("192.0.2.53"), std::string::npos) << q;
}

TEST_F(OurServersCheck, PatternBWithoutATransferYetSaysWhatThePrimaryMustAllow) {
    spec = spec_of("B");
    FakeServer& primary = world.at("198.51.100.1");
    primary.soa(spec.domain, 6);
    primary.put(spec.domain, rrtype::NS, 3600,
                {ns_wire("ns1.dns-host.example."), ns_wire("ns2.example.net.")});
    const auto& c = check(run(), VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::problem);  // our secondary does not answer at all
    EXPECT_NE(evidence(c).find("our secondary has not transferred the zone: the primary must "
                               "allow AXFR to it"),
              std::string::npos)
        << evidence(c);
    EXPECT_EQ(evidence(c).find("lacks our secondary"), std::string::npos) << evidence(c);
}

TEST_F(OurServersCheck, PatternCHasNothingOnOurServers) {
    spec = spec_of("C");
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::ok);
    EXPECT_EQ(c.message, "pattern C: nothing of the zone is on our servers");
    EXPECT_TRUE(c.evidence.empty());
    EXPECT_TRUE(world.asked.empty());
}

// ---- delegation ---------------------------------------------------------------------------

class DelegationCheck : public VerifyWorld {};

TEST_F(DelegationCheck, WithoutAParentServerItIsNotChecked) {
    our_servers_serve();
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::delegation);
    EXPECT_EQ(c.status, CheckStatus::unknown);
    EXPECT_EQ(c.message, "not checked: give --parent-server (a server of the parent zone)");
    EXPECT_TRUE(c.evidence.empty());
    EXPECT_FALSE(r.delegation_switched);
}

TEST_F(DelegationCheck, ASilentParentIsUnknown) {
    our_servers_serve();
    opts.parent_server = parse_endpoint("203.0.113.1:5353");
    const auto& c = check(run(), VerifyCheckId::delegation);
    EXPECT_EQ(c.status, CheckStatus::unknown);
    EXPECT_EQ(c.message, "the parent server does not answer");
    EXPECT_EQ(evidence(c), "parent 203.0.113.1:5353: no answer within 2000 ms\n");
}

TEST_F(DelegationCheck, TheParentDelegatingToUsIsTheSwitch) {
    our_servers_serve();
    parent_delegates({"ns1.example.net.", "ns2.example.net."}, 172800);
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::delegation);
    EXPECT_EQ(c.status, CheckStatus::ok);
    EXPECT_EQ(c.message, "the parent delegates to the expected name servers");
    EXPECT_EQ(evidence(c),
              "parent 203.0.113.1: NS ns1.example.net. ns2.example.net., TTL 172800\n");
    EXPECT_TRUE(r.delegation_switched);
    EXPECT_EQ(r.longest_ttl, 172800u);
}

TEST_F(DelegationCheck, TheParentStillDelegatingElsewhereIsNotASwitch) {
    our_servers_serve();
    parent_delegates({"ns1.oldprovider.example."}, 86400);
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::delegation);
    EXPECT_EQ(c.status, CheckStatus::ok);
    EXPECT_EQ(c.message, "the parent still delegates elsewhere: not switched yet");
    EXPECT_FALSE(r.delegation_switched);
    EXPECT_EQ(r.verdict, Verdict::ready);
}

TEST_F(DelegationCheck, ALameDelegationToOneOfOursIsAProblem) {
    our_servers_serve();
    world.at("198.51.100.53").rcode = "REFUSED";
    parent_delegates({"ns1.example.net.", "ns2.example.net."}, 172800);
    const auto& c = check(run(), VerifyCheckId::delegation);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(
        evidence(c).find("lame delegation: ns2.example.net. is ours but does not serve the zone\n"),
        std::string::npos)
        << evidence(c);
    VerifyResult r = run();
    ASSERT_EQ(r.servers.size(), 2u);
    EXPECT_FALSE(r.servers[0].lame);
    EXPECT_TRUE(r.servers[1].lame);
    EXPECT_FALSE(r.servers[1].serves);
}

TEST_F(DelegationCheck, GlueForANameServerInsideTheDomainMustMatch) {
    spec = spec_of("C",
                   "customer_nameservers: [{name: ns1.example.com, ipv4: [198.51.100.54]}, "
                   "ns2.dns-host.example]\n");
    FakeServer& p = parent_delegates({"ns1.example.com.", "ns2.dns-host.example."}, 3600);
    p.additional.push_back({N("ns1.example.com."), rrtype::A, 3600,
                            parse_rdata(rrtype::A, "198.51.100.99", spec.domain)});
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::delegation);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(evidence(c).find("glue for ns1.example.com. is 198.51.100.99, want 198.51.100.54"),
              std::string::npos)
        << evidence(c);
    EXPECT_TRUE(r.delegation_switched);
}

TEST_F(DelegationCheck, ADsForTheUnsignedZoneIsAProblem) {
    our_servers_serve();
    FakeServer& p = parent_delegates({"ns1.example.net.", "ns2.example.net."}, 172800);
    p.put(spec.domain, rrtype::DS, 86400,
          {parse_rdata(rrtype::DS, "12345 13 2 " + std::string(64, 'a'), spec.domain)});
    const auto& c = check(run(), VerifyCheckId::delegation);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(evidence(c).find("parent 203.0.113.1: publishes a DS, but the zone is not signed "
                               "by us"),
              std::string::npos)
        << evidence(c);
}

// ---- dnssec: the parent's DS against the keys our servers serve ----------------------------

class DnssecChainCheck : public VerifyWorld {
  protected:
    // What a PowerDNS 4.7 primary served for sig-test.com. signed with a CSK (dig +dnssec):
    // the SOA, the DNSKEY and their RRSIGs, valid from 2026-11-26 to 2026-12-17.
    const std::string soa =
        "ns1.example.net. hostmaster.example.net. 2026120701 14400 3600 1209600 3600";
    const std::string key =
        "257 3 13 kIjc/hecvnb4MIFMXVTRb53fzw/K3iyjkS2AFcrAq717t6cQFAfzDtBPqwl3MuHxUF+Nn2CyEJcgzPg/"
        "RP4ntQ==";
    const std::string soa_sig =
        "SOA 13 2 3600 20261217000000 20261126000000 44928 sig-test.com. "
        "wiGpLpVY2clVjdOmkoTaBp2pHiWZ0Sm1VxZkiEp4DRCngDcQpl76tYAIw72YawruEqJpLxFX0t/"
        "HRJwgqAwSmA==";
    const std::string key_sig =
        "DNSKEY 13 2 3600 20261217000000 20261126000000 44928 sig-test.com. "
        "pKmWBl+/hHftjNZPejn2yeFBMMY1oGLSXAj2LtPf3v3To0k/1EVzTOcX94j7WupMoVFIvY1OgXIodHzo3oWFqw==";
    const std::string old_ds = "11111 13 2 " + std::string(64, 'B');
    std::string our_ds;

    void SetUp() override {
        VerifyWorld::SetUp();
        opts.now = 1795996800;  // 2026-11-30T00:00:00Z, 17 days before the signatures expire
        spec = parse_spec(
            "domain: sig-test.com\ndns_pattern: A\nregistrar: customer\nserver: "
            "{name: sv.example.net, ipv4: [192.0.2.10]}\ndnssec: true\n",
            "t.yaml");
        our_ds = ds_of_dnskey(spec.domain, key).to_string();
    }
    void our_servers_sign(const std::string& sig_of_soa = "") {
        our_servers_serve();
        for (const char* a : {"192.0.2.53", "198.51.100.53"}) {
            FakeServer& s = world.at(a);
            s.put(spec.domain, rrtype::SOA, 3600, {parse_rdata(rrtype::SOA, soa, spec.domain)});
            s.put(spec.domain, rrtype::DNSKEY, 3600,
                  {parse_rdata(rrtype::DNSKEY, key, spec.domain)});
            s.put(
                spec.domain, rrtype::RRSIG, 3600,
                {parse_rdata(rrtype::RRSIG, sig_of_soa.empty() ? soa_sig : sig_of_soa, spec.domain),
                 parse_rdata(rrtype::RRSIG, key_sig, spec.domain)});
        }
    }
    void parent_ds(FakeServer& p, const std::vector<std::string>& ds) {
        std::vector<std::string> wire;
        for (const auto& d : ds) wire.push_back(parse_rdata(rrtype::DS, d, spec.domain));
        p.put(spec.domain, rrtype::DS, 86400, wire);
    }
};

TEST_F(DnssecChainCheck, SignedServersWithValidSignaturesAreReady) {
    our_servers_sign();
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::ok) << evidence(c);
    EXPECT_EQ(r.verdict, Verdict::ready);
}

TEST_F(DnssecChainCheck, ASignatureThatDoesNotVerifyIsAProblem) {
    std::string bad = soa_sig;
    bad[bad.size() - 5] = bad[bad.size() - 5] == 'A' ? 'B' : 'A';
    our_servers_sign(bad);
    const auto& c = check(run(), VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(evidence(c).find("the RRSIG over SOA (key 44928) does not verify"), std::string::npos)
        << evidence(c);
}

TEST_F(DnssecChainCheck, SignaturesWithinSevenDaysOfExpiryAreAProblem) {
    our_servers_sign();
    opts.now = 1796688000;  // 2026-12-08T00:00:00Z: 9 days left
    EXPECT_EQ(check(run(), VerifyCheckId::our_servers).status, CheckStatus::ok);
    opts.now = 1796947200;  // 2026-12-11T00:00:00Z: 6 days left
    const auto& c = check(run(), VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(evidence(c).find("expires 2026-12-17T00:00:00Z, within 7 days"), std::string::npos)
        << evidence(c);
}

TEST_F(DnssecChainCheck, ExpiredSignaturesDoNotVerify) {
    our_servers_sign();
    opts.now = 1798000000;  // 2026-12-23: past the expiry
    const auto& c = check(run(), VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(evidence(c).find("does not verify"), std::string::npos) << evidence(c);
}

TEST_F(DnssecChainCheck, OurServersWithoutAKeyAreNotReady) {
    our_servers_serve();
    const auto& c = check(run(), VerifyCheckId::our_servers);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(evidence(c).find("serves no DNSKEY with the SEP flag"), std::string::npos)
        << evidence(c);
}

TEST_F(DnssecChainCheck, TheParentsDsOfOurKeyIsFine) {
    our_servers_sign();
    parent_ds(parent_delegates({"ns1.example.net.", "ns2.example.net."}, 172800), {our_ds});
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::delegation);
    EXPECT_EQ(c.status, CheckStatus::ok) << evidence(c);
    EXPECT_NE(evidence(c).find("DS " + our_ds + " is our key's"), std::string::npos) << evidence(c);
    EXPECT_EQ(check(r, VerifyCheckId::our_servers).status, CheckStatus::ok);
}

TEST_F(DnssecChainCheck, NoDsYetIsInsecureNotAProblem) {
    our_servers_sign();
    parent_delegates({"ns1.example.net.", "ns2.example.net."}, 172800);
    const auto& c = check(run(), VerifyCheckId::delegation);
    EXPECT_EQ(c.status, CheckStatus::ok);
    EXPECT_NE(evidence(c).find("no DS: the zone resolves unsigned (insecure)"), std::string::npos);
}

TEST_F(DnssecChainCheck, TheOldProvidersDsAfterTheSwitchIsTheOutage) {
    our_servers_sign();
    parent_ds(parent_delegates({"ns1.example.net.", "ns2.example.net."}, 172800), {old_ds});
    const auto& c = check(run(), VerifyCheckId::delegation);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(evidence(c).find("matches no key our servers serve: every validating resolver "
                               "fails the domain (SERVFAIL) now"),
              std::string::npos)
        << evidence(c);
}

TEST_F(DnssecChainCheck, TheOldProvidersDsBeforeTheSwitchSaysWhatSwitchingWouldDo) {
    our_servers_sign();
    parent_ds(parent_delegates({"ns1.oldprovider.example."}, 172800), {old_ds});
    const auto& c = check(run(), VerifyCheckId::delegation);
    EXPECT_EQ(c.status, CheckStatus::problem);
    EXPECT_NE(evidence(c).find("if the name servers change while it is published"),
              std::string::npos)
        << evidence(c);
}

TEST_F(DnssecChainCheck, OursBesideTheOldOneStillValidates) {
    our_servers_sign();
    parent_ds(parent_delegates({"ns1.example.net.", "ns2.example.net."}, 172800), {our_ds, old_ds});
    EXPECT_EQ(check(run(), VerifyCheckId::delegation).status, CheckStatus::ok);
}

// ---- old-server ---------------------------------------------------------------------------

class OldServerCheck : public VerifyWorld {
  protected:
    FakeServer& old_server() {
        opts.old_server = parse_endpoint("203.0.113.80");
        return world.at("203.0.113.80");
    }
};

TEST_F(OldServerCheck, WithoutAnOldServerItIsNotChecked) {
    our_servers_serve();
    const auto& c = check(run(), VerifyCheckId::old_server);
    EXPECT_EQ(c.status, CheckStatus::unknown);
    EXPECT_EQ(c.message, "not checked: give --old-server ADDR[:PORT]");
    EXPECT_TRUE(c.evidence.empty());
}

TEST_F(OldServerCheck, SilentBeforeTheSwitchIsUnknownAfterItFine) {
    our_servers_serve();
    old_server().silent = true;
    const auto& before = check(run(), VerifyCheckId::old_server);
    EXPECT_EQ(before.status, CheckStatus::unknown);
    EXPECT_EQ(before.message, "the old server does not answer");
    EXPECT_EQ(evidence(before),
              "old server 203.0.113.80: no answer within 2000 ms\nlongest TTL in play: 0 s\n");
    opts.switched_at = kNow - 3600;
    const auto& after = check(run(), VerifyCheckId::old_server);
    EXPECT_EQ(after.status, CheckStatus::ok);
    EXPECT_EQ(after.message, "the old server no longer answers (fine after the switch)");
}

TEST_F(OldServerCheck, NamesAnsweringDifferentlyAreListedWithTheLongestTtl) {
    our_servers_serve();
    FakeServer& o = old_server();
    o.soa(spec.domain, 5);
    o.put(spec.domain, rrtype::A, 7200, {parse_rdata(rrtype::A, "203.0.113.80", spec.domain)});
    o.put(spec.domain, rrtype::NS, 86400, {ns_wire("ns1.oldprovider.example.")});
    Desired d = desired();
    const RRset* www = d.zone.find(N("www.example.com."), rrtype::A);
    o.put(www->owner, www->type, 300, www->rdata());
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::old_server);
    EXPECT_EQ(c.status, CheckStatus::ok);
    EXPECT_EQ(r.longest_ttl, 86400u);
    EXPECT_NE(c.message.find(" names still answer differently on the old server"),
              std::string::npos);
    EXPECT_NE(evidence(c).find("old server 203.0.113.80: example.com. A 203.0.113.80\n"),
              std::string::npos)
        << evidence(c);
    EXPECT_EQ(evidence(c).find("www.example.com. A"), std::string::npos) << evidence(c);
    EXPECT_NE(evidence(c).find("longest TTL in play: 86400 s\n"), std::string::npos);
}

TEST_F(OldServerCheck, AnOldServerAnsweringLikeOursIsSaidSo) {
    our_servers_serve();
    FakeServer& o = old_server();
    o.load(desired().zone);
    o.soa(spec.domain, 5);
    VerifyResult r = run();
    const auto& c = check(r, VerifyCheckId::old_server);
    EXPECT_EQ(c.status, CheckStatus::ok);
    EXPECT_EQ(c.message, "the old server already answers like ours");
}

// ---- the switch time, the verdict and the renderers ---------------------------------------

class VerifyVerdict : public VerifyWorld {
  protected:
    std::string state_path() {
        char tmpl[] = "/tmp/zonegen-verify-test-XXXXXX";
        std::string dir = ::mkdtemp(tmpl);
        dirs.push_back(dir);
        return dir + "/switch.state";
    }
    void TearDown() override {
        for (const auto& d : dirs) {
            std::remove((d + "/switch.state").c_str());
            ::rmdir(d.c_str());
        }
    }
    std::vector<std::string> dirs;
};

TEST_F(VerifyVerdict, TheParallelPeriodRunsFromTheSwitchForParallelMinDays) {
    our_servers_serve();
    opts.switched_at = kNow - 86400;
    VerifyResult r = run();
    EXPECT_TRUE(r.delegation_switched);
    ASSERT_TRUE(r.safe_after);
    EXPECT_EQ(*r.safe_after, kNow - 86400 + 14 * 86400);
    EXPECT_EQ(r.verdict, Verdict::parallel);
    EXPECT_EQ(verdict_text(r), "switched, parallel operation until 2027-01-28T08:00:00Z");
}

TEST_F(VerifyVerdict, AfterTheParallelPeriodTheOldServerMayGo) {
    our_servers_serve();
    opts.switched_at = kNow - 30 * 86400;
    VerifyResult r = run();
    EXPECT_EQ(r.verdict, Verdict::safe_to_cancel);
    EXPECT_EQ(verdict_text(r), "safe to cancel the old server (once no more mail arrives there)");
    std::string text = verify_text(r);
    EXPECT_NE(text.find("The parallel period is over; cancel the old server only once the "
                        "customer confirms no more mail arrives there.\n"),
              std::string::npos)
        << text;
}

TEST_F(VerifyVerdict, TheStateFileRemembersTheFirstSwitchSeen) {
    our_servers_serve();
    parent_delegates({"ns1.example.net.", "ns2.example.net."}, 172800);
    opts.state_file = state_path();
    VerifyResult first = run();
    ASSERT_TRUE(first.switched_at);
    EXPECT_EQ(*first.switched_at, kNow);
    auto saved = nlohmann::json::parse(std::ifstream(opts.state_file));
    EXPECT_EQ(saved["switched_at"], kNow);
    EXPECT_EQ(saved["zone"], "example.com.");
    opts.now = kNow + 3600;
    VerifyResult second = run();
    EXPECT_EQ(*second.switched_at, kNow);
    // The parent NS TTL (2 days) is shorter than parallel_min_days.
    EXPECT_EQ(*second.safe_after, kNow + 14 * 86400);
}

TEST_F(VerifyVerdict, AStateFileWithoutTheDelegationKeepsTheTimeButNotTheSwitch) {
    our_servers_serve();
    opts.state_file = state_path();
    std::ofstream(opts.state_file) << "{\"switched_at\": 1700000000}\n";
    VerifyResult r = run();
    EXPECT_FALSE(r.delegation_switched);
    EXPECT_EQ(r.switched_at, std::optional<std::time_t>(1700000000));
    EXPECT_EQ(r.verdict, Verdict::ready);
    EXPECT_FALSE(r.safe_after);
}

TEST_F(VerifyVerdict, TheJsonKeepsItsFields) {
    our_servers_serve();
    world.at("198.51.100.53").silent = true;
    opts.switched_at = kNow - 86400;
    auto j = verify_json(run());
    EXPECT_EQ(
        j.dump(),
        R"J({"checks":[{"check":"our-servers","evidence":["ns1.example.net. (192.0.2.53): )J"
        R"J(serves the zone, serial 7","ns2.example.net. (198.51.100.53): no answer within )J"
        R"J(2000 ms"],"message":"our servers are not ready","status":"problem"},)J"
        R"J({"check":"delegation","evidence":[],"message":"not checked: give )J"
        R"J(--parent-server (a server of the parent zone)","status":"unknown"},)J"
        R"J({"check":"old-server","evidence":[],"message":"not checked: give )J"
        R"J(--old-server ADDR[:PORT]","status":"unknown"}],"delegation_switched":true,)J"
        R"J("in_sync":false,"longest_ttl":0,"problem":true,"safe_after":"2027-01-28T08:00:00Z",)J"
        R"J("servers":[{"lagging":false,"lame":false,"name":"ns1.example.net.",)J"
        R"J("serial":7,"serves":true},{"lagging":false,"lame":false,"name":)J"
        R"J("ns2.example.net.","serial":null,"serves":false}],)J"
        R"J("switched_at":"2027-01-14T08:00:00Z","verdict":"switched, parallel )J"
        R"J(operation until 2027-01-28T08:00:00Z"})J");
}

TEST_F(VerifyVerdict, TheTextIsTheVerdictThenEachCheck) {
    our_servers_serve();
    EXPECT_EQ(verify_text(run()),
              "ready to switch\n"
              "ok      our-servers: our servers serve the zone with the same serial and the "
              "records the spec wants\n"
              "        ns1.example.net. (192.0.2.53): serves the zone, serial 7\n"
              "        ns2.example.net. (198.51.100.53): serves the zone, serial 7\n"
              "unknown delegation: not checked: give --parent-server (a server of the parent "
              "zone)\n"
              "unknown old-server: not checked: give --old-server ADDR[:PORT]\n");
}

}  // namespace
