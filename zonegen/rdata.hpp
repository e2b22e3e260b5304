// RR types and rdata.
//
// Rdata is kept in canonical wire form (RFC 4034 section 6.2: names in rdata folded to
// lower case), so two rdata are equal exactly when their bytes are, and sorting them gives
// the canonical order. Text is parsed by Knot's zone scanner (the grammar kzonecheck
// uses) and printed by libknot's printer: one grammar and one printer for every source.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "zonegen/name.hpp"

namespace zonegen {

using RRType = std::uint16_t;

namespace rrtype {
constexpr RRType A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, MX = 15, TXT = 16, AAAA = 28,
                 SRV = 33, NAPTR = 35, DNAME = 39, DS = 43, SSHFP = 44, RRSIG = 46, NSEC = 47,
                 DNSKEY = 48, NSEC3 = 50, NSEC3PARAM = 51, TLSA = 52, CDS = 59, CDNSKEY = 60,
                 SVCB = 64, HTTPS = 65, SPF = 99, CAA = 257;
}

std::string type_name(RRType t);                           // "A", "TYPE65534"
std::optional<RRType> type_from_name(std::string_view s);  // case-insensitive, TYPEnnn too

class RdataError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// Parses `text` as rdata of `type` (names without a trailing dot are relative to `origin`)
// and returns its canonical wire form. Refuses control characters and unquoted `;`, `(`
// and `)`: a value from a spec is one record on one line. Octets of UTF-8 inside TXT are
// kept as data. Throws RdataError.
std::string parse_rdata(RRType type, std::string_view text, const Name& origin);

// True when wire rdata has the shape its type requires (names bounded and uncompressed).
bool rdata_well_formed(RRType type, std::string_view wire);
// Canonicalises wire rdata of `type` in place (names in rdata to lower case); throws
// RdataError when it is malformed.
void canonicalize_rdata(RRType type, std::string& wire);

// Presentation form of wire rdata.
std::string rdata_text(RRType type, std::string_view wire);

// TXT: wire rdata from raw text, split into character-strings of at most 255 octets.
std::string txt_wire(std::string_view raw);
// The character-strings of TXT (or SPF) wire rdata. Throws RdataError when malformed.
std::vector<std::string> txt_strings(std::string_view wire);
// The strings of TXT wire rdata, concatenated. Throws RdataError when malformed.
std::string join_txt(std::string_view wire);

// The name an NS, CNAME, DNAME, PTR, MX or SRV rdata points at; nullopt for other types.
std::optional<Name> rdata_target(RRType type, std::string_view wire);

struct Soa {
    Name mname, rname;
    std::uint32_t serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
};
std::optional<Soa> parse_soa(std::string_view wire);
std::string soa_wire(const Soa& soa);
// SOA wire rdata with the serial set to 0: two SOAs that differ in the serial alone are equal
// this way. Rdata that does not parse as a SOA comes back unchanged.
std::string soa_without_serial(const std::string& wire);

}  // namespace zonegen
