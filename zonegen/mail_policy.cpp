#include "zonegen/mail_policy.hpp"

#include <ldns/sha2.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "zonegen/text.hpp"

namespace zonegen {
namespace {

// A profile pattern with {server} and {domain} filled in, no trailing dot.
std::string fill(std::string s, const Spec& spec) {
    for (auto [ph, v] : {std::pair{std::string("{server}"), bare(spec.server.name)},
                         {std::string("{domain}"), bare(spec.domain)}})
        for (auto pos = s.find(ph); pos != std::string::npos; pos = s.find(ph, pos + v.size()))
            s.replace(pos, ph.size(), v);
    while (!s.empty() && s.back() == '.') s.pop_back();
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// True when a certificate for one of `certified` (a leading "*." matches one label) is
// valid for `host`.
bool certified(const std::string& host, const std::vector<std::string>& names) {
    for (const auto& n : names) {
        if (n == host) return true;
        if (n.rfind("*.", 0) == 0) {
            auto dot = host.find('.');
            if (dot != std::string::npos && host.substr(dot + 1) == n.substr(2)) return true;
        }
    }
    return false;
}

std::vector<std::string> certified_names(const Spec& spec, const MtaStsSettings& s) {
    std::vector<std::string> out;
    for (const auto& n : s.certified) out.push_back(fill(n, spec));
    return out;
}

std::string sha256_hex(const std::string& text, std::size_t digits) {
    unsigned char d[32];
    ldns_sha256(reinterpret_cast<const unsigned char*>(text.data()),
                static_cast<unsigned int>(text.size()), d);
    std::string hex;
    char buf[3];
    for (unsigned char c : d) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        hex += buf;
    }
    return hex.substr(0, digits);
}

std::vector<std::string> apex_mx_hosts(const Zone& zone) {
    std::vector<std::string> hosts;
    if (const RRset* mx = zone.find(zone.origin(), rrtype::MX))
        for (const auto& r : mx->rrs)
            if (auto t = rdata_target(rrtype::MX, r.rdata); t && !t->is_root())
                hosts.push_back(bare(*t));
    std::sort(hosts.begin(), hosts.end());
    hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
    return hosts;
}

void uncertified_findings(const MtaStsPolicy& p, const Spec& spec, const MtaStsSettings& s,
                          std::vector<Finding>& out) {
    const auto names = certified_names(spec, s);
    const bool enforce = p.mode == "enforce";
    const Name apex = spec.domain;
    for (const auto& h : p.mx)
        if (!certified(h, names))
            out.push_back({"mta-sts-mx-uncertified", enforce ? Severity::error : Severity::warning,
                           apex.to_string(), rrtype::MX,
                           "MTA-STS: the MX host " + h +
                               " is not among the names the managed server has certificates "
                               "for (mail.mta_sts.certified_names): senders that enforce the "
                               "policy refuse to deliver to it. Point the MX at a certified name "
                               "(on a shared server, its own host name " +
                               bare(spec.server.name) + ")" +
                               (enforce ? "; mode enforce is refused until then" : ""),
                           0, ""});
    const std::string host = "mta-sts." + bare(apex);
    if (enforce && !certified(host, names))
        out.push_back({"mta-sts-enforce-uncertified", Severity::error,
                       apex.prepend("mta-sts").to_string(), rrtype::CNAME,
                       "MTA-STS mode enforce needs a certificate for " + host +
                           " on the policy host (senders fetch the policy from https://" + host +
                           "/) and for every MX host; add them to "
                           "mail.mta_sts.certified_names once issued, or use mode testing",
                       0, ""});
}

const std::map<std::string, int> kSrvPorts = {{"submission", 587}, {"submissions", 465},
                                              {"imap", 143},       {"imaps", 993},
                                              {"pop3", 110},       {"pop3s", 995}};

class Collector {
  public:
    Collector(const Zone& zone, const Spec& spec, const Profile& profile)
        : zone_(zone), spec_(spec), profile_(profile) {}

    // One rrset from presentation-form rdata; none where the spec put data already.
    void add(const Name& owner, RRType type, const std::vector<std::string>& text, Reason why,
             bool yields = false) {
        if (owner == spec_.domain ? zone_.find(owner, type) != nullptr
                                  : !zone_.types_at(owner).empty())
            return;
        PolicyRRset r{owner, type, {}, std::move(why), yields};
        for (const auto& t : text) r.rdata.push_back(parse_rdata(type, t, spec_.domain));
        out.push_back(std::move(r));
    }
    const Spec& spec() const { return spec_; }
    const Profile& profile() const { return profile_; }
    const Zone& zone() const { return zone_; }
    std::vector<PolicyRRset> out;

  private:
    const Zone& zone_;
    const Spec& spec_;
    const Profile& profile_;
};

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

void dmarc(Collector& c) {
    std::string t = dmarc_text(c.spec(), c.profile());
    if (t.empty()) return;
    c.add(c.spec().domain.prepend("_dmarc"), rrtype::TXT, {quoted(t)},
          {"DMARC: tells receivers what to do with mail that fails SPF and DKIM (p=" +
               (c.spec().mail_none ? std::string("reject") : c.profile().dmarc.policy) +
               ") and where to send reports",
           "DMARC：SPF・DKIMの認証に失敗したメールの扱いと、集計レポートの送付先を受信側に伝える"
           "ため"},
          true);
}

void caa(Collector& c, std::vector<Finding>& findings) {
    const Profile& p = c.profile();
    if (!p.caa.publish || p.certificate_authorities.empty() || !(c.spec().web || c.spec().mail))
        return;
    // B and C without import_from: the customer's zone, and what else it serves, is unseen.
    if (c.spec().pattern != Pattern::A && c.spec().import_from.empty()) return;
    if (auto hosts = foreign_hosts(c.zone(), c.spec(), p); !hosts.empty()) {
        findings.push_back(caa_withheld(c.spec().domain, hosts));
        return;
    }
    std::vector<std::string> rd;
    for (const auto& ca : p.certificate_authorities) rd.push_back("0 issue " + quoted(ca));
    if (!p.caa.iodef.empty()) rd.push_back("0 iodef " + quoted(p.caa.iodef));
    std::string cas = join(p.certificate_authorities, ", ");
    c.add(c.spec().domain, rrtype::CAA, rd,
          {"CAA: only the managed server's certificate authority (" + cas +
               ") may issue certificates for the domain",
           "CAA：マネージドサーバの証明書を発行する認証局（" + cas + "）だけに発行を許可するため"},
          true);
}

void mta_sts(Collector& c, std::vector<Finding>& findings) {
    auto p = mta_sts_policy(c.zone(), c.spec(), c.profile(), &findings);
    if (!p) return;
    const Name& d = c.spec().domain;
    const MtaStsSettings& s = *c.profile().mta_sts;
    c.add(d.prepend("_mta-sts"), rrtype::TXT, {quoted("v=STSv1; id=" + p->id)},
          {"MTA-STS: senders deliver to the managed server over TLS only (policy id " + p->id +
               ", mode " + p->mode + ")",
           "MTA-STS：送信側がマネージドサーバへTLSで配送するため（ポリシーID " + p->id +
               "、モード " + p->mode + "）"});
    c.add(d.prepend("mta-sts"), rrtype::CNAME, {s.policy_host.to_string()},
          {"MTA-STS: the policy file is served by " + bare(s.policy_host),
           "MTA-STS：ポリシーファイルを " + bare(s.policy_host) + " から配信するため"});
    if (!s.tls_rpt.empty())
        c.add(d.prepend("_tls").prepend("_smtp"), rrtype::TXT,
              {quoted("v=TLSRPTv1; rua=" + join(s.tls_rpt, ","))},
              {"TLS-RPT: senders report failed TLS deliveries to " + join(s.tls_rpt, ", "),
               "TLS-RPT：TLSでの配送に失敗した場合のレポートの送付先のため"});
}

Name mail_host(const Spec& spec, const Profile& profile) {
    std::string h = profile.autoconfig.host;
    if (auto at = h.find("{server}"); at != std::string::npos)
        h.replace(at, 8, spec.server.name.to_string());
    return Name::parse(h, &spec.domain);
}

void autoconfig(Collector& c) {
    if (!c.spec().mail) return;
    const Profile& p = c.profile();
    const Name& d = c.spec().domain;
    const Name host = mail_host(c.spec(), p);
    for (const auto& svc : p.autoconfig.srv)
        c.add(
            d.prepend("_tcp").prepend("_" + svc), rrtype::SRV,
            {"0 1 " + std::to_string(kSrvPorts.at(svc)) + " " + host.to_string()},
            {"mail clients find the managed server's " + svc + " service by themselves (RFC 6186)",
             "メールソフトがメールサーバの設定（" + svc + "）を自動で見つけられるようにするため"});
    for (const auto& n : p.autoconfig.names) {
        Name owner = Name::parse(n, &d);
        Reason why{"mail clients' automatic set-up (" + n + ") is served by the managed server",
                   "メールソフトの自動設定（" + n + "）をマネージドサーバで提供するため"};
        if (!c.spec().server.ipv4.empty()) c.add(owner, rrtype::A, c.spec().server.ipv4, why);
        if (!c.spec().server.ipv6.empty()) c.add(owner, rrtype::AAAA, c.spec().server.ipv6, why);
    }
}

}  // namespace

std::vector<PolicyRRset> mail_policy_rrsets(const Zone& zone, const Spec& spec,
                                            const Profile& profile,
                                            std::vector<Finding>& findings) {
    Collector c(zone, spec, profile);
    dmarc(c);
    caa(c, findings);
    mta_sts(c, findings);
    autoconfig(c);
    return std::move(c.out);
}

std::vector<Name> foreign_hosts(const Zone& zone, const Spec& spec, const Profile& profile) {
    const Name& apex = zone.origin();
    std::set<std::string, std::less<>> ours;
    for (const auto& a : spec.server.ipv4) ours.insert(parse_rdata(rrtype::A, a, apex));
    for (const auto& a : spec.server.ipv6) ours.insert(parse_rdata(rrtype::AAAA, a, apex));
    std::vector<Name> cuts, out;
    for (const RRset& s : zone.rrsets())
        if (s.type == rrtype::NS && s.owner != apex) cuts.push_back(s.owner);
    auto skipped = [&](const Name& n) {
        // Our name servers; _service and _policy names, which take no certificate.
        if (profile.is_ours(n) || n.first_label().rfind('_', 0) == 0) return true;
        for (const auto& c : cuts)
            if (n.is_subdomain_of(c)) return true;
        return false;
    };
    for (const RRset& s : zone.rrsets()) {
        bool foreign = false;
        for (const auto& r : s.rrs) {
            if (s.type == rrtype::A || s.type == rrtype::AAAA) {
                foreign |= !ours.count(r.rdata);
            } else if (s.type == rrtype::CNAME) {
                auto t = rdata_target(rrtype::CNAME, r.rdata);
                foreign |= t && !t->is_subdomain_of(apex) && *t != spec.server.name &&
                           !(profile.mta_sts && *t == profile.mta_sts->policy_host);
            }
        }
        if (foreign && !skipped(s.owner) && (out.empty() || out.back() != s.owner))
            out.push_back(s.owner);
    }
    return out;
}

Finding caa_withheld(const Name& apex, const std::vector<Name>& hosts) {
    std::vector<std::string> names;
    for (const auto& h : hosts) names.push_back(bare(h));
    return {"caa-withheld",
            Severity::warning,
            apex.to_string(),
            rrtype::CAA,
            "no CAA is published: " + join(names, ", ") + (hosts.size() == 1 ? " is" : " are") +
                " served elsewhere, and a CAA at the apex that permits only the managed "
                "server's certificate authority would stop their providers' certificates. "
                "Add a CAA in records: that permits every CA in use, if wanted",
            0,
            ""};
}

void yield_to_aliases(std::vector<PolicyRRset>& policy, Zone& ours, const Zone& old) {
    std::erase_if(policy, [&](const PolicyRRset& p) {
        if (!p.yields || !old.find(p.owner, rrtype::CNAME)) return false;
        ours.erase(p.owner, p.type);
        return true;
    });
}

bool withhold_caa(Zone& zone, const Zone& old, const Spec& spec, const Profile& profile,
                  std::vector<Finding>& findings) {
    const Name& apex = spec.domain;
    if (!zone.find(apex, rrtype::CAA) || old.find(apex, rrtype::CAA)) return false;
    auto hosts = foreign_hosts(zone, spec, profile);
    if (hosts.empty()) return false;
    zone.erase(apex, rrtype::CAA);
    findings.push_back(caa_withheld(apex, hosts));
    return true;
}

bool customer_has_own(const RRset& old, const PolicyRRset& ours) {
    if (ours.type != rrtype::TXT) return !old.rrs.empty();
    for (const auto& o : ours.rdata) {
        std::string mine = join_txt(o);
        std::string tag = mine.substr(0, mine.find(';'));
        for (const auto& r : old.rrs) {
            std::string theirs;
            try {
                theirs = join_txt(r.rdata);
            } catch (const RdataError&) {
                continue;
            }
            if (theirs.rfind(tag, 0) == 0) return true;
        }
    }
    return false;
}

std::optional<MtaStsPolicy> mta_sts_policy(const Zone& zone, const Spec& spec,
                                           const Profile& profile, std::vector<Finding>* findings) {
    if (!profile.mta_sts || !spec.mail) return std::nullopt;
    const MtaStsSettings& s = *profile.mta_sts;
    MtaStsPolicy p;
    p.mode = s.mode;
    p.mx = apex_mx_hosts(zone);
    p.max_age = s.max_age;
    p.text = "version: STSv1\r\nmode: " + p.mode + "\r\n";
    for (const auto& h : p.mx) p.text += "mx: " + h + "\r\n";
    p.text += "max_age: " + std::to_string(p.max_age) + "\r\n";
    p.id = sha256_hex(p.text, 32);
    p.url = "https://mta-sts." + bare(spec.domain) + "/.well-known/mta-sts.txt";
    if (findings) uncertified_findings(p, spec, s, *findings);
    return p;
}

std::string dmarc_text(const Spec& spec, const Profile& profile) {
    if (!profile.dmarc.publish || !(spec.mail || spec.mail_none)) return "";
    // A domain that sends no mail: reject whatever claims to come from it.
    std::string t =
        "v=DMARC1; p=" + (spec.mail_none ? std::string("reject") : profile.dmarc.policy);
    if (!profile.dmarc.rua.empty()) t += "; rua=" + join(profile.dmarc.rua, ",");
    return t;
}

std::vector<DmarcAuthorization> dmarc_authorizations(const Spec& spec, const Profile& profile) {
    std::vector<DmarcAuthorization> out;
    if (dmarc_text(spec, profile).empty() || profile.dmarc.wildcard_authorization) return out;
    for (const auto& uri : profile.dmarc.rua) {
        if (uri.rfind("mailto:", 0) != 0 && uri.rfind("MAILTO:", 0) != 0) continue;
        std::string addr = uri.substr(
            7, uri.find('!') == std::string::npos ? std::string::npos : uri.find('!') - 7);
        Name report = Name::parse(addr.substr(addr.find('@') + 1) + ".");
        if (report.is_subdomain_of(spec.domain)) continue;
        try {
            out.push_back({Name::parse(bare(spec.domain) + "._report._dmarc." + bare(report) + "."),
                           "v=DMARC1", uri});
        } catch (const NameError&) {
            // Over 255 octets: no record can authorise this pair; only the wildcard can.
            out.push_back(
                {report.prepend("_dmarc").prepend("_report").prepend("*"), "v=DMARC1", uri});
        }
    }
    return out;
}

}  // namespace zonegen
