// Strict reading of YAML documents (internal): unknown and duplicated keys are errors, and
// every error names the key path and the line.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "zonegen/name.hpp"

namespace zonegen::yamlx {

// Loads one document; a YAML syntax error becomes an InputError naming the line. A document
// that is not UTF-8 is refused naming the key (or the line) where it stops being UTF-8, so
// nothing read from it can carry another encoding into a message or JSON output.
// A spec (Doc::spec) is also refused for a YAML anchor or alias (before anything walks the
// tree), text after its one document, and a control character in any key or value; a
// profile (trusted, and its templates hold newlines) is not.
enum class Doc { spec, profile };
YAML::Node load(const std::string& text, const std::string& source, Doc kind = Doc::spec);

[[noreturn]] void fail(const std::string& source, const YAML::Node& at, const std::string& path,
                       const std::string& message);

class Map {
  public:
    // `node` must be a mapping; duplicated keys are refused here, and so is every key not in
    // `keys` when they are given (an unknown key is reported before a missing one, with the
    // known key it is closest to).
    Map(const YAML::Node& node, std::string source, std::string path,
        std::vector<std::string> keys = {});

    // The value of `key`, or an undefined node when it is absent or null (JSON encoders
    // write null for an unset optional key). Marks the key as known.
    YAML::Node get(const std::string& key);
    // The value of `key`; absent or null is an error.
    YAML::Node require(const std::string& key);
    bool has(const std::string& key) const;  // present and not null
    // Refuses every key that was never asked for.
    void finish() const;

    std::string path(const std::string& key) const {
        return path_.empty() ? key : path_ + "." + key;
    }
    const std::string& source() const { return source_; }
    const YAML::Node& node() const { return node_; }

  private:
    YAML::Node raw(const std::string& key);  // null stays null
    YAML::Node node_;
    std::string source_;
    std::string path_;
    std::set<std::string> asked_;
    std::vector<std::string> keys_;
    [[noreturn]] void unknown(const YAML::Node& key, const std::string& known_here) const;
};

// The candidate `key` is most likely a misspelling of: at most one edit (two for keys of six
// letters or more) away, ignoring case; "" when none is.
std::string closest_key(const std::string& key, const std::vector<std::string>& candidates);

int line_of(const YAML::Node& n);  // 1-based, 0 when unknown

std::string scalar(const YAML::Node& n, const std::string& source, const std::string& path);
std::uint32_t uint32(const YAML::Node& n, const std::string& source, const std::string& path,
                     std::uint32_t max = 0xffffffffu);
// A TTL: whole seconds (3600, or 3600.0 as JSON encoders write a float), or BIND's units
// (1h30m, 2d, 1w); from 0 to 2147483647. A fraction, an exponent, a sign or a digit separator
// is an error naming the key.
std::uint32_t ttl(const YAML::Node& n, const std::string& source, const std::string& path);
bool boolean(const YAML::Node& n, const std::string& source, const std::string& path);
// A sequence of scalars.
std::vector<std::string> strings(const YAML::Node& n, const std::string& source,
                                 const std::string& path);
// A list of IPv4 (or IPv6) addresses in canonical form; absent or null is empty, a
// duplicate is an error.
std::vector<std::string> addresses(const YAML::Node& n, const std::string& source,
                                   const std::string& path, bool v6);
// One of `choices` (its index); anything else is an error listing them.
std::size_t one_of(const YAML::Node& n, const std::string& source, const std::string& path,
                   const std::vector<std::string>& choices);
// A host name (U-labels or A-labels, trailing dot optional), as A-labels.
Name host_name(const YAML::Node& n, const std::string& source, const std::string& path);
// Checks `n` is a sequence.
void sequence(const YAML::Node& n, const std::string& source, const std::string& path);

}  // namespace zonegen::yamlx
