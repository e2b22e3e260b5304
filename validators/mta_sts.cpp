#include "validators/mta_sts.hpp"

#include <cctype>
#include <set>

#include "validators/checks.hpp"
#include "validators/policy_text.hpp"
#include "zonegen/mail_policy.hpp"
#include "zonegen/text.hpp"

namespace zonegen {
namespace {

// The id= of a v=STSv1 text (RFC 8461 section 3.1), "" when it has none.
std::string sts_id(const std::string& text) {
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = text.find(';', i);
        if (j == std::string::npos) j = text.size();
        std::string field = text.substr(i, j - i);
        auto b = field.find_first_not_of(" \t"), e = field.find_last_not_of(" \t");
        field = b == std::string::npos ? "" : field.substr(b, e - b + 1);
        if (field.rfind("id=", 0) == 0) return field.substr(3);
        i = j + 1;
    }
    return "";
}

// True when `owner` has an A or AAAA that is one of the server's addresses.
bool points_at_server(const Zone& z, const Name& owner, const HostAddrs& server) {
    for (RRType t : {rrtype::A, rrtype::AAAA}) {
        const RRset* s = z.find(owner, t);
        if (!s) continue;
        for (const auto& a : t == rrtype::A ? server.ipv4 : server.ipv6)
            for (const auto& rr : s->rrs)
                if (rr.rdata == parse_rdata(t, a, z.origin())) return true;
    }
    return false;
}

}  // namespace

std::vector<std::string> mta_sts_problems(const std::string& text) {
    std::vector<std::string> out;
    std::vector<PolicyTag> tags = policy_tags(text, out);
    for (auto& p : versioned_fields_problems(tags, "v=STSv1", {"id"})) out.push_back(std::move(p));
    if (!out.empty() && out.back() == "must start with v=STSv1") return out;
    auto after = text.find_first_not_of(" \t", 7);
    if (after == std::string::npos || text[after] != ';')
        out.push_back("v=STSv1 must be followed by ';' (senders discard the record)");
    int ids = 0;
    for (const auto& t : tags) {
        if (t.name != "id") continue;
        ++ids;
        bool ok = !t.value.empty() && t.value.size() <= 32;
        for (char c : t.value) ok &= std::isalnum(static_cast<unsigned char>(c)) != 0;
        if (!ok) out.push_back("id=" + t.value + " is not 1-32 letters and digits");
    }
    if (ids == 0) out.push_back("no id= (senders need it to notice a changed policy)");
    return out;
}

std::vector<Finding> check_mta_sts(const Zone& zone, const Spec& spec, const Profile* profile) {
    std::vector<Finding> out;
    if (!spec.mail) return out;
    const Name& apex = zone.origin();
    const Name owner = apex.prepend("_mta-sts");
    const RRset* txt = zone.find(owner, rrtype::TXT);
    if (!txt) return out;
    std::vector<Finding> certificates;  // of the policy zonegen publishes, when it is this one
    std::optional<MtaStsPolicy> ours;
    if (profile) ours = mta_sts_policy(zone, spec, *profile, &certificates);
    for (const auto& rr : txt->rrs) {
        std::string text = join_txt(rr.rdata);
        if (text.rfind("v=STSv1", 0) != 0) continue;
        if (ours && sts_id(text) == ours->id) {  // the policy zonegen publishes
            for (auto& f : certificates) out.push_back(std::move(f));
            certificates.clear();
            continue;
        }
        std::set<std::string> hosts;
        if (const RRset* mx = zone.find(apex, rrtype::MX))
            for (const auto& m : mx->rrs)
                if (auto t = rdata_target(rrtype::MX, m.rdata); t && !t->is_root())
                    hosts.insert(bare(*t));
        std::string mx;
        for (const auto& h : hosts) mx += (mx.empty() ? "" : ", ") + h;
        if (mx.empty()) mx = "the new mail host";
        std::string id = sts_id(text);
        const std::string policy_host = bare(apex.prepend("mta-sts"));
        std::string msg =
            "an MTA-STS policy is kept (" + (id.empty() ? "v=STSv1" : "id=" + id) +
            ") while mail moves to the managed server: the policy file at https://" + policy_host +
            "/.well-known/mta-sts.txt lists the old MX hosts, and senders that enforce it refuse "
            "to deliver to " +
            mx + ". Update the file's mx: lines to " + mx +
            ", then change the id= in this TXT so senders fetch the file again; or, to stop "
            "using MTA-STS, publish the file with mode: none and a new id, and remove both once "
            "the old policy's max_age has passed (RFC 8461 section 8.3).";
        if (points_at_server(zone, apex.prepend("mta-sts"), spec.server))
            msg += " " + policy_host +
                   " now points at the managed server: the policy file must be published there.";
        msg += " The TLS-RPT record (_smtp._tls) may stay.";
        out.push_back(make_finding("mta-sts-stale", &owner, rrtype::TXT, msg, rr.line));
        break;
    }
    return out;
}

}  // namespace zonegen
