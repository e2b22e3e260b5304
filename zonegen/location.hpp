// Where a zone is read from or written to, as a command line or a spec writes it: a zone
// file's path, "pdns:" or "pdns:ZONE" (our PowerDNS), or "axfr://HOST[:PORT]/ZONE" (a zone
// transfer from a server). The one place that tells them apart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "zonegen/name.hpp"

namespace zonegen {

enum class LocationKind { file, pdns, axfr };

struct Location {
    LocationKind kind = LocationKind::file;
    std::string text;          // as written
    std::optional<Name> zone;  // pdns:ZONE, axfr://HOST/ZONE; none for "pdns:" and a file
    std::string host;          // axfr: a name or an address as written (without brackets)
    std::uint16_t port = 53;   // axfr

    // Parses and checks the whole text. Throws UsageError naming it: a bad zone name, an
    // axfr:// without a host or a zone, a bad port. A file's path is not looked at.
    static Location parse(const std::string& text);
};

// The kind by the text's prefix alone ("pdns:", "axfr://", anything else a file); never throws.
LocationKind location_kind(const std::string& text);
// True when `text` is a zone file's path: neither pdns: nor axfr://.
bool is_file_location(const std::string& text);

// Two spellings of one server (a PowerDNS API URL, a target's server as a plan names it): a
// trailing slash is not a difference.
bool same_server(std::string_view a, std::string_view b);

}  // namespace zonegen
