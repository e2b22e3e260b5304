#include "zonegen/name.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace zonegen {
namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

void append_label(std::string& wire, const std::string& label, std::string_view text) {
    if (label.empty()) throw NameError("empty label in '" + std::string(text) + "'");
    if (label.size() > 63)
        throw NameError("label of " + std::to_string(label.size()) + " octets (at most 63) in '" +
                        std::string(text) + "'");
    wire.push_back(static_cast<char>(label.size()));
    for (char c : label) wire.push_back(lower(c));
}

void check_length(const std::string& wire, std::string_view text) {
    if (wire.size() > 255)
        throw NameError("name of " + std::to_string(wire.size()) +
                        " octets in wire form (at most 255): '" + std::string(text) + "'");
}

// Offsets of the labels in a wire name, leftmost first (excluding the root label).
int label_offsets(const std::string& wire, std::array<std::uint8_t, 128>& out) {
    int n = 0;
    std::size_t i = 0;
    while (i < wire.size() && wire[i] != 0) {
        out[n++] = static_cast<std::uint8_t>(i);
        i += 1 + static_cast<unsigned char>(wire[i]);
    }
    return n;
}

}  // namespace

Name Name::parse(std::string_view text, const Name* origin) {
    if (text == "@") {
        if (!origin) throw NameError("'@' needs an origin");
        return *origin;
    }
    if (text.empty()) throw NameError("empty name");
    if (text == ".") return Name();
    std::string wire;
    wire.reserve(text.size() + 2);
    std::string label;
    bool absolute = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\\') {
            if (i + 1 >= text.size())
                throw NameError("dangling backslash in '" + std::string(text) + "'");
            char d = text[i + 1];
            if (std::isdigit(static_cast<unsigned char>(d))) {
                if (i + 3 >= text.size() ||
                    !std::isdigit(static_cast<unsigned char>(text[i + 2])) ||
                    !std::isdigit(static_cast<unsigned char>(text[i + 3])))
                    throw NameError("bad \\DDD escape in '" + std::string(text) + "'");
                int v = (d - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
                if (v > 255)
                    throw NameError("\\DDD escape over 255 in '" + std::string(text) + "'");
                label.push_back(static_cast<char>(v));
                i += 3;
            } else {
                label.push_back(d);
                i += 1;
            }
        } else if (c == '.') {
            append_label(wire, label, text);
            label.clear();
            if (i + 1 == text.size()) absolute = true;
        } else {
            label.push_back(c);
        }
    }
    if (!absolute) {
        append_label(wire, label, text);
        if (!origin) throw NameError("relative name '" + std::string(text) + "' without an origin");
        wire += origin->wire_;
    } else {
        wire.push_back('\0');
    }
    check_length(wire, text);
    return Name(std::move(wire));
}

Name Name::parse_fqdn(std::string_view text) {
    if (text.empty()) throw NameError("empty name");
    if (text.back() == '.') return parse(text);
    return parse(std::string(text) + ".");
}

Name Name::from_labels(const std::vector<std::string>& labels) {
    std::string wire;
    for (const auto& l : labels) append_label(wire, l, l);
    wire.push_back('\0');
    check_length(wire, "(labels)");
    return Name(std::move(wire));
}

Name Name::from_wire(std::string_view wire, std::size_t& off) {
    std::size_t start = off;
    for (;;) {
        if (off >= wire.size()) throw NameError("truncated name in wire data");
        auto len = static_cast<unsigned char>(wire[off]);
        if (len > 63) throw NameError("compressed or bad label in wire data");
        if (off + 1 + len > wire.size()) throw NameError("truncated label in wire data");
        off += 1 + len;
        if (off - start > 255) throw NameError("name over 255 octets in wire data");
        if (len == 0) break;
    }
    std::string out(wire.substr(start, off - start));
    for (char& c : out) c = lower(c);  // label lengths are at most 63: below 'A'
    return Name(std::move(out));
}

std::vector<std::string> Name::labels() const {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (wire_[i] != 0) {
        auto len = static_cast<unsigned char>(wire_[i]);
        out.emplace_back(wire_.substr(i + 1, len));
        i += 1 + len;
    }
    return out;
}

std::size_t Name::label_count() const {
    std::size_t n = 0, i = 0;
    while (wire_[i] != 0) {
        ++n;
        i += 1 + static_cast<unsigned char>(wire_[i]);
    }
    return n;
}

std::string Name::first_label() const {
    return wire_.substr(1, static_cast<unsigned char>(wire_[0]));
}

Name Name::parent() const {
    if (is_root()) return *this;
    return Name(wire_.substr(1 + static_cast<unsigned char>(wire_[0])));
}

Name Name::prepend(std::string_view label) const {
    std::string wire;
    append_label(wire, std::string(label), label);
    wire += wire_;
    check_length(wire, label);
    return Name(std::move(wire));
}

bool Name::is_subdomain_of(const Name& other) const {
    if (other.wire_.size() > wire_.size()) return false;
    // The suffix must match and start on a label boundary.
    std::size_t off = wire_.size() - other.wire_.size();
    if (wire_.compare(off, std::string::npos, other.wire_) != 0) return false;
    std::size_t i = 0;
    while (i < off) i += 1 + static_cast<unsigned char>(wire_[i]);
    return i == off;
}

std::string Name::to_string() const {
    if (is_root()) return ".";
    std::string out;
    out.reserve(wire_.size() + 8);
    std::size_t i = 0;
    while (wire_[i] != 0) {
        auto len = static_cast<unsigned char>(wire_[i]);
        for (std::size_t k = i + 1; k <= i + len; ++k) {
            auto c = static_cast<unsigned char>(wire_[k]);
            if (c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')' || c == '@' ||
                c == '$') {
                out.push_back('\\');
                out.push_back(static_cast<char>(c));
            } else if (c <= 0x20 || c >= 0x7f) {
                char buf[5];
                buf[0] = '\\';
                buf[1] = static_cast<char>('0' + c / 100);
                buf[2] = static_cast<char>('0' + (c / 10) % 10);
                buf[3] = static_cast<char>('0' + c % 10);
                out.append(buf, 4);
            } else {
                out.push_back(static_cast<char>(c));
            }
        }
        out.push_back('.');
        i += 1 + len;
    }
    return out;
}

std::string Name::relative_to(const Name& origin) const {
    if (*this == origin) return "@";
    if (!is_subdomain_of(origin)) return to_string();
    std::string full = to_string();
    std::string o = origin.to_string();
    if (origin.is_root()) return full.substr(0, full.size() - 1);
    return full.substr(0, full.size() - o.size() - 1);
}

std::strong_ordering operator<=>(const Name& a, const Name& b) {
    if (&a == &b || a.wire_ == b.wire_) return std::strong_ordering::equal;
    std::array<std::uint8_t, 128> oa, ob;  // filled up to the label counts; no need to clear
    int na = label_offsets(a.wire_, oa), nb = label_offsets(b.wire_, ob);
    for (int ia = na - 1, ib = nb - 1; ia >= 0 && ib >= 0; --ia, --ib) {
        std::string_view la(a.wire_.data() + oa[ia] + 1,
                            static_cast<unsigned char>(a.wire_[oa[ia]]));
        std::string_view lb(b.wire_.data() + ob[ib] + 1,
                            static_cast<unsigned char>(b.wire_[ob[ib]]));
        // Octets compare as unsigned; names are already lower case.
        int c = 0;
        std::size_t n = std::min(la.size(), lb.size());
        for (std::size_t k = 0; k < n && c == 0; ++k) {
            auto x = static_cast<unsigned char>(la[k]), y = static_cast<unsigned char>(lb[k]);
            if (x != y) c = x < y ? -1 : 1;
        }
        if (c != 0) return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
        if (la.size() != lb.size())
            return la.size() < lb.size() ? std::strong_ordering::less
                                         : std::strong_ordering::greater;
    }
    return na <=> nb;
}

bool is_hostname(const Name& n, bool allow_service_labels) {
    const std::string& w = n.wire();
    for (std::size_t at = 0; w[at] != 0; at += 1 + static_cast<unsigned char>(w[at])) {
        std::string_view l(w.data() + at + 1, static_cast<unsigned char>(w[at]));
        bool service = allow_service_labels && l[0] == '_';
        for (std::size_t i = 0; i < l.size(); ++i) {
            unsigned char c = static_cast<unsigned char>(l[i]);
            bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      (c == '-' && i > 0 && i + 1 < l.size()) ||
                      (service && (c == '_' || c == '-'));
            if (!ok) return false;
        }
    }
    return true;
}

}  // namespace zonegen
