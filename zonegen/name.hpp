// Name: an absolute DNS name, stored in lower-case wire form.
//
// Equality is case-insensitive (names are folded to lower case when built), `<` is the
// canonical order of RFC 4034 section 6.1, and a Name can only be built valid: every label
// is 1..63 octets and the wire form at most 255 octets.
#pragma once

#include <compare>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace zonegen {

class NameError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

class Name {
  public:
    Name() : wire_(1, '\0') {}  // the root

    // Parses presentation format (`www`, `a\.b`, `\065`, `@`). A name without a trailing
    // dot is relative to `origin` (and an error without one). Throws NameError.
    static Name parse(std::string_view text, const Name* origin = nullptr);
    // A domain, zone or key name as people write it: absolute, the trailing dot optional
    // ("example.com" is "example.com."). Throws NameError (for an empty text too).
    static Name parse_fqdn(std::string_view text);
    // Builds a name from raw labels, leftmost first. Throws NameError.
    static Name from_labels(const std::vector<std::string>& labels);
    // Reads an uncompressed wire name at `off` (advanced past it), folding case. Throws NameError.
    static Name from_wire(std::string_view wire, std::size_t& off);

    std::string to_string() const;  // absolute, trailing dot, escaped where needed
    // Relative to `origin` when inside it ("@" for the origin itself), else absolute.
    std::string relative_to(const Name& origin) const;

    std::vector<std::string> labels() const;  // raw octets, leftmost first
    std::size_t label_count() const;
    std::string first_label() const;  // "" for the root
    bool is_root() const { return wire_.size() == 1; }
    bool is_wildcard() const { return wire_.size() >= 2 && wire_[0] == 1 && wire_[1] == '*'; }
    Name parent() const;  // the root's parent is the root
    Name prepend(std::string_view label) const;
    bool is_subdomain_of(const Name& other) const;  // true for equal names too
    const std::string& wire() const { return wire_; }

    // The same object first: a zone keeps one Name for all the rrsets of an owner.
    friend bool operator==(const Name& a, const Name& b) { return &a == &b || a.wire_ == b.wire_; }
    friend std::strong_ordering operator<=>(const Name& a, const Name& b);

  private:
    explicit Name(std::string wire) : wire_(std::move(wire)) {}
    std::string wire_;
};

struct NameHash {
    std::size_t operator()(const Name& n) const { return std::hash<std::string>()(n.wire()); }
};

// True for names of hosts (RFC 952/1123): letters, digits and inner hyphens, and `_` only in
// a label that starts with it (service labels such as _dmarc, _25._tcp).
bool is_hostname(const Name& n, bool allow_service_labels);

}  // namespace zonegen
