// Records: the records of one rrset in one contiguous buffer.
//
// Each record is its rdata (wire form) behind a 10-octet header (rdata length, TTL, source
// line), so a record costs its wire size and ten octets; one A record fits inside the buffer
// object itself, with no allocation. Reading yields Rr views that stay valid while the
// rrset is unchanged.
#pragma once

#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>

namespace zonegen {

// One record of an rrset: a view of its rdata (canonical wire form), its TTL and its line.
struct Rr {
    std::string_view rdata;
    std::uint32_t ttl = 0;
    int line = 0;  // source line, 0 when generated
};

class Records {
  public:
    static constexpr std::size_t kHeader = 10;

    class iterator {
      public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Rr;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = Rr;

        iterator() = default;
        explicit iterator(const char* p) : p_(p) {}
        Rr operator*() const;
        iterator& operator++() {
            p_ += kHeader + length();
            return *this;
        }
        iterator operator++(int) {
            iterator old = *this;
            ++*this;
            return old;
        }
        friend bool operator==(iterator a, iterator b) { return a.p_ == b.p_; }
        // The octet offset of this record in the buffer.
        std::size_t offset_in(const Records& r) const {
            return static_cast<std::size_t>(p_ - r.buf_.data());
        }

      private:
        std::size_t length() const {
            return static_cast<std::size_t>(static_cast<unsigned char>(p_[0])) << 8 |
                   static_cast<unsigned char>(p_[1]);
        }
        const char* p_ = nullptr;
    };

    iterator begin() const { return iterator(buf_.data()); }
    iterator end() const { return iterator(buf_.data() + buf_.size()); }
    std::size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    Rr front() const { return *begin(); }
    // The i-th record; walks the buffer (linear in i).
    Rr operator[](std::size_t i) const;

    void push_back(std::string_view rdata, std::uint32_t ttl, int line);
    // Inserts before `pos` (an iterator of this buffer).
    void insert(iterator pos, std::string_view rdata, std::uint32_t ttl, int line);
    void clear() {
        buf_.clear();
        count_ = 0;
    }
    // Octets held (headers and rdata), for the store's own accounting.
    std::size_t bytes() const { return buf_.size(); }

  private:
    static void header(char* h, std::string_view rdata, std::uint32_t ttl, int line);
    std::string buf_;
    std::uint32_t count_ = 0;
};

}  // namespace zonegen
