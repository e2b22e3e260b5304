#include "zonegen/secret.hpp"

#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cctype>
#include <utility>

namespace zonegen {

void wipe_bytes(void* p, std::size_t n) noexcept {
    if (p && n) ::explicit_bzero(p, n);
}

void wipe_string(std::string& s) noexcept {
    s.resize(s.capacity());
    wipe_bytes(s.data(), s.size());
    s.clear();
}

SecretString& SecretString::operator=(const SecretString& o) {
    if (this != &o) {
        clear();
        s_.assign(o.s_.data(), o.s_.size());
    }
    return *this;
}

// Moves take the buffer (the allocator is stateless: nothing is allocated or copied, but a
// short secret's bytes, which clear() then wipes in the source object).
SecretString::SecretString(SecretString&& o) noexcept : s_(std::move(o.s_)) {
    o.clear();
}

SecretString& SecretString::operator=(SecretString&& o) noexcept {
    if (this != &o) {
        clear();
        s_ = std::move(o.s_);
        o.clear();
    }
    return *this;
}

void SecretString::clear() noexcept {
    // The whole buffer: a short secret lives in the object itself (no deallocation to wipe).
    s_.resize(s_.capacity());
    wipe_bytes(s_.data(), s_.size());
    s_.clear();
}

bool operator==(const SecretString& a, const SecretString& b) noexcept {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.s_[i] ^ b.s_[i]);
    return diff == 0;
}

void trim_line_end(SecretString& s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
}

bool is_base64(std::string_view s) {
    if (s.empty() || s.size() % 4) return false;
    std::size_t pad = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '=') {
            ++pad;
            continue;
        }
        if (pad || !(std::isalnum(c) || c == '+' || c == '/')) return false;
    }
    return pad <= 2 && pad < s.size();
}

void keep_secrets_out_of_dumps() noexcept {
    struct rlimit none {};
    ::setrlimit(RLIMIT_CORE, &none);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

}  // namespace zonegen
