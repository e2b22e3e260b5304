#include "zonegen/zone.hpp"

#include <algorithm>

namespace zonegen {

std::vector<std::string> RRset::rdata() const {
    std::vector<std::string> out;
    out.reserve(rrs.size());
    for (const auto& r : rrs) out.push_back(r.rdata);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::optional<Finding> Zone::add(const Name& owner, RRType type, std::uint32_t ttl,
                                 std::string rdata, int line) {
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
    auto& set = rrsets_[RRKey{owner, type}];
    if (set.rrs.empty()) {
        set.owner = owner;
        set.type = type;
    } else {
        if (type == rrtype::SOA) return refuse("soa-multiple", "a second SOA record");
        if (type == rrtype::CNAME && set.rrs.front().rdata != rdata)
            return refuse("cname-multiple", "a second CNAME at " + owner.to_string());
        if (set.ttl() != ttl)
            return refuse("ttl-mixed-refused", "TTL " + std::to_string(ttl) +
                                                   " differs from the rrset's TTL " +
                                                   std::to_string(set.ttl()));
    }
    auto it = std::lower_bound(set.rrs.begin(), set.rrs.end(), rdata,
                               [](const Rr& r, const std::string& s) { return r.rdata < s; });
    if (it != set.rrs.end() && it->rdata == rdata) return std::nullopt;  // identical: one record
    set.rrs.insert(it, Rr{std::move(rdata), ttl, line});
    return std::nullopt;
}

void Zone::add_loose(const Name& owner, RRType type, std::uint32_t ttl, std::string rdata,
                     int line) {
    auto& set = rrsets_[RRKey{owner, type}];
    if (set.rrs.empty()) {
        set.owner = owner;
        set.type = type;
    }
    set.rrs.push_back(Rr{std::move(rdata), ttl, line});
}

void Zone::set(const Name& owner, RRType type, std::uint32_t ttl,
               const std::vector<std::string>& rdata) {
    if (rdata.empty()) {
        erase(owner, type);
        return;
    }
    RRset s{owner, type, {}};
    for (const auto& r : rdata) s.rrs.push_back(Rr{r, ttl, 0});
    std::sort(s.rrs.begin(), s.rrs.end(),
              [](const Rr& a, const Rr& b) { return a.rdata < b.rdata; });
    s.rrs.erase(std::unique(s.rrs.begin(), s.rrs.end(),
                            [](const Rr& a, const Rr& b) { return a.rdata == b.rdata; }),
                s.rrs.end());
    rrsets_[RRKey{owner, type}] = std::move(s);
}

void Zone::erase(const Name& owner, RRType type) {
    rrsets_.erase(RRKey{owner, type});
}

const RRset* Zone::find(const Name& owner, RRType type) const {
    auto it = rrsets_.find(RRKey{owner, type});
    return it == rrsets_.end() ? nullptr : &it->second;
}

std::vector<RRType> Zone::types_at(const Name& owner) const {
    std::vector<RRType> out;
    for (auto it = rrsets_.lower_bound(RRKey{owner, 0});
         it != rrsets_.end() && it->first.owner == owner; ++it)
        out.push_back(it->first.type);
    return out;
}

std::size_t Zone::record_count() const {
    std::size_t n = 0;
    for (const auto& [k, s] : rrsets_) n += s.rrs.size();
    return n;
}

}  // namespace zonegen
