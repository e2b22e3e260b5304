#include "zonegen/rdata.hpp"

extern "C" {
#include <libknot/libknot.h>
#include <libzscanner/scanner.h>
}

#include <cctype>
#include <cstring>
#include <memory>

namespace zonegen {
namespace {

void check_one_line(std::string_view text) {
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            throw RdataError("control character (code " + std::to_string(c) + ") in rdata");
        if (c == '\\') {
            ++i;  // the escaped character is data
            if (i < text.size() && (static_cast<unsigned char>(text[i]) < 0x20 || text[i] == 0x7f))
                throw RdataError("control character after a backslash in rdata");
            continue;
        }
        if (c == '"') quoted = !quoted;
        if (!quoted && (c == ';' || c == '(' || c == ')'))
            throw RdataError(std::string("unquoted '") + static_cast<char>(c) +
                             "' in rdata (quote it, or escape it with a backslash)");
    }
    if (quoted) throw RdataError("unterminated quoted string in rdata");
}

// One scanner per thread, kept across calls: starting one clears ~200 KB. It is started
// afresh for another origin and after any error, so no state of a failed parse carries over.
struct Scanner {
    zs_scanner_t s{};
    bool inited = false;
    std::string origin;
    ~Scanner() {
        if (inited) zs_deinit(&s);
    }
    void start(const std::string& o) {
        if (inited && o == origin) return;
        if (inited) zs_deinit(&s);
        inited = zs_init(&s, o.c_str(), KNOT_CLASS_IN, 0) == 0;
        origin = inited ? o : "";
        if (!inited) throw RdataError("cannot start the zone scanner");
    }
    void drop() {
        if (inited) zs_deinit(&s);
        inited = false;
    }
};

std::uint32_t get32(std::string_view w, std::size_t off) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(w[off])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(w[off + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(w[off + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(w[off + 3]));
}

void put32(std::string& w, std::uint32_t v) {
    w.push_back(static_cast<char>(v >> 24));
    w.push_back(static_cast<char>(v >> 16));
    w.push_back(static_cast<char>(v >> 8));
    w.push_back(static_cast<char>(v));
}

// A one-record knot_rrset_t over a copy of wire rdata, for libknot's functions.
struct OneRecord {
    alignas(8) std::uint8_t buf[sizeof(knot_rdata_t) + 65536];
    std::uint8_t root[1] = {0};
    knot_rrset_t rr;
    knot_rdata_t* rd() { return reinterpret_cast<knot_rdata_t*>(buf); }
    // One per thread, reused: the buffer is large and records are many.
    static OneRecord& of(RRType type, std::string_view wire) {
        thread_local std::unique_ptr<OneRecord> one;
        if (!one) one.reset(new OneRecord);
        one->reset(type, wire);
        return *one;
    }
    void reset(RRType type, std::string_view wire) {
        knot_rdata_init(rd(), static_cast<std::uint16_t>(wire.size()),
                        reinterpret_cast<const std::uint8_t*>(wire.data()));
        knot_rrset_init(&rr, root, type, KNOT_CLASS_IN, 0);
        rr.rrs.count = 1;
        rr.rrs.size = static_cast<std::uint32_t>(knot_rdata_size(rd()->len));
        rr.rrs.rdata = rd();
    }
};

// RFC 8659 4.1.1: a CAA tag is one or more ASCII letters and digits. libknot's scanner takes
// any octets and its printer writes some (a parenthesis) unescaped, so what it printed would
// not parse back: such a tag is refused wherever rdata enters.
void check_caa_tag(std::string_view w) {
    std::size_t len = w.size() > 1 ? static_cast<unsigned char>(w[1]) : 0;
    bool ok = len > 0 && 2 + len <= w.size();
    for (std::size_t i = 2; ok && i < 2 + len; ++i)
        ok = std::isalnum(static_cast<unsigned char>(w[i])) &&
             static_cast<unsigned char>(w[i]) < 0x80;
    if (!ok) throw RdataError("CAA tag must be ASCII letters and digits (RFC 8659 4.1.1)");
}

}  // namespace

std::string type_name(RRType t) {
    char buf[32];
    if (knot_rrtype_to_string(t, buf, sizeof buf) < 0) return "TYPE" + std::to_string(t);
    return buf;
}

std::optional<RRType> type_from_name(std::string_view s) {
    std::string str(s);
    for (auto& c : str) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (str.empty() || str.size() > 20) return std::nullopt;
    std::uint16_t num = 0;
    if (knot_rrtype_from_string(str.c_str(), &num) != 0) return std::nullopt;
    return num;
}

bool rdata_well_formed(RRType type, std::string_view w) {
    const knot_rdata_descriptor_t* desc = knot_get_rdata_descriptor(type);
    std::size_t off = 0;
    auto name = [&]() {
        std::size_t total = 0;
        for (;;) {
            if (off >= w.size()) return false;
            auto len = static_cast<unsigned char>(w[off]);
            if (len > 63 || off + 1 + len > w.size()) return false;
            off += 1 + len;
            total += 1 + len;
            if (total > 255) return false;
            if (len == 0) return true;
        }
    };
    for (int i = 0; desc->block_types[i] != KNOT_RDATA_WF_END; ++i) {
        int b = desc->block_types[i];
        if (b > 0) {
            if (off + static_cast<std::size_t>(b) > w.size()) return false;
            off += static_cast<std::size_t>(b);
        } else if (b == KNOT_RDATA_WF_COMPRESSIBLE_DNAME ||
                   b == KNOT_RDATA_WF_DECOMPRESSIBLE_DNAME || b == KNOT_RDATA_WF_FIXED_DNAME) {
            if (!name()) return false;
        } else if (b == KNOT_RDATA_WF_NAPTR_HEADER) {
            if (off + 4 > w.size()) return false;
            off += 4;
            for (int k = 0; k < 3; ++k) {
                if (off >= w.size()) return false;
                off += 1 + static_cast<unsigned char>(w[off]);
                if (off > w.size()) return false;
            }
        } else if (b == KNOT_RDATA_WF_REMAINDER) {
            off = w.size();
        }
    }
    return off == w.size();
}

void canonicalize_rdata(RRType type, std::string& wire) {
    if (!rdata_well_formed(type, wire)) throw RdataError("malformed " + type_name(type) + " rdata");
    if (type == rrtype::CAA) check_caa_tag(wire);
    // Only the types of RFC 4034 section 6.2 (as libknot lists them) carry names to fold.
    const knot_rdata_descriptor_t* desc = knot_get_rdata_descriptor(type);
    bool has_name = false;
    for (int i = 0; desc->block_types[i] != KNOT_RDATA_WF_END; ++i) {
        int b = desc->block_types[i];
        has_name |= b == KNOT_RDATA_WF_COMPRESSIBLE_DNAME ||
                    b == KNOT_RDATA_WF_DECOMPRESSIBLE_DNAME || b == KNOT_RDATA_WF_FIXED_DNAME;
    }
    if (!has_name || wire.size() > 65535) return;
    OneRecord& one = OneRecord::of(type, wire);
    if (knot_rrset_rr_to_canonical(&one.rr) == KNOT_EOK)
        wire.assign(reinterpret_cast<const char*>(one.rd()->data), one.rd()->len);
}

std::string parse_rdata(RRType type, std::string_view text, const Name& origin) {
    check_one_line(text);
    // Octets above 0x7f are data: give them to the scanner as \DDD.
    std::string line = ". 0 IN " + type_name(type) + " ";
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x80) {
            char b[5] = {'\\', static_cast<char>('0' + u / 100),
                         static_cast<char>('0' + (u / 10) % 10), static_cast<char>('0' + u % 10),
                         0};
            line += b;
        } else {
            line.push_back(c);
        }
    }
    line.push_back('\n');
    thread_local std::unique_ptr<Scanner> sc;
    if (!sc) sc = std::make_unique<Scanner>();
    sc->start(origin.to_string());
    auto fail = [&](std::string why) {
        sc->drop();
        throw RdataError(why);
    };
    if (zs_set_input_string(&sc->s, line.data(), line.size()) != 0) fail("cannot read rdata");
    if (zs_parse_record(&sc->s) != 0 || sc->s.state != ZS_STATE_DATA) {
        std::string why =
            sc->s.state == ZS_STATE_ERROR ? zs_strerror(sc->s.error.code) : "no record";
        fail(why + " in " + type_name(type) + " rdata '" + std::string(text) + "'");
    }
    if (sc->s.r_type != type) fail("rdata does not parse as " + type_name(type));
    std::string wire(reinterpret_cast<const char*>(sc->s.r_data), sc->s.r_data_length);
    if (zs_parse_record(&sc->s) != 0 || sc->s.state != ZS_STATE_EOF)
        fail("more than one record in " + type_name(type) + " rdata '" + std::string(text) + "'");
    canonicalize_rdata(type, wire);
    return wire;
}

std::string rdata_text(RRType type, std::string_view wire) {
    if (!rdata_well_formed(type, wire)) {
        // Never hand libknot's printer bytes it cannot walk: RFC 3597 generic form.
        static const char* hex = "0123456789ABCDEF";
        std::string out = "\\# " + std::to_string(wire.size()) + (wire.empty() ? "" : " ");
        for (unsigned char c : wire) {
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
        return out;
    }
    if (wire.size() > 65535) throw RdataError("rdata over 65535 octets");
    const knot_rrset_t& rr = OneRecord::of(type, wire).rr;
    knot_dump_style_t style = KNOT_DUMP_STYLE_DEFAULT;
    style.wrap = false;
    std::string out(wire.size() * 4 + 256, '\0');
    int n = knot_rrset_txt_dump_data(&rr, 0, out.data(), out.size(), &style);
    if (n < 0) {
        // Print what the printer cannot as RFC 3597 generic data.
        style.generic = true;
        out.assign(wire.size() * 2 + 64, '\0');
        n = knot_rrset_txt_dump_data(&rr, 0, out.data(), out.size(), &style);
        if (n < 0) throw RdataError("cannot print " + type_name(type) + " rdata");
    }
    out.resize(static_cast<std::size_t>(n));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string txt_wire(std::string_view raw) {
    std::string w;
    do {
        std::size_t n = std::min<std::size_t>(raw.size(), 255);
        w.push_back(static_cast<char>(n));
        w.append(raw.substr(0, n));
        raw.remove_prefix(n);
    } while (!raw.empty());
    return w;
}

std::vector<std::string> txt_strings(std::string_view w) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < w.size()) {
        auto len = static_cast<unsigned char>(w[i]);
        if (i + 1 + len > w.size()) throw RdataError("truncated TXT character-string");
        out.emplace_back(w.substr(i + 1, len));
        i += 1 + len;
    }
    return out;
}

std::string join_txt(std::string_view wire) {
    std::string s;
    for (const auto& part : txt_strings(wire)) s += part;
    return s;
}

std::optional<Name> rdata_target(RRType type, std::string_view w) {
    std::size_t off;
    switch (type) {
        case rrtype::NS:
        case rrtype::CNAME:
        case rrtype::DNAME:
        case rrtype::PTR:
            off = 0;
            break;
        case rrtype::MX:
            off = 2;
            break;
        case rrtype::SRV:
            off = 6;
            break;
        default:
            return std::nullopt;
    }
    try {
        return Name::from_wire(w, off);
    } catch (const NameError&) {
        return std::nullopt;
    }
}

std::optional<Soa> parse_soa(std::string_view w) {
    try {
        std::size_t off = 0;
        Soa s;
        s.mname = Name::from_wire(w, off);
        s.rname = Name::from_wire(w, off);
        if (off + 20 != w.size()) return std::nullopt;
        s.serial = get32(w, off);
        s.refresh = get32(w, off + 4);
        s.retry = get32(w, off + 8);
        s.expire = get32(w, off + 12);
        s.minimum = get32(w, off + 16);
        return s;
    } catch (const NameError&) {
        return std::nullopt;
    }
}

std::string soa_wire(const Soa& s) {
    std::string w = s.mname.wire() + s.rname.wire();
    for (auto v : {s.serial, s.refresh, s.retry, s.expire, s.minimum}) put32(w, v);
    return w;
}

std::string soa_without_serial(const std::string& wire) {
    auto soa = parse_soa(wire);
    if (!soa) return wire;
    soa->serial = 0;
    return soa_wire(*soa);
}

}  // namespace zonegen
