// Zone files: reading any master file into a Zone (loosely: a broken zone still loads and
// its problems become findings), and writing one back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "zonegen/finding.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

struct ReadOptions {
    std::optional<Name> origin;    // --origin or the spec's domain; else the file's $ORIGIN
    std::optional<Name> fallback;  // when neither `origin` nor a leading $ORIGIN names one
    // A file whose leading $ORIGIN names another zone than `origin`, or whose SOA owner is
    // not the origin it is read under (`origin`, its $ORIGIN or `fallback`), is refused
    // (InputError naming both) rather than read with its records under the wrong origin.
    bool refuse_other_origin = false;
    std::string allow_include_dir;     // "" refuses every $INCLUDE
    std::uint32_t default_ttl = 3600;  // for records before any $TTL without a TTL
};

struct ReadResult {
    Zone zone;
    std::vector<Finding> findings;  // syntax problems, refused includes, other classes
};

// Reads a master file. Throws InputError when the file cannot be opened or no origin is
// known; everything wrong inside the file becomes a finding.
ReadResult read_zone_file(const std::string& path, const ReadOptions& opts);
// The same for text in memory (`name` is used in findings).
ReadResult read_zone_text(const std::string& text, const std::string& name,
                          const ReadOptions& opts);

// The origin a file declares in a leading $ORIGIN, if any.
std::optional<Name> leading_origin(const std::string& text);

}  // namespace zonegen
