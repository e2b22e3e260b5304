// Secrets in memory (the PowerDNS API key, TSIG secrets): a string that wipes every buffer
// it ever held, and the process settings that keep them out of core dumps and away from
// other processes.
#pragma once

#include <cstddef>
#include <new>
#include <string>
#include <string_view>

namespace zonegen {

// Overwrites `n` bytes at `p` in a way the compiler cannot drop (explicit_bzero).
void wipe_bytes(void* p, std::size_t n) noexcept;
// Wipes a std::string that held a secret (its whole buffer, not only its size).
void wipe_string(std::string& s) noexcept;

// An allocator that wipes what it gives back: a SecretString that grows leaves no copy in
// the buffer it left.
template <class T>
struct WipingAllocator {
    using value_type = T;
    WipingAllocator() = default;
    template <class U>
    WipingAllocator(const WipingAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept {
        wipe_bytes(p, n * sizeof(T));
        ::operator delete(p);
    }
    template <class U>
    bool operator==(const WipingAllocator<U>&) const noexcept {
        return true;
    }
};

// A secret's bytes. Never printed; wiped when destroyed, moved from or cleared. Compared in
// constant time.
class SecretString {
  public:
    SecretString() = default;
    explicit SecretString(std::string_view v) : s_(v.data(), v.size()) {}
    SecretString(const SecretString&) = default;
    SecretString& operator=(const SecretString& o);
    SecretString(SecretString&& o) noexcept;
    SecretString& operator=(SecretString&& o) noexcept;
    ~SecretString() { clear(); }

    std::string_view view() const { return {s_.data(), s_.size()}; }
    const char* c_str() const { return s_.c_str(); }
    std::size_t size() const { return s_.size(); }
    bool empty() const { return s_.empty(); }
    void append(std::string_view v) { s_.append(v.data(), v.size()); }
    // Drops trailing bytes (a newline after the secret).
    void pop_back() { s_.pop_back(); }
    char back() const { return s_.back(); }
    // Wipes the bytes (also those in the object itself, for a short secret) and empties it.
    void clear() noexcept;

    friend bool operator==(const SecretString& a, const SecretString& b) noexcept;

  private:
    std::basic_string<char, std::char_traits<char>, WipingAllocator<char>> s_;
};

// Drops the line end (and trailing spaces) after a one-line secret read from a file.
void trim_line_end(SecretString& s);

// Standard base64 (RFC 4648, padded), as a TSIG secret is written: not empty, no space.
bool is_base64(std::string_view s);

// For the rest of the process: no core dump (RLIMIT_CORE 0, soft and hard) and not
// dumpable (PR_SET_DUMPABLE 0: /proc/PID/mem, environ and ptrace closed to every process
// without CAP_SYS_PTRACE, this user's included). Called first thing by every command: any of
// them may read the API key or a TSIG secret. Throws nothing; a failure is ignored.
void keep_secrets_out_of_dumps() noexcept;

}  // namespace zonegen
