#include "validators/mail.hpp"

#include <cctype>
#include <functional>
#include <map>

#include "zonegen/address.hpp"
#include "zonegen/generate.hpp"

namespace zonegen {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool valid_cidr(const std::string& s, int max) {
    if (s.empty() || s.size() > 3) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return std::stoi(s) <= max;
}

// A domain-spec: a name, possibly with macros (%{d}); macros make it unknowable offline.
bool domain_spec(const std::string& s, std::optional<Name>& name) {
    if (s.empty()) return false;
    if (s.find('%') != std::string::npos) return true;
    try {
        name = Name::parse(s.back() == '.' ? s : s + ".");
    } catch (const NameError&) {
        return false;
    }
    return true;
}

// Checks "a", "mx" arguments: [":" domain-spec] [ "/" ip4-cidr ] [ "//" ip6-cidr ]
bool a_mx_args(std::string rest, std::optional<Name>& name) {
    auto dual = rest.find("//");
    if (dual != std::string::npos) {
        if (!valid_cidr(rest.substr(dual + 2), 128)) return false;
        rest = rest.substr(0, dual);
    }
    auto slash = rest.find('/');
    if (slash != std::string::npos) {
        if (!valid_cidr(rest.substr(slash + 1), 32)) return false;
        rest = rest.substr(0, slash);
    }
    if (rest.empty()) return true;
    if (rest[0] != ':') return false;
    return domain_spec(rest.substr(1), name);
}

}  // namespace

std::set<std::string> spf_terms_lower(const std::string& spf) {
    std::set<std::string> out;
    for (auto& t : spf_terms(lower(spf))) out.insert(t);
    return out;
}

SpfSyntax parse_spf(const std::string& spf) {
    SpfSyntax r;
    auto terms = spf_terms(spf);
    if (terms.empty() || lower(terms[0]) != "v=spf1") {
        r.errors.push_back("does not start with v=spf1");
        return r;
    }
    bool redirect = false, exp = false;
    for (std::size_t i = 1; i < terms.size(); ++i) {
        std::string t = lower(terms[i]);
        std::string orig = terms[i];
        auto eq = t.find('=');
        auto colon = t.find(':');
        if (eq != std::string::npos && (colon == std::string::npos || eq < colon) &&
            std::isalpha(static_cast<unsigned char>(t[0]))) {
            std::string mod = t.substr(0, eq), val = orig.substr(eq + 1);
            for (char ch : mod)
                if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' &&
                    ch != '.') {
                    r.errors.push_back("bad modifier name '" + mod + "'");
                    break;
                }
            if (mod == "redirect" || mod == "exp") {
                bool& seen = mod == "redirect" ? redirect : exp;
                if (seen) r.errors.push_back(mod + "= appears twice");
                seen = true;
                std::optional<Name> n;
                if (!domain_spec(val, n)) r.errors.push_back("bad domain in " + mod + "=" + val);
                if (mod == "redirect") {
                    ++r.lookups;
                    if (n) r.includes.push_back(*n);
                }
            }
            continue;
        }
        std::size_t q = (t[0] == '+' || t[0] == '-' || t[0] == '~' || t[0] == '?') ? 1 : 0;
        std::string mech = t.substr(q);
        std::string name = mech.substr(0, std::min(mech.find(':'), mech.find('/')));
        std::string rest = mech.substr(name.size());
        std::string rest_orig = orig.substr(q + name.size());
        std::optional<Name> target;
        bool ok = true;
        if (name == "all") {
            ok = rest.empty();
        } else if (name == "include" || name == "exists") {
            ok = rest.size() > 1 && rest[0] == ':' && domain_spec(rest_orig.substr(1), target);
            ++r.lookups;
            if (name == "include" && target) r.includes.push_back(*target);
        } else if (name == "a" || name == "mx") {
            ok = a_mx_args(rest_orig, target);
            ++r.lookups;
        } else if (name == "ptr") {
            ok = rest.empty() || (rest[0] == ':' && domain_spec(rest_orig.substr(1), target));
            ++r.lookups;
        } else if (name == "ip4" || name == "ip6") {
            if (rest.size() < 2 || rest[0] != ':') {
                ok = false;
            } else {
                std::string addr = rest.substr(1);
                auto slash = addr.find('/');
                if (slash != std::string::npos) {
                    ok = valid_cidr(addr.substr(slash + 1), name == "ip4" ? 32 : 128);
                    addr = addr.substr(0, slash);
                }
                ok =
                    ok && (name == "ip4" ? canonical_ipv4(addr) : canonical_ipv6(addr)).has_value();
            }
        } else {
            ok = false;
        }
        if (!ok) r.errors.push_back("bad term '" + orig + "'");
    }
    return r;
}

std::vector<std::string> dmarc_problems(const std::string& text) {
    std::vector<std::string> out;
    std::vector<std::pair<std::string, std::string>> tags;
    std::size_t i = 0;
    while (i <= text.size()) {
        std::size_t j = text.find(';', i);
        if (j == std::string::npos) j = text.size();
        std::string part = text.substr(i, j - i);
        auto b = part.find_first_not_of(" \t"), e = part.find_last_not_of(" \t");
        part = b == std::string::npos ? "" : part.substr(b, e - b + 1);
        if (!part.empty()) {
            auto eq = part.find('=');
            if (eq == std::string::npos) {
                out.push_back("tag without '=': '" + part + "'");
            } else {
                auto k = part.substr(0, eq), v = part.substr(eq + 1);
                auto kb = k.find_last_not_of(" \t");
                k = kb == std::string::npos ? "" : k.substr(0, kb + 1);
                auto vb = v.find_first_not_of(" \t");
                v = vb == std::string::npos ? "" : v.substr(vb);
                tags.emplace_back(k, v);
            }
        }
        i = j + 1;
    }
    if (tags.empty() || tags[0].first != "v" || tags[0].second != "DMARC1") {
        out.push_back("must start with v=DMARC1");
        return out;
    }
    bool p = false;
    for (std::size_t k = 1; k < tags.size(); ++k) {
        const auto& [tag, v] = tags[k];
        std::string lv = lower(v);
        if (tag == "p" || tag == "sp") {
            if (lv != "none" && lv != "quarantine" && lv != "reject")
                out.push_back(tag + "=" + v + " is not none, quarantine or reject");
            if (tag == "p") {
                p = true;
                if (k != 1) out.push_back("p= should follow v=DMARC1 directly");
            }
        } else if (tag == "adkim" || tag == "aspf") {
            if (lv != "r" && lv != "s") out.push_back(tag + "=" + v + " is not r or s");
        } else if (tag == "pct") {
            bool digits = !v.empty() && v.size() <= 3;
            for (char ch : v) digits &= std::isdigit(static_cast<unsigned char>(ch)) != 0;
            if (!digits || std::stoi(v) > 100) out.push_back("pct=" + v + " is not 0..100");
        } else if (tag == "rua" || tag == "ruf") {
            if (lower(v).rfind("mailto:", 0) != 0 && lower(v).rfind("https:", 0) != 0)
                out.push_back(tag + "=" + v + " is not a mailto: URI");
        }
    }
    if (!p) out.push_back("no p= policy tag");
    return out;
}

void check_mail(const Zone& z, const std::vector<const RRset*>& txt, const ValidateOptions& opts,
                std::vector<Finding>& out) {
    auto add = [&](std::string_view id, const Name& owner, std::string msg, int line) {
        Finding f = make_finding(id, &owner, rrtype::TXT, std::move(msg), line);
        f.file = line ? opts.file : "";
        out.push_back(std::move(f));
    };
    // name -> SPF text, for counting lookups through in-zone includes.
    std::map<Name, std::string> spf_at;
    for (const RRset* tp : txt) {
        const RRset& set = *tp;
        int spf_count = 0;
        for (const auto& rr : set.rrs) {
            std::string text;
            try {
                text = join_txt(rr.rdata);
            } catch (const RdataError&) {
                continue;
            }
            if (is_spf(rr.rdata)) {
                if (++spf_count == 2)
                    add("spf-multiple", set.owner,
                        "a second v=spf1 record: receivers then fail SPF with permerror", rr.line);
                spf_at[set.owner] = text;
                auto syn = parse_spf(text);
                for (const auto& e : syn.errors) add("spf-syntax", set.owner, "SPF: " + e, rr.line);
            }
            if (set.owner.first_label() == "_dmarc" && text.rfind("v=DMARC1", 0) == 0)
                for (const auto& p : dmarc_problems(text))
                    add("dmarc-syntax", set.owner, "DMARC: " + p, rr.line);
        }
    }
    // Lookup counts, following includes inside the zone.
    for (const auto& [name, text] : spf_at) {
        std::set<Name> unknown;
        std::set<Name> visiting;
        std::function<int(const std::string&, int)> count = [&](const std::string& t,
                                                                int depth) -> int {
            auto syn = parse_spf(t);
            int n = syn.lookups;
            if (depth > 10) return n;
            for (const auto& inc : syn.includes) {
                auto it = spf_at.find(inc);
                if (it != spf_at.end() && !visiting.count(inc)) {
                    visiting.insert(inc);
                    n += count(it->second, depth + 1);
                    visiting.erase(inc);
                } else if (it == spf_at.end()) {
                    unknown.insert(inc);
                }
            }
            return n;
        };
        visiting.insert(name);
        int n = count(text, 0);
        const RRset* set = z.find(name, rrtype::TXT);
        int line = set ? set->line() : 0;
        if (n > 10)
            add("spf-lookups", name, "SPF needs " + std::to_string(n) + " DNS lookups (at most 10)",
                line);
        for (const auto& u : unknown)
            add("spf-include-unknown", name,
                "SPF includes " + u.to_string() +
                    ", which cannot be resolved offline: its lookups are not counted",
                line);
    }
}

}  // namespace zonegen
