#include "zonegen/mail_setup.hpp"

#include <nlohmann/json.hpp>

#include "zonegen/render.hpp"
#include "zonegen/text.hpp"

namespace zonegen {
namespace {

// The v=DMARC1 record at _dmarc, "" when none.
std::string zone_dmarc(const Zone& z) {
    if (const RRset* t = z.find(z.origin().prepend("_dmarc"), rrtype::TXT))
        for (const auto& r : t->rrs) {
            std::string s = join_txt(r.rdata);
            if (s.rfind("v=DMARC1", 0) == 0) return s;
        }
    return "";
}

std::string authorization_text(const MailSetup& m) {
    std::string out = "DMARC reports\n";
    if (m.dmarc.empty()) return out + "  The zone publishes no DMARC record.\n\n";
    if (!m.dmarc_ours)
        return out + "  The customer's own DMARC record is kept: " + m.dmarc +
               "\n  Its report addresses are the customer's to arrange.\n\n";
    out += "  The zone publishes: " + m.dmarc + "\n";
    if (m.dmarc.find("rua=") == std::string::npos)
        return out + "  It asks for no reports: nothing is needed in another zone.\n\n";
    if (m.authorizations.empty())
        return out +
               "  No record is needed in another zone (the report addresses are in the "
               "domain, or the report domain publishes the wildcard).\n\n";
    out += "  Receivers send reports to an address outside " + bare(m.domain) +
           " only when its domain consents (RFC 7489 section 7.1). Add to the report "
           "domain's zone:\n";
    for (const auto& a : m.authorizations)
        out += "    " + a.owner.to_string() + " 3600 IN TXT \"" + a.text + "\"\n";
    out +=
        "  (Or, once for every customer, *._report._dmarc.<report domain> TXT \"v=DMARC1\", "
        "and set mail.dmarc.wildcard_authorization: true in the profile.)\n\n";
    return out;
}

std::string mta_sts_text(const MailSetup& m) {
    if (!m.mta_sts) return "MTA-STS\n  The profile names no policy host (mail.mta_sts).\n";
    const auto& p = *m.mta_sts;
    std::string host = "mta-sts." + bare(m.domain);
    std::string out = "MTA-STS (policy id " + p.id + ", mode " + p.mode + ")\n";
    out += "  " + host + " points at " + bare(m.policy_host) + ", which must serve " + p.url +
           " with a certificate for " + host + ". The file:\n\n";
    std::string body = p.text;
    for (std::size_t i = 0; (i = body.find('\r', i)) != std::string::npos;) body.erase(i, 1);
    for (std::size_t b = 0; b < body.size();) {
        auto e = body.find('\n', b);
        out += "    " + body.substr(b, e - b) + "\n";
        b = e + 1;
    }
    out +=
        "\n  Publish the file before the _mta-sts record's id changes: senders fetch it when "
        "they see a new id.\n";
    return out;
}

}  // namespace

MailSetup mail_setup(const Spec& spec, const Profile& profile, const Desired& d) {
    MailSetup m;
    m.domain = spec.domain;
    m.dmarc = zone_dmarc(d.zone);
    m.dmarc_ours = !m.dmarc.empty() && m.dmarc == dmarc_text(spec, profile);
    if (m.dmarc_ours) m.authorizations = dmarc_authorizations(spec, profile);
    m.mta_sts = mta_sts_policy(d.zone, spec, profile, &m.findings);
    if (profile.mta_sts) m.policy_host = profile.mta_sts->policy_host;
    return m;
}

nlohmann::json mail_setup_json(const MailSetup& m) {
    nlohmann::json auths = nlohmann::json::array();
    for (const auto& a : m.authorizations)
        auths.push_back({{"name", a.owner.to_string()},
                         {"type", "TXT"},
                         {"data", "\"" + a.text + "\""},
                         {"uri", a.uri}});
    nlohmann::json sts = nullptr;
    if (m.mta_sts)
        sts = {{"policy_host", m.policy_host.to_string()},
               {"url", m.mta_sts->url},
               {"id", m.mta_sts->id},
               {"mode", m.mta_sts->mode},
               {"mx", m.mta_sts->mx},
               {"max_age", m.mta_sts->max_age},
               {"policy", m.mta_sts->text}};
    return {{"domain", m.domain.to_string()},
            {"dmarc",
             {{"record", m.dmarc.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.dmarc)},
              {"zonegen_default", m.dmarc_ours},
              {"report_authorizations", auths}}},
            {"mta_sts", sts},
            {"findings", findings_json(m.findings)}};
}

std::string mail_setup_text(const MailSetup& m) {
    return "The provider's side of " + bare(m.domain) + "'s mail\n\n" + authorization_text(m) +
           mta_sts_text(m);
}

}  // namespace zonegen
