#include "backends/pdns_content.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace zonegen {
namespace {

constexpr RRType kLoc = 29, kRt = 21, kIpseckey = 45;

// Space-separated tokens; a quoted string (with its escapes) stays one token.
std::vector<std::string> tokens(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\\' && i + 1 < s.size()) {
            cur += c;
            cur += s[++i];
            continue;
        }
        if (c == '"') quoted = !quoted;
        if (c == ' ' && !quoted) {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
            continue;
        }
        cur += c;
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

std::string join(const std::vector<std::string>& t) {
    std::string out;
    for (const auto& x : t) out += (out.empty() ? "" : " ") + x;
    return out;
}

std::uint32_t get32(std::string_view w, std::size_t off) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(w[off + i]);
    return v;
}

// PowerDNS 4's LOC printer works in floating point: latitude and longitude as degrees, the
// minutes and seconds derived from them, and so for some values "x 60.000" seconds.
std::string loc_angle(std::uint32_t raw, char positive, char negative) {
    double deg =
        static_cast<double>(static_cast<std::int64_t>(raw) - (std::int64_t{1} << 31)) / 3600000.0;
    int whole = static_cast<int>(deg);
    double minutes = 60.0 * (deg - whole);
    double seconds = std::fabs((minutes - static_cast<int>(minutes)) * 60.0);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%d %d %2.03f %c", std::abs(whole),
                  std::abs(static_cast<int>(minutes)), seconds, deg > 0 ? positive : negative);
    return buf;
}

double loc_precision(unsigned char b) {
    double v = 0.01 * ((b >> 4) & 0xf);
    for (int e = b & 0xf; e > 0; --e) v *= 10;
    return v;
}

// PowerDNS 5: degrees, minutes and seconds from the integer milliseconds of arc.
std::string loc_angle_exact(std::uint32_t raw, char positive, char negative) {
    const std::uint32_t equator = std::uint32_t{1} << 31;
    char hemisphere = raw >= equator ? positive : negative;
    std::uint32_t v = raw >= equator ? raw - equator : equator - raw;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%u %u %u.%03u %c", v / 3600000, v / 60000 % 60, v / 1000 % 60,
                  v % 1000, hemisphere);
    return buf;
}

std::string loc_text(std::string_view w, bool exact) {
    if (w.size() != 16 || w[0] != 0) return rdata_text(kLoc, w);
    auto angle = exact ? loc_angle_exact : loc_angle;
    double altitude = static_cast<std::int32_t>(get32(w, 12)) / 100.0 - 100000;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s %s %.2fm %.2fm %.2fm %.2fm",
                  angle(get32(w, 4), 'N', 'S').c_str(), angle(get32(w, 8), 'E', 'W').c_str(),
                  altitude, loc_precision(static_cast<unsigned char>(w[1])),
                  loc_precision(static_cast<unsigned char>(w[2])),
                  loc_precision(static_cast<unsigned char>(w[3])));
    return buf;
}

// "D M 60.000 H" (PowerDNS 4) as "D M+1 0.000 H", which the standard grammar accepts.
std::string loc_carry(const std::string& content) {
    auto t = tokens(content);
    for (std::size_t at : {std::size_t{0}, std::size_t{4}}) {
        if (t.size() < at + 4 || t[at + 2] != "60.000") continue;
        int d = std::atoi(t[at].c_str()), m = std::atoi(t[at + 1].c_str()) + 1;
        if (m == 60) {
            m = 0;
            ++d;
        }
        t[at] = std::to_string(d);
        t[at + 1] = std::to_string(m);
        t[at + 2] = "0.000";
    }
    return join(t);
}

// Eight groups of hex, the longest run of two or more zero groups as "::" (RFC 5952).
std::string aaaa_hex(std::string_view w) {
    unsigned g[8];
    for (int i = 0; i < 8; ++i)
        g[i] =
            (static_cast<unsigned char>(w[2 * i]) << 8) | static_cast<unsigned char>(w[2 * i + 1]);
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0) ++j;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j == i ? i + 1 : j;
    }
    std::string out;
    char buf[8];
    for (int i = 0; i < 8; ++i) {
        if (i == best) {
            out += "::";
            i += best_len - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':') out += ':';
        std::snprintf(buf, sizeof buf, "%x", g[i]);
        out += buf;
    }
    return out;
}

std::string svcb_text(const std::string& knot) {
    auto t = tokens(knot);
    for (std::size_t i = 2; i < t.size(); ++i) {
        std::string& p = t[i];
        if (p.rfind("ech=", 0) == 0 && p.size() > 4 && p[4] != '"')
            p = "ech=\"" + p.substr(4) + "\"";
        else if (p == "ech" || (p.rfind("key", 0) == 0 && p.find('=') == std::string::npos))
            p += "=\"\"";
    }
    return join(t);
}

}  // namespace

std::string pdns_type_name(RRType type) {
    return type == kRt ? "TYPE" + std::to_string(type) : type_name(type);
}

std::string pdns_content(RRType type, std::string_view wire) {
    if (type == kLoc) return loc_text(wire, false);
    if (type == rrtype::AAAA && wire.size() == 16) return aaaa_hex(wire);
    std::string text = rdata_text(type, wire);
    if (type == kRt) {
        static const char* hex = "0123456789abcdef";
        text = "\\# " + std::to_string(wire.size()) + " ";
        for (unsigned char c : wire) {
            text.push_back(hex[c >> 4]);
            text.push_back(hex[c & 15]);
        }
        return text;
    }
    if (text == "\\# 0") return "\\# 0 ";
    if (type == kIpseckey) {
        auto t = tokens(text);
        if (t.size() >= 4 && t[1] == "0" && t[3] == ".") t.erase(t.begin() + 3);
        return join(t);
    }
    if (type == rrtype::SVCB || type == rrtype::HTTPS) return svcb_text(text);
    return text;
}

std::string pdns_loc_exact(std::string_view wire) {
    return loc_text(wire, true);
}

std::string pdns_parse_content(RRType type, const std::string& content) {
    std::string text = content;
    if (type == kLoc) text = loc_carry(text);
    if (type == kIpseckey) {
        auto t = tokens(text);
        if (t.size() >= 3 && t[1] == "0" && (t.size() == 3 || t[3] != ".")) {
            t.insert(t.begin() + 3, ".");
            text = join(t);
        }
    }
    return parse_rdata(type, text, Name());
}

}  // namespace zonegen
