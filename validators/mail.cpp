#include "validators/mail.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "validators/mta_sts.hpp"
#include "validators/policy_text.hpp"
#include "validators/tls_rpt.hpp"
#include "zonegen/spf.hpp"

namespace zonegen {
namespace {

// The strings of TXT wire rdata joined; nullopt when it is malformed.
std::optional<std::string> txt_text(std::string_view wire) {
    try {
        return join_txt(wire);
    } catch (const RdataError&) {
        return std::nullopt;
    }
}

// False when TXT wire rdata cannot be SPF: its first string is six octets or longer and
// does not start with "v=spf1" (any case). Most TXT records are not; they are not joined.
bool may_be_spf(std::string_view wire) {
    if (wire.empty() || static_cast<unsigned char>(wire[0]) < 6 || wire.size() < 7) return true;
    static constexpr std::string_view kTag = "v=spf1";
    for (std::size_t i = 0; i < kTag.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(wire[1 + i])) != kTag[i]) return false;
    return true;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool digits(std::string_view s) {
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

// The values of fo= (0, 1, d, s) and rf= (afrf) are lists separated by ':'
// (RFC 7489 section 6.3).
std::vector<std::string> colon_list(const std::string& v) {
    std::vector<std::string> out;
    std::size_t i = 0;
    for (;;) {
        auto c = v.find(':', i);
        std::string item = v.substr(i, c == std::string::npos ? std::string::npos : c - i);
        auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
        out.push_back(b == std::string::npos ? "" : item.substr(b, e - b + 1));
        if (c == std::string::npos) return out;
        i = c + 1;
    }
}

// The problems of one tag's value (RFC 7489 section 6.3); unknown tags are fine.
std::vector<std::string> dmarc_tag_problems(const std::string& tag, const std::string& v) {
    std::string lv = lower(v);
    if (tag == "p" || tag == "sp") {
        if (lv != "none" && lv != "quarantine" && lv != "reject")
            return {tag + "=" + v + " is not none, quarantine or reject"};
    } else if (tag == "adkim" || tag == "aspf") {
        if (lv != "r" && lv != "s") return {tag + "=" + v + " is not r or s"};
    } else if (tag == "pct") {
        if (v.empty() || v.size() > 3 || !digits(v) || std::stoi(v) > 100)
            return {"pct=" + v + " is not 0..100"};
    } else if (tag == "rua" || tag == "ruf") {
        return report_uris_problems(tag, v, true);
    } else if (tag == "fo") {
        for (const auto& o : colon_list(v))
            if (o != "0" && o != "1" && o != "d" && o != "s")
                return {"fo=" + v + " is not a ':' list of 0, 1, d and s"};
    } else if (tag == "rf") {
        for (const auto& f : colon_list(lv))
            if (f != "afrf")
                return {"rf=" + v +
                        ": afrf is the only failure report format (RFC 7489 "
                        "section 6.3)"};
    } else if (tag == "ri") {
        if (v.empty() || v.size() > 10 || !digits(v))
            return {"ri=" + v + " is not a number of seconds"};
    }
    return {};
}

using Add = std::function<void(std::string_view, const Name&, std::string, int)>;

// A kind of mail policy TXT record: its owner's leading labels, its version tag, its checks.
struct PolicyKind {
    std::vector<std::string_view> labels;  // "_smtp", "_tls": the owner is _smtp._tls.<domain>
    std::string_view version, name, syntax_id, multiple_id, multiple_effect;
    std::vector<std::string> (*problems)(const std::string&);
};

const PolicyKind kPolicies[] = {
    {{"_dmarc"},
     "v=DMARC1",
     "DMARC",
     "dmarc-syntax",
     "dmarc-multiple",
     "receivers then apply no DMARC policy at all (RFC 7489 section 6.6.3)",
     dmarc_problems},
    {{"_mta-sts"},
     "v=STSv1",
     "MTA-STS",
     "mta-sts-syntax",
     "mta-sts-syntax",
     "senders then assume the domain has no MTA-STS policy (RFC 8461 section 3.1)",
     mta_sts_problems},
    {{"_smtp", "_tls"},
     "v=TLSRPTv1",
     "TLS-RPT",
     "tls-rpt-syntax",
     "tls-rpt-syntax",
     "senders then send no TLS reports (RFC 8460 section 3)",
     tls_rpt_problems},
};

// Is `owner` <labels>.<something>? (Compared in the wire form, which is lower case.)
bool policy_owner(const Name& owner, const PolicyKind& kind) {
    const std::string& w = owner.wire();
    std::size_t at = 0;
    for (const auto& label : kind.labels) {
        auto len = static_cast<unsigned char>(w[at]);
        if (len != label.size() || w.compare(at + 1, len, label) != 0) return false;
        at += 1 + len;
    }
    return w[at] != 0;
}

// The DMARC, MTA-STS and TLS-RPT records of one TXT rrset: each one's syntax, and that
// there is only one (receivers discard the others, then ignore two).
void check_policy_records(const RRset& set, const Add& add) {
    for (const auto& kind : kPolicies) {
        if (!policy_owner(set.owner, kind)) continue;
        int count = 0;
        for (const auto& rr : set.rrs) {
            auto joined = txt_text(rr.rdata);
            if (!joined) continue;  // malformed: the syntax check says so
            const std::string& text = *joined;
            if (!has_version(text, kind.version)) continue;
            if (++count == 2)
                add(kind.multiple_id, set.owner,
                    "a second " + std::string(kind.version) + " record at " +
                        set.owner.to_string() + ": " + std::string(kind.multiple_effect) +
                        ". Keep one",
                    rr.line);
            for (const auto& p : kind.problems(text))
                add(kind.syntax_id, set.owner, std::string(kind.name) + ": " + p, rr.line);
        }
    }
}

}  // namespace

std::vector<std::string> dmarc_problems(const std::string& text) {
    std::vector<std::string> out;
    std::vector<PolicyTag> tags = policy_tags(text, out);
    if (tags.empty() || tags[0].name != "v" || tags[0].value != "DMARC1") {
        out.push_back("must start with v=DMARC1");
        return out;
    }
    bool p = false;
    for (std::size_t k = 1; k < tags.size(); ++k) {
        const auto& [tag, v] = tags[k];
        if (tag == "p") {
            p = true;
            if (k != 1) out.push_back("p= should follow v=DMARC1 directly");
        }
        for (auto& why : dmarc_tag_problems(tag, v)) out.push_back(std::move(why));
    }
    if (!p) out.push_back("no p= policy tag");
    return out;
}

void check_mail(const std::vector<const RRset*>& txt, const ValidateOptions& opts,
                std::vector<Finding>& out) {
    auto add = [&](std::string_view id, const Name& owner, std::string msg, int line) {
        Finding f = make_finding(id, &owner, rrtype::TXT, std::move(msg), line);
        f.file = line ? opts.file : "";
        out.push_back(std::move(f));
    };
    // Each name's SPF record in canonical order (the last, when it has two): its own lookups
    // and includes, for counting lookups through in-zone includes.
    struct Spf {
        const Name* name;
        int lookups;
        int line;
        std::vector<Name> includes;
    };
    std::vector<Spf> spfs;
    for (const RRset* tp : txt) {
        const RRset& set = *tp;
        int spf_count = 0;
        for (const auto& rr : set.rrs) {
            if (!may_be_spf(rr.rdata)) continue;
            auto joined = txt_text(rr.rdata);
            if (!joined) continue;  // malformed: the syntax check says so
            if (!is_spf_text(*joined)) continue;
            if (++spf_count == 2)
                add("spf-multiple", set.owner,
                    "a second v=spf1 record: receivers then fail SPF with permerror", rr.line);
            auto syn = parse_spf(*joined);
            for (const auto& e : syn.errors) add("spf-syntax", set.owner, "SPF: " + e, rr.line);
            if (spf_count == 1) spfs.push_back({&set.owner, 0, set.line(), {}});
            spfs.back().lookups = syn.lookups;
            spfs.back().includes = std::move(syn.includes);
        }
        check_policy_records(set, add);
    }
    // The SPF record of an in-zone name: spfs is in canonical order.
    auto spf_of = [&](const Name& n) -> const Spf* {
        auto it = std::lower_bound(spfs.begin(), spfs.end(), n,
                                   [](const Spf& s, const Name& x) { return *s.name < x; });
        return it != spfs.end() && *it->name == n ? &*it : nullptr;
    };
    // Lookup counts, following includes inside the zone.
    for (const Spf& spf : spfs) {
        std::set<Name> unknown;
        std::set<Name> visiting{*spf.name};
        std::function<int(const Spf&, int)> count = [&](const Spf& s, int depth) -> int {
            int n = s.lookups;
            if (depth > 10) return n;
            for (const auto& inc : s.includes) {
                const Spf* target = spf_of(inc);
                if (target && !visiting.count(inc)) {
                    visiting.insert(inc);
                    n += count(*target, depth + 1);
                    visiting.erase(inc);
                } else if (!target) {
                    unknown.insert(inc);
                }
            }
            return n;
        };
        int n = spf.includes.empty() ? spf.lookups : count(spf, 0);
        if (n > 10)
            add("spf-lookups", *spf.name,
                "SPF needs " + std::to_string(n) + " DNS lookups (at most 10)", spf.line);
        for (const auto& u : unknown)
            add("spf-include-unknown", *spf.name,
                "SPF includes " + u.to_string() +
                    ", which cannot be resolved offline: its lookups are not counted",
                spf.line);
    }
}

}  // namespace zonegen
