// The customer's domain: IDN conversion (UTS #46), the Public Suffix List, and the rules
// the provider's guide sets (no Japanese-label .jp domains).
#pragma once

#include <string>
#include <string_view>

#include "zonegen/name.hpp"

namespace zonegen {

class DomainError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// Converts a host name given as U-labels or A-labels (full-width forms included, trailing dot
// optional) to a Name of A-labels in lower case. Throws DomainError naming the problem.
Name to_a_labels(std::string_view text, bool allow_service_labels = false);

// The Unicode form of an A-label name, for messages and instructions ("" if not convertible).
std::string to_unicode(const Name& n);

struct DomainCheck {
    Name domain;
    bool tld_known = true;  // false when the TLD is not in the Public Suffix List
};

// Checks that `n` is a registrable domain (one label below an ICANN public suffix) that the
// provider can serve. Throws DomainError with what to do instead.
DomainCheck check_registrable(const Name& n);

// True for a label directly under .jp that is an IDN (a Japanese-label JP domain).
bool is_japanese_label_jp(const Name& n);

}  // namespace zonegen
