// Rdata in the text PowerDNS itself prints, and back.
//
// PowerDNS's API refuses a record whose content is not, case aside, exactly what PowerDNS
// would print for it ("Not in expected format"). For most types that is the standard
// presentation libknot prints; these differ (PowerDNS Authoritative 4):
//   LOC       every field, seconds with three decimals and metres with two, computed as
//             PowerDNS 4 computes them (which may print a whole minute as "x 60.000");
//             PowerDNS 5 computes them exactly (pdns_loc_exact), and where the two differ
//             the client sends the form of the server's version;
//   AAAA      no dotted IPv4 tail (::ffff:c000:201, never ::ffff:192.0.2.1);
//   IPSECKEY  no "." gateway when the gateway type is 0;
//   SVCB      ech="..." quoted, a key without a value as key65001="";
//   generic   "\# 0 " (with its trailing space) for empty unknown rdata;
//   RT        a type PowerDNS 4 does not know: sent as TYPE21 in RFC 3597 form.
// Reading PowerDNS's content back undoes each difference before the standard parser.
#pragma once

#include <string>
#include <string_view>

#include "zonegen/rdata.hpp"

namespace zonegen {

// The type name PowerDNS knows the type by (TYPEnnn for those it does not).
std::string pdns_type_name(RRType type);
// Wire rdata as PowerDNS's content.
std::string pdns_content(RRType type, std::string_view wire);
// LOC wire rdata as PowerDNS 5 prints it (exact; "0 0 0.000 N" at the origin).
std::string pdns_loc_exact(std::string_view wire);
// PowerDNS's content as canonical wire rdata; throws RdataError.
std::string pdns_parse_content(RRType type, const std::string& content);

}  // namespace zonegen
