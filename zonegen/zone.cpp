#include "zonegen/zone.hpp"

#include <algorithm>
#include <utility>

namespace zonegen {
namespace {

// The order key prefix of `n` relative to `origin` (see RRset::rank_): the labels below the
// origin, rightmost first, each followed by a zero octet, the first eight octets big-endian,
// zero-padded. A zero octet sorts below every label octet, so a shorter label sorts first, as
// RFC 4034 section 6.1 wants; a zero octet inside a label would be ambiguous and unranks.
std::pair<std::uint64_t, bool> rank_of(const Name& n, const Name& origin) {
    const std::string& w = n.wire();
    const std::string& o = origin.wire();
    if (w.size() < o.size()) return {0, false};
    std::size_t rel = w.size() - o.size();
    if (w.compare(rel, std::string::npos, o) != 0) return {0, false};
    std::uint8_t offs[128];
    int k = 0;
    std::size_t i = 0;
    while (i < rel) {
        offs[k++] = static_cast<std::uint8_t>(i);
        i += 1 + static_cast<unsigned char>(w[i]);
    }
    if (i != rel) return {0, false};  // the origin's octets, but not on a label boundary
    std::uint64_t v = 0;
    int filled = 0;
    for (int j = k - 1; j >= 0 && filled < 8; --j) {
        std::size_t at = offs[j], len = static_cast<unsigned char>(w[at]);
        for (std::size_t b = 0; b < len && filled < 8; ++b, ++filled) {
            auto c = static_cast<unsigned char>(w[at + 1 + b]);
            if (c == 0) return {0, false};
            v = (v << 8) | c;
        }
        if (filled < 8) {
            v <<= 8;  // the label's end
            ++filled;
        }
    }
    if (filled > 0 && filled < 8) v <<= 8 * (8 - filled);  // the apex (nothing below) is 0
    return {v, true};
}

}  // namespace

std::vector<std::string> RRset::rdata() const {
    std::vector<std::string> out;
    out.reserve(rrs.size());
    for (const Rr& r : rrs) out.emplace_back(r.rdata);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

Zone::Probe Zone::probe(const Name& owner, RRType type) const {
    auto [rank, ranked] = rank_of(owner, origin_);
    return Probe{owner, type, rank, ranked};
}

Zone::RRsets::iterator Zone::slot(const Name& owner, RRType type) {
    if (last_.set && last_.it->type == type && last_.it->owner == owner) return last_.it;
    last_.it = find_or_make(owner, type);
    last_.set = true;
    return last_.it;
}

Zone::RRsets::iterator Zone::find_or_make(const Name& owner, RRType type) {
    Probe p = probe(owner, type);
    auto make = [&](RRsets::iterator near) {
        RRset s(keep(owner, near), type);
        s.rank_ = p.rank;
        s.ranked_ = p.ranked;
        return s;
    };
    // Records come in runs of a name and its neighbours (another type of the owner just
    // written, a customer's names together): try beside the rrset written last.
    if (last_.set) {
        auto at = last_.it;
        if (Less()(*at, p)) {
            auto next = std::next(at);
            if (next == rrsets_.end() || Less()(p, *next))
                return rrsets_.emplace_hint(next, make(at));
        } else if (Less()(p, *at)) {
            if (at == rrsets_.begin() || Less()(*std::prev(at), p))
                return rrsets_.emplace_hint(at, make(at));
        } else {
            return at;
        }
    }
    // Records come in runs and often in order: try the last rrset first.
    if (!rrsets_.empty()) {
        auto last = std::prev(rrsets_.end());
        if (!Less()(*last, p)) {
            if (!Less()(p, *last)) return last;
        } else {
            return rrsets_.emplace_hint(rrsets_.end(), make(rrsets_.end()));
        }
    }
    auto it = rrsets_.lower_bound(p);
    if (it != rrsets_.end() && !Less()(p, *it)) return it;
    return rrsets_.emplace_hint(it, make(it));
}

const Name& Zone::keep(const Name& owner, RRsets::iterator near) {
    if (near != rrsets_.end() && near->owner == owner) return near->owner;
    if (near != rrsets_.begin() && std::prev(near)->owner == owner) return std::prev(near)->owner;
    if (!names_.empty() && names_.back() == owner) return names_.back();
    return names_.emplace_back(owner);
}

Zone::Zone(const Zone& other) : origin_(other.origin_) {
    for (const RRset& s : other.rrsets_) {
        auto it = slot(s.owner, s.type);
        Records& r = records(it);
        for (const Rr& rr : s.rrs) store_.append(r, rr.rdata, rr.ttl, rr.line);
    }
    records_ = other.records_;
}

Zone::Zone(Zone&& o)
    : origin_(o.origin_),
      names_(std::move(o.names_)),
      store_(std::move(o.store_)),
      rrsets_(std::move(o.rrsets_)),
      records_(std::exchange(o.records_, 0)) {
    o.rrsets_.clear();
    o.last_.set = false;
}

Zone& Zone::operator=(Zone&& o) {
    if (this == &o) return *this;
    rrsets_ = std::move(o.rrsets_);  // before the names and records its rrsets refer to go
    names_ = std::move(o.names_);
    store_ = std::move(o.store_);
    origin_ = o.origin_;
    records_ = std::exchange(o.records_, 0);
    o.rrsets_.clear();
    o.last_.set = false;
    last_.set = false;
    return *this;
}

Zone& Zone::operator=(const Zone& other) {
    if (this != &other) *this = Zone(other);
    return *this;
}

// The set orders by (owner, type) only, so an rrset's records may change in place.
Records& Zone::records(RRsets::iterator it) {
    return const_cast<RRset&>(*it).rrs;
}

std::optional<Finding> Zone::add(const Name& owner, RRType type, std::uint32_t ttl,
                                 std::string_view rdata, int line) {
    auto refuse = [&](const char* check, std::string msg) {
        return Finding{check, Severity::error, owner.to_string(), type, std::move(msg), line, {}};
    };
    if (!owner.is_subdomain_of(origin_))
        return refuse("owner-outside-zone",
                      owner.to_string() + " is outside the zone " + origin_.to_string());
    if (type == rrtype::SOA && owner != origin_)
        return refuse("soa-not-at-apex", "SOA record not at the zone apex");
    auto types = types_at(owner);
    for (RRType t : types) {
        if (t == type) continue;
        if (type == rrtype::CNAME || t == rrtype::CNAME) {
            std::string other = type == rrtype::CNAME ? type_name(t) : type_name(type);
            // RRSIG and NSEC may stand beside a CNAME (RFC 4035 section 2.5).
            bool dnssec = (t == rrtype::RRSIG || t == rrtype::NSEC || type == rrtype::RRSIG ||
                           type == rrtype::NSEC);
            if (!dnssec)
                return refuse("cname-and-other-data",
                              "CNAME beside other data (" + other + ") at " + owner.to_string());
        }
    }
    if (const RRset* set = find(owner, type)) {
        if (type == rrtype::SOA) return refuse("soa-multiple", "a second SOA record");
        if (type == rrtype::CNAME && set->rrs.front().rdata != rdata)
            return refuse("cname-multiple", "a second CNAME at " + owner.to_string());
        if (set->ttl() != ttl)
            return refuse("ttl-mixed-refused", "TTL " + std::to_string(ttl) +
                                                   " differs from the rrset's TTL " +
                                                   std::to_string(set->ttl()));
    }
    auto& rrs = records(slot(owner, type));
    auto it = rrs.begin();
    while (it != rrs.end() && (*it).rdata < rdata) ++it;
    if (it != rrs.end() && (*it).rdata == rdata) return std::nullopt;  // identical: one record
    store_.insert(rrs, it, rdata, ttl, line);
    ++records_;
    return std::nullopt;
}

const Name& Zone::add_loose(const Name& owner, RRType type, std::uint32_t ttl,
                            std::string_view rdata, int line) {
    auto it = slot(owner, type);
    store_.append(records(it), rdata, ttl, line);
    ++records_;
    return it->owner;
}

void Zone::set(const Name& owner, RRType type, std::uint32_t ttl,
               const std::vector<std::string>& rdata) {
    if (rdata.empty()) {
        erase(owner, type);
        return;
    }
    std::vector<std::string_view> sorted(rdata.begin(), rdata.end());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    auto& now = records(slot(owner, type));
    records_ = records_ - now.size() + sorted.size();
    store_.assign(now, sorted, ttl);
}

void Zone::erase(const Name& owner, RRType type) {
    auto it = rrsets_.find(probe(owner, type));
    if (it == rrsets_.end()) return;
    records_ -= it->rrs.size();
    if (last_.set && last_.it == it) last_.set = false;
    rrsets_.erase(it);
}

const RRset* Zone::find(const Name& owner, RRType type) const {
    auto it = rrsets_.find(probe(owner, type));
    return it == rrsets_.end() ? nullptr : &*it;
}

std::vector<RRType> Zone::types_at(const Name& owner) const {
    std::vector<RRType> out;
    for (auto it = rrsets_.lower_bound(probe(owner, 0)); it != rrsets_.end() && it->owner == owner;
         ++it)
        out.push_back(it->type);
    return out;
}

}  // namespace zonegen
