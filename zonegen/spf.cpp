#include "zonegen/spf.hpp"

#include <cctype>
#include <cstring>
#include <optional>
#include <string_view>

#include "zonegen/rdata.hpp"

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
        name = Name::parse_fqdn(s);
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

bool is_spf(std::string_view rdata) {
    return is_spf_text(join_txt(rdata));
}

bool is_spf_text(std::string_view s) {
    if (s.size() < 6) return false;
    return lower(std::string(s.substr(0, 6))) == "v=spf1" && (s.size() == 6 || s[6] == ' ');
}

std::vector<std::string> spf_terms(const std::string& spf) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < spf.size()) {
        while (i < spf.size() && spf[i] == ' ') ++i;
        std::size_t j = spf.find(' ', i);
        if (j == std::string::npos) j = spf.size();
        if (j > i) out.push_back(spf.substr(i, j - i));
        i = j;
    }
    return out;
}

std::set<std::string> spf_terms_lower(const std::string& spf) {
    std::set<std::string> out;
    for (auto& t : spf_terms(lower(spf))) out.insert(t);
    return out;
}

std::string spf_server_terms(const HostAddrs& server) {
    std::string out;
    auto term = [&out](std::string_view kind, const std::string& addr) {
        if (!out.empty()) out += ' ';
        out.append(kind).append(addr);
    };
    for (const auto& a : server.ipv4) term("ip4:", a);
    for (const auto& a : server.ipv6) term("ip6:", a);
    return out;
}

std::vector<std::string> spf_missing_server_terms(const std::string& spf, const HostAddrs& server) {
    const auto terms = spf_terms_lower(spf);
    std::vector<std::string> missing;
    auto check = [&](const std::string& term) {
        if (!terms.count(term) && !terms.count("+" + term)) missing.push_back(term);
    };
    for (const auto& a : server.ipv4) check("ip4:" + a);
    for (const auto& a : server.ipv6) check("ip6:" + a);
    return missing;
}

std::string merge_spf(const std::string& spf, const std::string& terms) {
    const std::set<std::string> present = spf_terms_lower(spf);
    std::string add;
    for (const auto& term : spf_terms(terms))
        if (!present.count(term) && !present.count("+" + term)) add += " " + term;
    return spf.substr(0, 6) + add + spf.substr(6);
}

std::string spf_sender_terms(const std::string& spf) {
    std::string out;
    auto terms = spf_terms(spf);
    for (std::size_t i = 1; i < terms.size(); ++i) {
        std::string t = lower(terms[i]);
        std::string bare_t = !t.empty() && std::strchr("+-~?", t[0]) ? t.substr(1) : t;
        if (bare_t == "all" || t.rfind("redirect=", 0) == 0 || t.rfind("exp=", 0) == 0) continue;
        out += (out.empty() ? "" : " ") + terms[i];
    }
    return out;
}

std::string spf_terms_to_merge(const std::vector<std::string>& want, const HostAddrs& server) {
    for (const auto& r : want)
        if (is_spf(r)) return spf_sender_terms(join_txt(r));
    return spf_server_terms(server);
}

std::string merge_spf_wire(const std::string& rdata, const std::string& terms) {
    return txt_wire(merge_spf(join_txt(rdata), terms));
}

bool merge_first_spf(std::vector<std::string>& txt_rdata, const std::string& terms) {
    for (auto& r : txt_rdata)
        if (is_spf(r)) {
            r = merge_spf_wire(r, terms);
            return true;
        }
    return false;
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

}  // namespace zonegen
