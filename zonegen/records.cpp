#include "zonegen/records.hpp"

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

void Records::header(char* h, std::string_view rdata, std::uint32_t ttl, int line) {
    if (rdata.size() > 65535) throw std::length_error("rdata longer than 65535 octets");
    h[0] = static_cast<char>(rdata.size() >> 8);
    h[1] = static_cast<char>(rdata.size() & 0xff);
    auto l = static_cast<std::int32_t>(line);
    std::memcpy(h + 2, &ttl, 4);
    std::memcpy(h + 6, &l, 4);
}

void Records::push_back(std::string_view rdata, std::uint32_t ttl, int line) {
    char h[kHeader];
    header(h, rdata, ttl, line);
    buf_.append(h, kHeader);
    buf_ += rdata;
    ++count_;
}

void Records::insert(iterator pos, std::string_view rdata, std::uint32_t ttl, int line) {
    std::string rec(kHeader, '\0');
    header(rec.data(), rdata, ttl, line);
    rec += rdata;
    buf_.insert(pos.offset_in(*this), rec);
    ++count_;
}

}  // namespace zonegen
