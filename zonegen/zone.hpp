// Zone: an origin and its rrsets, keyed by (owner, type) in canonical order.
//
// Two ways in. `add` is strict, for what zonegen generates: a second SOA, a CNAME beside
// other data, or a TTL that differs from the rrset's is refused and returned as a finding.
// `add_loose` keeps whatever it is given (duplicates, mixed TTLs, CNAME beside other data),
// for zones read from elsewhere, so the validators can report every problem.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "zonegen/finding.hpp"
#include "zonegen/name.hpp"
#include "zonegen/rdata.hpp"
#include "zonegen/records.hpp"

namespace zonegen {

// One rrset of a zone, as the zone holds it: its owner (a name the zone keeps once for all
// its rrsets) and its records (a block of the zone's record store). Valid while its zone
// lives; a copy refers to the same owner and records.
struct RRset {
    const Name& owner;
    RRType type = 0;
    Records rrs;  // strict zones: sorted, unique, one TTL

    std::uint32_t ttl() const { return rrs.empty() ? 0 : rrs.front().ttl; }
    std::vector<std::string> rdata() const;  // sorted, unique
    int line() const { return rrs.empty() ? 0 : rrs.front().line; }

  private:
    friend class Zone;
    RRset(const Name& o, RRType t) : owner(o), type(t) {}
    // The first eight octets of the owner's order key relative to the zone's origin (its labels
    // below the origin, rightmost first, each ended by a zero octet): comparing two of them
    // orders names as RFC 4034 does without touching the names. `ranked_` is false for owners
    // outside the origin or with a zero octet inside those eight; they compare by name.
    std::uint64_t rank_ = 0;
    bool ranked_ = false;
};

// An (owner, type) pair in canonical order, for sets of rrset keys.
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
    struct Probe {
        const Name& owner;
        RRType type;
        std::uint64_t rank;
        bool ranked;
    };
    struct Less {
        using is_transparent = void;
        template <class A, class B>
        bool operator()(const A& a, const B& b) const {
            return less(a.owner, a.type, rank(a), ranked(a), b.owner, b.type, rank(b), ranked(b));
        }
        static std::uint64_t rank(const RRset& s) { return s.rank_; }
        static std::uint64_t rank(const Probe& p) { return p.rank; }
        static bool ranked(const RRset& s) { return s.ranked_; }
        static bool ranked(const Probe& p) { return p.ranked; }
        static bool less(const Name& an, RRType at, std::uint64_t ar, bool ak, const Name& bn,
                         RRType bt, std::uint64_t br, bool bk) {
            if (ak && bk && ar != br) return ar < br;
            if (auto c = an <=> bn; c != 0) return c < 0;
            return at < bt;
        }
    };

  public:
    // The rrsets in canonical (owner, type) order.
    using RRsets = std::set<RRset, Less>;

    explicit Zone(Name origin) : origin_(std::move(origin)) {}
    // A copy holds its own names and records.
    Zone(const Zone& other);
    Zone& operator=(const Zone& other);
    // A moved-from zone is left empty, remembering nothing of the other's rrsets.
    Zone(Zone&& o);
    Zone& operator=(Zone&& o);

    const Name& origin() const { return origin_; }

    // Strict insertion; returns the refusal, if any (the record is then not added).
    std::optional<Finding> add(const Name& owner, RRType type, std::uint32_t ttl,
                               std::string_view rdata, int line = 0);
    // Loose insertion: keeps the record as read.
    // Returns the owner as the zone keeps it: passing that back for the owner's next records
    // spares comparing names.
    const Name& add_loose(const Name& owner, RRType type, std::uint32_t ttl, std::string_view rdata,
                          int line);
    // Replaces (or with empty rdata, removes) a whole rrset.
    void set(const Name& owner, RRType type, std::uint32_t ttl,
             const std::vector<std::string>& rdata);
    void erase(const Name& owner, RRType type);

    const RRset* find(const Name& owner, RRType type) const;
    const RRsets& rrsets() const { return rrsets_; }
    std::vector<RRType> types_at(const Name& owner) const;
    std::size_t record_count() const { return records_; }
    bool empty() const { return rrsets_.empty(); }

    // Canonical (owner, type) order of two rrsets of zones with the same origin; cheaper than
    // comparing their owners.
    static bool key_less(const RRset& a, const RRset& b) { return Less()(a, b); }

  private:
    Probe probe(const Name& owner, RRType type) const;
    RRsets::iterator slot(const Name& owner, RRType type);  // finds or creates the rrset
    RRsets::iterator find_or_make(const Name& owner, RRType type);
    // The rrset `slot` returned last: records come in runs. Copies and moves start without.
    struct Hint {
        RRsets::iterator it;
        bool set = false;
        Hint() = default;
        Hint(const Hint&) {}
        Hint& operator=(const Hint&) {
            set = false;
            return *this;
        }
    };
    Records& records(RRsets::iterator it);
    // The owner's name as the zone keeps it: the one of the rrset just before or after
    // `near` when it is the same, else a new one.
    const Name& keep(const Name& owner, RRsets::iterator near);

    Name origin_;
    std::deque<Name> names_;  // the owners (a deque: they never move)
    RecordStore store_;
    RRsets rrsets_;
    std::size_t records_ = 0;
    Hint last_;
};

}  // namespace zonegen
