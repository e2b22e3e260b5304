#include "zonegen/old_hosts.hpp"
#include "zonegen/text.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

namespace zonegen {
namespace {

using AddrSet = std::set<std::pair<RRType, std::string>>;  // (A or AAAA, wire)

// The old hosting's service names: an address record there names the old mail host (with
// the mail) or the old web host (with the web), whatever its address.
const char* const kMailNames[] = {"pop", "pop3", "imap", "imap4", "smtp", "webmail"};
const char* const kWebNames[] = {"ftp", "mta-sts"};

bool one_of(const std::string& label, const char* const* b, const char* const* e) {
    return std::find_if(b, e, [&](const char* n) { return label == n; }) != e;
}

void add_addresses(const Zone& z, const Name& owner, AddrSet& out) {
    for (RRType t : {rrtype::A, rrtype::AAAA})
        if (const RRset* s = z.find(owner, t))
            for (const auto& r : s->rdata()) out.insert({t, r});
}

// The addresses at `owner`, following one CNAME inside the zone.
void host_addresses(const Zone& z, const Name& owner, AddrSet& out) {
    add_addresses(z, owner, out);
    if (const RRset* c = z.find(owner, rrtype::CNAME))
        if (auto t = rdata_target(rrtype::CNAME, c->rrs.front().rdata))
            if (t->is_subdomain_of(z.origin())) add_addresses(z, *t, out);
}

std::set<Name> template_owners(const std::vector<RecordTemplate>& ts, const Name& apex,
                               bool addresses_only) {
    std::set<Name> out;
    for (const auto& t : ts)
        if (!addresses_only || t.type == rrtype::A || t.type == rrtype::AAAA)
            out.insert(Name::parse(t.owner, &apex));
    return out;
}

std::vector<Name> mx_targets(const Zone& old, const Name& apex) {
    std::vector<Name> out;
    if (const RRset* mx = old.find(apex, rrtype::MX))
        for (const auto& r : mx->rdata())
            if (auto t = rdata_target(rrtype::MX, r); t && !t->is_root()) out.push_back(*t);
    return out;
}

// Names a move never touches: the apex, the zone's own name servers, delegations and below.
bool protected_name(const Zone& old, const Name& owner, const std::set<Name>& servers) {
    const Name& apex = old.origin();
    if (owner == apex || servers.count(owner)) return true;
    for (Name p = owner; p != apex && p.is_subdomain_of(apex); p = p.parent())
        if (old.find(p, rrtype::NS)) return true;
    return false;
}

std::set<Name> zone_servers(const Zone& old) {
    std::set<Name> out;
    const Name& apex = old.origin();
    if (const RRset* ns = old.find(apex, rrtype::NS))
        for (const auto& r : ns->rdata())
            if (auto t = rdata_target(rrtype::NS, r)) out.insert(*t);
    if (const RRset* soa = old.find(apex, rrtype::SOA))
        if (auto s = parse_soa(soa->rrs.front().rdata)) out.insert(s->mname);
    return out;
}

struct OldHosts {
    AddrSet web, mail;          // addresses of the hosts going away
    std::set<Name> web_names;   // their names outside the zone (an old www CNAME's target)
    std::set<Name> mail_names;  // old MX targets outside the zone, when the MX moves
};

OldHosts old_hosts(const Spec& spec, const Profile& profile, const Zone& old) {
    const Name& apex = spec.domain;
    AddrSet web_all, mail_all, ours;
    for (const auto& a : spec.server.ipv4)
        ours.insert({rrtype::A, parse_rdata(rrtype::A, a, apex)});
    for (const auto& a : spec.server.ipv6)
        ours.insert({rrtype::AAAA, parse_rdata(rrtype::AAAA, a, apex)});
    OldHosts h;
    std::set<Name> web_owners = template_owners(profile.web, apex, true);
    web_owners.insert(apex);
    web_owners.insert(Name::parse("www", &apex));
    for (const auto& o : web_owners) {
        host_addresses(old, o, web_all);
        if (const RRset* c = old.find(o, rrtype::CNAME); c && spec.web)
            if (auto t = rdata_target(rrtype::CNAME, c->rrs.front().rdata))
                if (!t->is_subdomain_of(apex) && *t != spec.server.name) h.web_names.insert(*t);
    }
    const bool mail = mail_moves(spec, old);
    for (const auto& t : mx_targets(old, apex)) {
        if (t.is_subdomain_of(apex))
            host_addresses(old, t, mail_all);
        else if (mail && t != spec.server.name)
            h.mail_names.insert(t);
    }
    // Only addresses of hosts that go away: one that a staying service still uses (web and
    // mail on one old host, only one of them moving) is not moved.
    for (const auto& a : web_all)
        if (spec.web && !ours.count(a) && (mail || !mail_all.count(a))) h.web.insert(a);
    for (const auto& a : mail_all)
        if (mail && !ours.count(a) && (spec.web || !web_all.count(a))) h.mail.insert(a);
    return h;
}

std::string addr_text(const std::pair<RRType, std::string>& a) {
    return rdata_text(a.first, a.second);
}

// Why the name moves, or nullopt.
std::optional<Reason> address_reason(const Zone& old, const Name& owner, const OldHosts& h,
                                     bool web, bool mail) {
    AddrSet here;
    add_addresses(old, owner, here);
    for (const auto& a : here) {
        if (h.web.count(a))
            return Reason{"pointed at the old web server's address " + addr_text(a) +
                              ", which is replaced: moves to the managed server",
                          "旧Webサーバのアドレス " + addr_text(a) +
                              " を指していたため、マネージドサーバに向けます"};
        if (h.mail.count(a))
            return Reason{"pointed at the old mail server's address " + addr_text(a) +
                              ", which is replaced: moves to the managed server",
                          "旧メールサーバのアドレス " + addr_text(a) +
                              " を指していたため、マネージドサーバに向けます"};
    }
    if (here.empty() || owner.parent() != old.origin()) return std::nullopt;
    std::string label = owner.first_label();
    if (mail && one_of(label, std::begin(kMailNames), std::end(kMailNames)))
        return Reason{label + " is the old hosting's mail service name: it moves with the mail",
                      label + " は旧サーバのメールサービス名のため、メールとともに移します"};
    if (web && one_of(label, std::begin(kWebNames), std::end(kWebNames)))
        return Reason{label + " is the old hosting's web service name: it moves with the web",
                      label + " は旧サーバのWebサービス名のため、Webとともに移します"};
    return std::nullopt;
}

void move_addresses(const Spec& spec, const Zone& old, const Name& owner, const Reason& why,
                    std::vector<HostMove>& out) {
    for (RRType t : {rrtype::A, rrtype::AAAA}) {
        std::vector<std::string> after;
        for (const auto& a : t == rrtype::A ? spec.server.ipv4 : spec.server.ipv6)
            after.push_back(parse_rdata(t, a, spec.domain));
        std::sort(after.begin(), after.end());
        const RRset* have = old.find(owner, t);
        if ((have && have->rdata() == after) || (!have && after.empty())) continue;
        out.push_back({owner, t, std::move(after), why});
    }
}

}  // namespace

bool from_records_only(const Spec& spec, const Profile& profile, const RRKey& key) {
    if (key.type == rrtype::CNAME || key.type == rrtype::DNAME || key.type == rrtype::SOA)
        return false;
    bool in_records = false;
    for (const auto& r : spec.records) in_records |= r.owner == key.owner && r.type == key.type;
    if (!in_records) return false;
    auto templated = [&](const std::vector<RecordTemplate>& ts) {
        for (const auto& t : ts)
            if (t.type == key.type && Name::parse(t.owner, &spec.domain) == key.owner) return true;
        return false;
    };
    if ((spec.web && templated(profile.web)) || (spec.mail && templated(profile.mail)))
        return false;
    return !(spec.mail && key.type == rrtype::TXT && key.owner == spec.domain);
}

bool records_ttl(const Spec& spec, const RRKey& key) {
    for (const auto& r : spec.records)
        if (r.owner == key.owner && r.type == key.type && r.ttl) return true;
    return false;
}

std::vector<std::string> merged_rdata(const std::vector<std::string>& a,
                                      const std::vector<std::string>& b) {
    std::vector<std::string> out;
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

std::vector<Name> external_mx_targets(const Spec& spec, const Zone& old) {
    std::vector<Name> out;
    for (const auto& t : mx_targets(old, spec.domain))
        if (!t.is_subdomain_of(spec.domain) && t != spec.server.name) out.push_back(t);
    return out;
}

bool mail_moves(const Spec& spec, const Zone& old) {
    return spec.mail && (spec.replace_external_mx || external_mx_targets(spec, old).empty());
}

std::optional<Finding> mx_external_finding(const Spec& spec, const Zone& old) {
    if (!spec.mail || spec.replace_external_mx) return std::nullopt;
    auto targets = external_mx_targets(spec, old);
    if (targets.empty()) return std::nullopt;
    std::string names;
    for (const auto& t : targets) names += (names.empty() ? "" : ", ") + bare(t);
    return Finding{"mx-external",
                   Severity::error,
                   spec.domain.to_string(),
                   rrtype::MX,
                   "the MX of " + bare(spec.domain) + " points at " + names +
                       ", a mail service outside the domain, which moving the mail to the "
                       "managed server would replace: leave mail out of services to keep it "
                       "(services: [web]), or set replace_external_mx: true in the spec to move "
                       "the mail to the managed server",
                   0,
                   spec.source};
}

std::vector<HostMove> old_host_moves(const Spec& spec, const Profile& profile, const Zone& old) {
    const Name& apex = spec.domain;
    const bool mail = mail_moves(spec, old);
    OldHosts h = old_hosts(spec, profile, old);
    std::set<Name> skip = zone_servers(old);
    skip.insert(spec.server.name);
    if (spec.web)
        for (const auto& o : template_owners(profile.web, apex, false)) skip.insert(o);
    if (spec.mail)
        for (const auto& o : template_owners(profile.mail, apex, false)) skip.insert(o);
    std::vector<HostMove> out;
    std::set<Name> seen;
    for (const RRset& s : old.rrsets()) {
        const Name& owner = s.owner;
        if (!owner.is_subdomain_of(apex) || !seen.insert(owner).second) continue;
        if (skip.count(owner) || protected_name(old, owner, skip)) continue;
        if (auto why = address_reason(old, owner, h, spec.web, mail)) {
            move_addresses(spec, old, owner, *why, out);
        } else if (const RRset* c = old.find(owner, rrtype::CNAME)) {
            auto t = rdata_target(rrtype::CNAME, c->rrs.front().rdata);
            if (!t) continue;
            bool web_host = h.web_names.count(*t) > 0, mail_host = h.mail_names.count(*t) > 0;
            if (!web_host && !mail_host) continue;
            std::string old_name = bare(*t);
            Reason alias = mail_host
                               ? Reason{"an alias of the old mail host " + old_name +
                                            ", which the MX no longer uses: points at the "
                                            "managed server",
                                        "MXで使わなくなる旧メールサーバ " + old_name +
                                            " の別名のため、マネージドサーバに向けます"}
                               : Reason{"an alias of the old web host " + old_name +
                                            ", which is replaced: points at the managed server",
                                        "置き換える旧Webサーバ " + old_name +
                                            " の別名のため、マネージドサーバに向けます"};
            out.push_back({owner, rrtype::CNAME, {spec.server.name.wire()}, alias});
        }
    }
    return out;
}

}  // namespace zonegen
