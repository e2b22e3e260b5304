#include "zonegen/customer_zone.hpp"
#include "zonegen/text.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "zonegen/errors.hpp"
#include "zonegen/spf.hpp"

namespace zonegen {
namespace {

// (rdata, ttl) of every record: two rrsets are the same when these are.
std::vector<std::pair<std::string, std::uint32_t>> state(const RRset& s) {
    std::vector<std::pair<std::string, std::uint32_t>> v;
    for (const auto& r : s.rrs) v.emplace_back(r.rdata, r.ttl);
    std::sort(v.begin(), v.end());
    return v;
}

struct Keyed {
    std::set<std::pair<Name, RRType>> web, mail;  // what the templates make
};

Keyed template_keys(const Profile& profile, const Name& apex) {
    Keyed k;
    for (const auto& t : profile.web) k.web.insert({Name::parse(t.owner, &apex), t.type});
    for (const auto& t : profile.mail) k.mail.insert({Name::parse(t.owner, &apex), t.type});
    return k;
}

// Why the managed server's rrset `key` goes into the customer's zone.
Reason generated_reason(const RRKey& key, const Spec& spec, const Profile& profile,
                        const Keyed& k) {
    std::string server = bare(spec.server.name);
    if (k.web.count({key.owner, key.type}))
        return {"the web moves to the managed server " + server,
                "Webをマネージドサーバ " + server + " に移すため"};
    if (key.type == rrtype::MX)
        return {"mail moves to the managed server " + server,
                "メールをマネージドサーバ " + server + " に移すため"};
    if (k.mail.count({key.owner, key.type}))
        return {"the managed server's mail host (the MX target)",
                "マネージドサーバのメールサーバ名（MXの指す先）のため"};
    for (const auto& ns : profile.nameservers)
        if (ns.name == key.owner)
            return {"the address of our name server " + bare(ns.name),
                    "当社ネームサーバ " + bare(ns.name) + " のアドレスのため"};
    return {"records: in the spec", "ご指定のレコード（records:）のため"};
}

bool signer_made(RRType t) {
    return t == rrtype::DNSKEY || t == rrtype::RRSIG || t == rrtype::NSEC || t == rrtype::NSEC3 ||
           t == rrtype::NSEC3PARAM || t == rrtype::CDS || t == rrtype::CDNSKEY;
}

class Editor {
  public:
    Editor(const Spec& spec, const Profile& profile, const Zone& old, CustomerZone& out)
        : spec_(spec),
          profile_(profile),
          old_(old),
          out_(out),
          keys_(template_keys(profile, spec.domain)) {}

    std::map<RRKey, Reason> why;

    void set(const Name& owner, RRType type, std::uint32_t ttl,
             const std::vector<std::string>& rdata, Reason r) {
        out_.zone.set(owner, type, ttl, rdata);
        why.emplace(RRKey{owner, type}, std::move(r));
    }
    void erase(const Name& owner, RRType type, Reason r) {
        if (!out_.zone.find(owner, type)) return;
        out_.zone.erase(owner, type);
        why.emplace(RRKey{owner, type}, std::move(r));
    }
    bool touched(const Name& owner, RRType type) const { return why.count(RRKey{owner, type}); }
    // A default of ours (DMARC, CAA) where the customer's zone has their own.
    bool yields_here(const PolicyRRset* pol) const {
        if (!pol || !pol->yields) return false;
        const RRset* have = out_.zone.find(pol->owner, pol->type);
        return have && customer_has_own(*have, *pol);
    }
    // The TTL for a new rrset at `owner`: its existing one, else the address records' there,
    // else the spec's default.
    std::uint32_t ttl_for(const Name& owner, RRType type, std::uint32_t fallback) const {
        if (const RRset* s = out_.zone.find(owner, type)) return s->ttl();
        for (RRType t : {rrtype::A, rrtype::AAAA})
            if (const RRset* s = out_.zone.find(owner, t);
                s && (type == rrtype::A || type == rrtype::AAAA))
                return s->ttl();
        return fallback;
    }

    void drop_signatures() {
        for (const RRset& s : old_.rrsets())
            if (signer_made(s.type))
                erase(s.owner, s.type,
                      {"DNSSEC data your signer makes: it signs the changed zone again with the "
                       "same keys (the DS at the registrar stays valid)",
                       "DNSSEC署名の情報はお客さまの署名ツールが作成するため、変更後のゾーンを同じ"
                       "鍵で署名し直してください（レジストラのDSはそのままです）"});
    }

    void generated(const Desired& ours, bool mail) {
        (void)mail;  // an MX elsewhere is replaced too: mx-external stops generation anyway
        for (const RRset& want : ours.zone.rrsets()) {
            const RRKey key{want.owner, want.type};
            if (want.type == rrtype::TXT) continue;  // merged below
            if (want.type == rrtype::NS && want.owner == spec_.domain) continue;
            const PolicyRRset* pol = ours.policy_at(key);
            if (yields_here(pol)) continue;  // the customer's own CAA stays
            Reason r = pol ? pol->reason : generated_reason(key, spec_, profile_, keys_);
            if (want.type != rrtype::CNAME)
                erase(want.owner, rrtype::CNAME,
                      {"a CNAME allows no other data at its name: the managed server's records "
                       "replace it",
                       "CNAMEと他のレコードは同じ名前に置けないため、マネージドサーバのレコード"
                       "に置き換えます"});
            else
                for (RRType t : out_.zone.types_at(want.owner))
                    if (t != rrtype::CNAME) erase(want.owner, t, r);
            const RRset* have = out_.zone.find(want.owner, want.type);
            if (have && state(*have) == state(want)) continue;
            auto rd = want.rdata();
            std::uint32_t ttl = have ? have->ttl() : want.ttl();
            if (have && from_records_only(spec_, profile_, key)) {
                // records: adds to the customer's rrset (a CAA beside theirs), never drops it.
                rd = merged_rdata(have->rdata(), rd);
                if (records_ttl(spec_, key)) ttl = want.ttl();
                if (rd == have->rdata() && ttl == have->ttl()) continue;
            }
            set(want.owner, want.type, ttl, rd, r);
        }
        // An old address of a family the managed server lacks goes with the old host.
        if (spec_.web)
            for (const auto& key : keys_.web) drop_other_family(ours, key.first, "web", "Web");
        if (mail)
            for (const auto& key : keys_.mail) drop_other_family(ours, key.first, "mail", "メール");
    }

    void drop_other_family(const Desired& ours, const Name& owner, const std::string& en,
                           const std::string& ja) {
        if (!ours.zone.find(owner, rrtype::A) && !ours.zone.find(owner, rrtype::AAAA)) return;
        for (RRType t : {rrtype::A, rrtype::AAAA})
            if (!ours.zone.find(owner, t))
                erase(owner, t,
                      {"the old " + en + " server's address; the managed server has no " +
                           (t == rrtype::A ? "IPv4" : "IPv6") + " address",
                       "旧" + ja + "サーバのアドレスのため（マネージドサーバには " +
                           (t == rrtype::A ? "IPv4" : "IPv6") + " アドレスがありません）"});
    }

    void txt(const Desired& ours) {
        for (const RRset& want : ours.zone.rrsets()) {
            if (want.type != rrtype::TXT) continue;
            const std::string terms = spf_terms_to_merge(want.rdata(), spec_.server);
            const RRset* have = out_.zone.find(want.owner, rrtype::TXT);
            const PolicyRRset* pol = ours.policy_at({want.owner, rrtype::TXT});
            if (yields_here(pol)) continue;  // the customer's own DMARC stays
            if (pol && !pol->yields) {       // _mta-sts, _smtp._tls: ours replaces theirs
                const std::uint32_t ttl = have ? have->ttl() : want.ttl();
                const bool same = have && have->rdata() == want.rdata();
                erase(want.owner, rrtype::CNAME, pol->reason);
                if (!same) set(want.owner, rrtype::TXT, ttl, want.rdata(), pol->reason);
                continue;
            }
            const bool merge_here = spec_.mail && want.owner == spec_.domain;
            std::vector<std::string> rd = have ? have->rdata() : std::vector<std::string>{};
            const bool old_spf = merge_here && merge_first_spf(rd, terms);
            bool adds_spf = false;
            for (const auto& r : want.rdata())
                if (!(old_spf && is_spf(r)) && std::find(rd.begin(), rd.end(), r) == rd.end()) {
                    rd.push_back(r);
                    adds_spf |= merge_here && is_spf(r);
                }
            std::sort(rd.begin(), rd.end());
            if (have && have->rdata() == rd) continue;
            Reason r = old_spf ? Reason{"the managed server's addresses merged into the existing "
                                        "SPF (never a second v=spf1); its other senders kept",
                                        "既存のSPFにマネージドサーバのアドレスを追記するため（"
                                        "SPFは1つだけ。他の送信元はそのまま）"}
                       : adds_spf ? Reason{"an SPF authorising the managed server to send mail",
                                           "マネージドサーバからのメール送信を許可するSPFのため"}
                       : pol      ? pol->reason
                                  : Reason{"records: in the spec", "ご指定のレコード（records:）のため"};
            set(want.owner, rrtype::TXT, have ? have->ttl() : want.ttl(), rd, r);
        }
    }

    void nameservers(const Desired& ours) {
        if (spec_.pattern != Pattern::B) return;  // C: the customer's NS untouched
        const Name& apex = spec_.domain;
        const RRset* have = out_.zone.find(apex, rrtype::NS);
        const RRset* want = ours.zone.find(apex, rrtype::NS);
        if (!want) return;
        std::vector<std::string> rd = have ? have->rdata() : std::vector<std::string>{};
        for (const auto& r : want->rdata())
            if (std::find(rd.begin(), rd.end(), r) == rd.end()) rd.push_back(r);
        std::sort(rd.begin(), rd.end());
        if (have && have->rdata() == rd) return;
        std::string sec = bare(profile_.pattern_b_secondary().name);
        set(apex, rrtype::NS, have ? have->ttl() : want->ttl(), rd,
            {"our secondary " + sec +
                 " joins your name servers, at your NS records' TTL (one "
                 "TTL per rrset)",
             "当社セカンダリ " + sec +
                 " をネームサーバに加えるため（TTLは既存のNSレコードと同じ値です）"});
    }

    void moves(std::uint32_t default_ttl) {
        for (auto& m : old_host_moves(spec_, profile_, old_)) {
            if (touched(m.owner, m.type)) continue;
            // A name where ours is an alias now (mta-sts) takes no address.
            if (m.type != rrtype::CNAME && out_.zone.find(m.owner, rrtype::CNAME)) continue;
            if (m.after.empty())
                erase(m.owner, m.type, m.reason);
            else
                set(m.owner, m.type, ttl_for(m.owner, m.type, default_ttl), m.after, m.reason);
        }
    }

    void soa(const GenerateOptions& opts) {
        const Name& apex = spec_.domain;
        const RRset* have = old_.find(apex, rrtype::SOA);
        if (!have) return;  // soa-missing: validation says so
        auto s = parse_soa(have->rrs.front().rdata);
        if (!s) return;
        out_.serial_before = s->serial;
        s->serial = next_serial(s->serial, date_serial(opts.now, profile_.time_zone), opts.serial);
        out_.serial_after = s->serial;
        set(apex, rrtype::SOA, have->ttl(), {soa_wire(*s)},
            {"the serial increased from " + std::to_string(out_.serial_before) + " to " +
                 std::to_string(s->serial) + ", so that the secondaries transfer the new zone",
             "セカンダリが新しいゾーンを転送するよう、シリアル番号を " +
                 std::to_string(out_.serial_before) + " から " + std::to_string(s->serial) +
                 " に増やします"});
    }

  private:
    const Spec& spec_;
    const Profile& profile_;
    const Zone& old_;
    CustomerZone& out_;
    Keyed keys_;
};

}  // namespace

bool serial_greater(std::uint32_t a, std::uint32_t b) {
    constexpr std::uint32_t half = 0x80000000u;
    return (a < b && b - a > half) || (a > b && a - b < half);
}

std::uint32_t next_serial(std::uint32_t old, std::uint32_t dated,
                          std::optional<std::uint32_t> wanted) {
    if (wanted) {
        if (!serial_greater(*wanted, old))
            throw InputError("--serial " + std::to_string(*wanted) +
                             " is not greater than the customer's serial " + std::to_string(old) +
                             " (RFC 1982): the secondaries would not transfer the new zone");
        return *wanted;
    }
    return serial_greater(dated, old) ? dated : old + 1;  // unsigned: wraps past 2^32 - 1
}

CustomerZone build_customer_zone(const Spec& spec, const Profile& profile, const Zone& old,
                                 const GenerateOptions& opts) {
    Desired ours = build_desired(spec, profile, opts);
    yield_to_aliases(ours.policy, ours.zone, old);
    CustomerZone out{old, {}, 0, 0, ours.findings};
    if (auto f = mx_external_finding(spec, old)) out.findings.push_back(*f);
    if (const RRset* key = old.find(spec.domain, rrtype::DNSKEY))
        out.findings.push_back(
            {"dnssec-in-source", Severity::warning, spec.domain.to_string(), rrtype::DNSKEY,
             "the zone is signed: the new zone is printed unsigned (the old signatures do not "
             "cover the changes). Load it through your signer, which signs it again with the "
             "same keys; served unsigned while the registrar publishes a DS, the domain fails "
             "for validating resolvers",
             key->line(), ""});
    Editor e(spec, profile, old, out);
    e.drop_signatures();
    e.generated(ours, mail_moves(spec, old));
    e.txt(ours);
    e.nameservers(ours);
    e.moves(spec.ttl.value_or(profile.ttl_default));
    e.soa(opts);
    withhold_caa(out.zone, old, spec, profile, out.findings);
    out.changes = zone_changes(old, out.zone, e.why);
    // The contract of the change list: applied to the old zone, it gives the new one.
    Zone check = apply_customer_changes(old, out.changes);
    if (zone_changes(check, out.zone, {}).size() != 0)
        throw std::logic_error("the customer's changes do not make the new zone");
    return out;
}

std::vector<CustomerChange> zone_changes(const Zone& before, const Zone& after,
                                         const std::map<RRKey, Reason>& why) {
    std::set<RRKey> keys;
    for (const RRset& s : before.rrsets()) keys.insert({s.owner, s.type});
    for (const RRset& s : after.rrsets()) keys.insert({s.owner, s.type});
    std::vector<CustomerChange> out;
    for (const auto& k : keys) {
        const RRset* b = before.find(k.owner, k.type);
        const RRset* a = after.find(k.owner, k.type);
        if (a && b && state(*a) == state(*b)) continue;
        CustomerChange c;
        c.action = !a ? "delete" : !b ? "add" : "replace";
        c.owner = k.owner;
        c.type = k.type;
        c.ttl = a ? a->ttl() : b->ttl();
        c.ttl_before = b ? b->ttl() : 0;
        if (b) c.before = b->rdata();
        if (a) c.after = a->rdata();
        auto w = why.find(k);
        c.reason = w != why.end() ? w->second : Reason{"changed", "変更"};
        out.push_back(std::move(c));
    }
    // Deletions first: a CNAME goes before the records that replace it are added.
    std::stable_partition(out.begin(), out.end(),
                          [](const CustomerChange& c) { return c.action == "delete"; });
    return out;
}

Zone apply_customer_changes(const Zone& old, const std::vector<CustomerChange>& changes) {
    Zone z = old;
    for (const auto& c : changes) {
        if (c.action == "delete")
            z.erase(c.owner, c.type);
        else
            z.set(c.owner, c.type, c.ttl, c.after);
    }
    return z;
}

nlohmann::json customer_changes_json(const std::vector<CustomerChange>& changes) {
    auto arr = nlohmann::json::array();
    for (const auto& c : changes) {
        auto txt = [&](const std::vector<std::string>& v) {
            auto a = nlohmann::json::array();
            for (const auto& r : v) a.push_back(rdata_text(c.type, r));
            return a;
        };
        arr.push_back({{"action", c.action},
                       {"owner", c.owner.to_string()},
                       {"type", type_name(c.type)},
                       {"ttl", c.ttl},
                       {"before", txt(c.before)},
                       {"after", txt(c.after)},
                       {"reason", c.reason.en}});
    }
    return arr;
}

std::string customer_changes_text(const std::vector<CustomerChange>& changes, const Name& zone,
                                  const Wording& w) {
    auto lines = [](const CustomerChange& c, std::uint32_t ttl,
                    const std::vector<std::string>& rd) {
        auto v = nlohmann::json::array();
        for (const auto& r : rd)
            v.push_back(c.owner.to_string() + " " + std::to_string(ttl) + " IN " +
                        type_name(c.type) + " " + rdata_text(c.type, r));
        return v;
    };
    auto list = nlohmann::json::array();
    for (const auto& c : changes)
        list.push_back(
            {{"n", list.size() + 1},
             {"add", c.action == "add"},
             {"replace", c.action == "replace"},
             {"delete", c.action == "delete"},
             {"owner", c.owner.to_string()},
             {"type", type_name(c.type)},
             {"before", lines(c, c.action == "replace" ? c.ttl_before : c.ttl, c.before)},
             {"after", lines(c, c.ttl, c.after)},
             {"reason", w.lang() == "ja" ? c.reason.ja : c.reason.en}});
    return w.say("changes", {{"zone", bare(zone)}, {"count", changes.size()}, {"changes", list}}) +
           "\n";
}

std::vector<std::string> fragment_directions(const Spec& spec, const Profile& profile,
                                             const Wording& w) {
    const Name& apex = spec.domain;
    const std::string sep = w.say("name_separator", nlohmann::json::object());
    auto owners = [&](const std::vector<RecordTemplate>& ts) {
        std::vector<std::string> v;
        for (const auto& t : ts) {
            if (t.type != rrtype::A && t.type != rrtype::AAAA) continue;
            std::string o = Name::parse(t.owner, &apex).relative_to(apex);
            if (std::find(v.begin(), v.end(), o) == v.end()) v.push_back(o);
        }
        return join(v, sep);
    };
    const std::string hosts = owners(profile.mail);
    const nlohmann::json ctx = {
        {"owners", owners(profile.web)},
        {"hosts", hosts.empty() ? nlohmann::json(nullptr) : nlohmann::json(hosts)},
        {"spf_terms", spf_server_terms(spec.server)},
        {"mta_sts", profile.mta_sts.has_value()},
        {"secondary", spec.pattern == Pattern::B ? bare(profile.pattern_b_secondary().name) : ""}};
    std::vector<std::string> keys;
    if (spec.web && !owners(profile.web).empty()) keys.push_back("web");
    if (spec.mail) keys.insert(keys.end(), {"mail", "spf"});
    // DMARC is a default: the customer's own stays (mail_policy.hpp).
    if (!dmarc_text(spec, profile).empty()) keys.push_back("dmarc");
    if (spec.mail && (!profile.autoconfig.srv.empty() || profile.mta_sts))
        keys.push_back("mail_setup");
    if (spec.pattern == Pattern::B) keys.push_back("ns");
    // The names that follow a host that moves: mail's (pop, imap, smtp) only when mail moves.
    if (spec.mail)
        keys.push_back("other_hosts");
    else if (spec.web)
        keys.push_back(spec.mail_none ? "mail_none" : "web_only");
    std::vector<std::string> out;
    for (const auto& k : keys) out.push_back(w.say("directions." + k, ctx));
    return out;
}

}  // namespace zonegen
