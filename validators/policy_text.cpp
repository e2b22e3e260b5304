#include "validators/policy_text.hpp"

#include <cctype>

namespace zonegen {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// atext of RFC 5322 section 3.2.3.
bool atext(char c) {
    return alnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool ldh_host(std::string_view s, bool need_dot) {
    if (s.empty() || s.size() > 253) return false;
    bool dot = false;
    for (;;) {
        auto d = s.find('.');
        std::string_view label = s.substr(0, d);
        if (label.empty() || label.size() > 63 || !alnum(label.front()) || !alnum(label.back()))
            return false;
        for (char c : label)
            if (!alnum(c) && c != '-') return false;
        if (d == std::string_view::npos) return dot || !need_dot;
        dot = true;
        s.remove_prefix(d + 1);
    }
}

// `in` with its %XX escapes decoded into `out`; false on a broken escape.
bool percent_decode(std::string_view in, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
            !std::isxdigit(static_cast<unsigned char>(in[i + 2])))
            return false;
        out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
        i += 2;
    }
    return true;
}

bool lower_prefix(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

// "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] (RFC 7489 section 6.2).
bool size_limit(std::string_view s) {
    if (!s.empty() && std::string_view("kmgtKMGT").find(s.back()) != std::string_view::npos)
        s.remove_suffix(1);
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

std::string https_problem(std::string_view rest) {
    if (rest.substr(0, 2) != "//") return "has no //host after https:";
    rest.remove_prefix(2);
    std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
    if (auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
    if (!host.empty() && host.front() == '[') return host.back() == ']' ? "" : "has a broken host";
    host = host.substr(0, host.find(':'));
    if (!ldh_host(host, false)) return "has no valid host name";
    return "";
}

}  // namespace

std::vector<PolicyTag> policy_tags(std::string_view text, std::vector<std::string>& problems) {
    std::vector<PolicyTag> tags;
    for (;;) {
        auto semi = text.find(';');
        std::string_view part = trim(text.substr(0, semi));
        if (!part.empty()) {
            auto eq = part.find('=');
            if (eq == std::string_view::npos)
                problems.push_back("tag without '=': '" + std::string(part) + "'");
            else
                tags.push_back({std::string(trim(part.substr(0, eq))),
                                std::string(trim(part.substr(eq + 1)))});
        }
        if (semi == std::string_view::npos) break;
        text.remove_prefix(semi + 1);
    }
    return tags;
}

bool extension_field(const PolicyTag& tag) {
    const std::string& n = tag.name;
    if (n.empty() || n.size() > 32 || !alnum(n.front())) return false;
    for (char c : n)
        if (!alnum(c) && c != '_' && c != '-' && c != '.') return false;
    if (tag.value.empty()) return false;
    for (char c : tag.value) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x21 || u > 0x7e || c == ';' || c == '=') return false;
    }
    return true;
}

std::vector<std::string> versioned_fields_problems(const std::vector<PolicyTag>& tags,
                                                   std::string_view version,
                                                   const std::vector<std::string_view>& known) {
    std::vector<std::string> out;
    const std::string want(version);
    if (tags.empty() || tags[0].name + "=" + tags[0].value != want) {
        out.push_back("must start with " + want);
        return out;
    }
    for (std::size_t i = 1; i < tags.size(); ++i) {
        const PolicyTag& t = tags[i];
        bool is_known = false;
        for (auto k : known) is_known |= t.name == k;
        if (!is_known && !extension_field(t))
            out.push_back("'" + t.name + "=" + t.value + "' is not a valid field");
        for (std::size_t j = 1; j < i; ++j)
            if (tags[j].name == t.name) {
                out.push_back(t.name + "= appears twice");
                break;
            }
    }
    return out;
}

bool has_version(std::string_view text, std::string_view version) {
    if (text.substr(0, version.size()) != version) return false;
    if (text.size() == version.size()) return true;
    char next = text[version.size()];
    return next == ';' || next == ' ' || next == '\t';
}

bool mail_address(std::string_view a) {
    auto at = a.rfind('@');
    if (at == std::string_view::npos || at == 0) return false;
    std::string_view local = a.substr(0, at), domain = a.substr(at + 1);
    if (!ldh_host(domain, true)) return false;
    if (local.size() > 64) return false;
    if (local.size() >= 2 && local.front() == '"' && local.back() == '"') return true;
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        return false;
    for (char c : local)
        if (!atext(c) && c != '.') return false;
    return true;
}

std::string report_uri_problem(std::string_view uri, bool size_suffix) {
    if (uri.empty()) return "is empty";
    for (char c : uri)
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            return "holds a space or a character outside printable ASCII";
    if (auto bang = uri.find('!'); bang != std::string_view::npos) {
        if (!size_suffix) return "holds '!' (it must be written %21)";
        if (!size_limit(uri.substr(bang + 1)))
            return "has a size limit that is not !DIGITS with an optional k, m, g or t";
        uri = uri.substr(0, bang);
    }
    if (lower_prefix(uri, "https:")) return https_problem(uri.substr(6));
    if (!lower_prefix(uri, "mailto:")) return "is not a mailto: or https: URI";
    std::string_view to = uri.substr(7);
    to = to.substr(0, to.find('?'));  // header fields (?subject=...) are not the address
    std::string address;
    if (!percent_decode(to, address)) return "has a broken %-escape";
    if (!mail_address(address)) return "does not hold a valid mail address";
    return "";
}

std::vector<std::string> report_uris_problems(std::string_view tag, std::string_view list,
                                              bool size_suffix) {
    std::vector<std::string> out;
    for (;;) {
        auto comma = list.find(',');
        std::string_view uri = trim(list.substr(0, comma));
        if (auto why = report_uri_problem(uri, size_suffix); !why.empty())
            out.push_back(std::string(tag) + "=: '" + std::string(uri) + "' " + why);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return out;
}

}  // namespace zonegen
