// Zone: an origin and its rrsets, keyed by (owner, type) in canonical order.
//
// Two ways in. `add` is strict, for what zonegen generates: a second SOA, a CNAME beside
// other data, or a TTL that differs from the rrset's is refused and returned as a finding.
// `add_loose` keeps whatever it is given (duplicates, mixed TTLs, CNAME beside other data),
// for zones read from elsewhere, so the validators can report every problem.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "zonegen/finding.hpp"
#include "zonegen/name.hpp"
#include "zonegen/rdata.hpp"

namespace zonegen {

struct Rr {
    std::string rdata;  // canonical presentation form
    std::uint32_t ttl = 0;
    int line = 0;  // source line, 0 when generated
};

struct RRset {
    Name owner;
    RRType type = 0;
    std::vector<Rr> rrs;  // strict zones: sorted, unique, one TTL

    std::uint32_t ttl() const { return rrs.empty() ? 0 : rrs.front().ttl; }
    std::vector<std::string> rdata() const;  // sorted, unique
    int line() const { return rrs.empty() ? 0 : rrs.front().line; }
};

struct RRKey {
    Name owner;
    RRType type;
    friend bool operator==(const RRKey&, const RRKey&) = default;
    friend auto operator<=>(const RRKey& a, const RRKey& b) {
        if (auto c = a.owner <=> b.owner; c != 0) return c;
        return a.type <=> b.type;
    }
};

class Zone {
  public:
    explicit Zone(Name origin) : origin_(std::move(origin)) {}

    const Name& origin() const { return origin_; }

    // Strict insertion; returns the refusal, if any (the record is then not added).
    std::optional<Finding> add(const Name& owner, RRType type, std::uint32_t ttl, std::string rdata,
                               int line = 0);
    // Loose insertion: keeps the record as read.
    void add_loose(const Name& owner, RRType type, std::uint32_t ttl, std::string rdata, int line);
    // Replaces (or with empty rdata, removes) a whole rrset.
    void set(const Name& owner, RRType type, std::uint32_t ttl,
             const std::vector<std::string>& rdata);
    void erase(const Name& owner, RRType type);

    const RRset* find(const Name& owner, RRType type) const;
    const std::map<RRKey, RRset>& rrsets() const { return rrsets_; }
    std::vector<RRType> types_at(const Name& owner) const;
    std::size_t record_count() const;
    bool empty() const { return rrsets_.empty(); }

  private:
    Name origin_;
    std::map<RRKey, RRset> rrsets_;
};

}  // namespace zonegen
