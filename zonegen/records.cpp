#include "zonegen/records.hpp"

#include <algorithm>
#include <stdexcept>

namespace zonegen {

Rr Records::iterator::operator*() const {
    std::uint32_t ttl;
    std::int32_t line;
    std::memcpy(&ttl, p_ + 2, 4);
    std::memcpy(&line, p_ + 6, 4);
    return Rr{std::string_view(p_ + kHeader, length()), ttl, line};
}

Rr Records::operator[](std::size_t i) const {
    auto it = begin();
    for (; i > 0; --i) ++it;
    return *it;
}

void RecordStore::header(char* h, std::string_view rdata, std::uint32_t ttl, int line) {
    h[0] = static_cast<char>(rdata.size() >> 8);
    h[1] = static_cast<char>(rdata.size() & 0xff);
    auto l = static_cast<std::int32_t>(line);
    std::memcpy(h + 2, &ttl, 4);
    std::memcpy(h + 6, &l, 4);
}

char* RecordStore::reserve(std::size_t n) {
    if (n > room_) {
        std::size_t size = std::max(next_size_, n);
        buffers_.push_back(std::make_unique_for_overwrite<char[]>(size));
        tail_ = buffers_.back().get();
        room_ = size;
        next_size_ = std::min<std::size_t>(next_size_ * 2, 1u << 20);
    }
    return tail_;
}

void RecordStore::append(Records& r, std::string_view rdata, std::uint32_t ttl, int line) {
    insert(r, r.end(), rdata, ttl, line);
}

void RecordStore::insert(Records& r, Records::iterator pos, std::string_view rdata,
                         std::uint32_t ttl, int line) {
    if (rdata.size() > 65535) throw std::length_error("rdata longer than 65535 octets");
    std::size_t add = Records::kHeader + rdata.size();
    auto at = static_cast<std::size_t>(pos.position() - r.data_);
    if (r.data_ + r.bytes_ == tail_ && add <= room_ && (r.bytes_ || r.data_)) {
        // The block written last grows in place: what follows the record moves up.
        char* to = const_cast<char*>(r.data_) + at;
        std::memmove(to + add, to, r.bytes_ - at);
        header(to, rdata, ttl, line);
        std::memcpy(to + Records::kHeader, rdata.data(), rdata.size());
        tail_ += add;
        room_ -= add;
    } else {
        std::size_t total = r.bytes_ + add;
        char* to = reserve(total);
        if (at) std::memcpy(to, r.data_, at);
        header(to + at, rdata, ttl, line);
        std::memcpy(to + at + Records::kHeader, rdata.data(), rdata.size());
        if (r.bytes_ > at) std::memcpy(to + at + add, r.data_ + at, r.bytes_ - at);
        r.data_ = to;
        tail_ += total;
        room_ -= total;
    }
    r.bytes_ += static_cast<std::uint32_t>(add);
    ++r.count_;
}

void RecordStore::assign(Records& r, const std::vector<std::string_view>& rdata,
                         std::uint32_t ttl) {
    std::size_t total = 0;
    for (auto d : rdata) {
        if (d.size() > 65535) throw std::length_error("rdata longer than 65535 octets");
        total += Records::kHeader + d.size();
    }
    char* to = reserve(total);
    for (auto d : rdata) {
        header(to, d, ttl, 0);
        std::memcpy(to + Records::kHeader, d.data(), d.size());
        to += Records::kHeader + d.size();
    }
    r.data_ = tail_;
    r.bytes_ = static_cast<std::uint32_t>(total);
    r.count_ = static_cast<std::uint32_t>(rdata.size());
    tail_ += total;
    room_ -= total;
}

}  // namespace zonegen
