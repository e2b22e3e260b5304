// Records: the records of one rrset, one contiguous block in its zone's record store.
//
// Each record is its rdata (wire form) behind a 10-octet header (rdata length, TTL, source
// line), so a record costs its wire size and ten octets, with no allocation of its own: the
// blocks of every rrset of a zone lie in the zone's RecordStore, a few large buffers. A
// Records is a view of its block (a pointer, its size and its count): reading yields Rr
// views, valid while the zone lives and the rrset is unchanged. Only the zone writes.
#pragma once

#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

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
        const char* position() const { return p_; }

      private:
        std::size_t length() const {
            return static_cast<std::size_t>(static_cast<unsigned char>(p_[0])) << 8 |
                   static_cast<unsigned char>(p_[1]);
        }
        const char* p_ = nullptr;
    };

    iterator begin() const { return iterator(data_); }
    iterator end() const { return iterator(data_ + bytes_); }
    std::size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    Rr front() const { return *begin(); }
    // The i-th record; walks the block (linear in i).
    Rr operator[](std::size_t i) const;
    // Octets of the block (headers and rdata).
    std::size_t bytes() const { return bytes_; }

  private:
    friend class RecordStore;
    const char* data_ = nullptr;
    std::uint32_t bytes_ = 0;
    std::uint32_t count_ = 0;
};

// The buffers a zone's record blocks live in. Appending to the block written last extends it
// in place; any other change writes the rrset's block anew at the end (the old one is left
// unused until the zone goes). Buffers never move, so blocks and views stay where they are.
class RecordStore {
  public:
    RecordStore() = default;
    RecordStore(const RecordStore&) = delete;
    RecordStore& operator=(const RecordStore&) = delete;
    // A moved-from store holds nothing and writes into nothing of the other's.
    RecordStore(RecordStore&& o) noexcept
        : buffers_(std::move(o.buffers_)),
          tail_(std::exchange(o.tail_, nullptr)),
          room_(std::exchange(o.room_, 0)),
          next_size_(o.next_size_) {}
    RecordStore& operator=(RecordStore&& o) noexcept {
        buffers_ = std::move(o.buffers_);
        tail_ = std::exchange(o.tail_, nullptr);
        room_ = std::exchange(o.room_, 0);
        next_size_ = o.next_size_;
        return *this;
    }

    // Adds a record to `r`: at its end, or before `pos` (an iterator of `r`).
    void append(Records& r, std::string_view rdata, std::uint32_t ttl, int line);
    void insert(Records& r, Records::iterator pos, std::string_view rdata, std::uint32_t ttl,
                int line);
    // Replaces every record of `r` with `rdata` (in that order), each with `ttl`, line 0.
    void assign(Records& r, const std::vector<std::string_view>& rdata, std::uint32_t ttl);

  private:
    // Room for `n` octets at the end of the last buffer, a new buffer when it lacks it.
    char* reserve(std::size_t n);
    static void header(char* h, std::string_view rdata, std::uint32_t ttl, int line);

    std::vector<std::unique_ptr<char[]>> buffers_;
    char* tail_ = nullptr;          // the next free octet of the last buffer
    std::size_t room_ = 0;          // octets free after tail_
    std::size_t next_size_ = 4096;  // the next buffer's size: doubling up to 1 MiB
};

}  // namespace zonegen
