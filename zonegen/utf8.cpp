#include "zonegen/utf8.hpp"

#include <cstdio>

namespace zonegen {
namespace {

// The length of the well-formed sequence at s[i], or 0 (RFC 3629 section 4's table).
std::size_t sequence_length(std::string_view s, std::size_t i) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    unsigned char c = b(0);
    if (c < 0x80) return 1;
    std::size_t n = c >= 0xC2 && c <= 0xDF   ? 2
                    : c >= 0xE0 && c <= 0xEF ? 3
                    : c >= 0xF0 && c <= 0xF4 ? 4
                                             : 0;
    if (n == 0 || i + n > s.size()) return 0;
    // The second byte's range depends on the first (overlong forms, surrogates, > U+10FFFF).
    unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (b(1) < lo || b(1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(k) < 0x80 || b(k) > 0xBF) return 0;
    return n;
}

}  // namespace

std::size_t utf8_error_at(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = sequence_length(s, i);
        if (n == 0) return i;
        i += n;
    }
    return std::string_view::npos;
}

std::string printable(std::string_view s) {
    bool plain = is_utf8(s);
    for (char c : s) plain &= static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
    if (plain) return std::string(s);
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = sequence_length(s, i);
        if (n > 1 || (n == 1 && c >= 0x20 && c != 0x7f && c != '\\')) {
            out.append(s.substr(i, n));
            i += n;
            continue;
        }
        if (c == '\\') {
            out += "\\\\";
        } else {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
        }
        ++i;
    }
    return out;
}

}  // namespace zonegen
