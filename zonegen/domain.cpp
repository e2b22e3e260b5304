#include "zonegen/domain.hpp"

#include <idn2.h>
#include <libpsl.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace zonegen {
namespace {

struct FreeDeleter {
    void operator()(char* p) const { std::free(p); }
};

bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

const psl_ctx_t* psl() {
    // psl_latest picks the newer of the built-in list and the system's publicsuffix package.
    static const psl_ctx_t* ctx = psl_latest(nullptr);
    return ctx ? ctx : psl_builtin();
}

}  // namespace

Name to_a_labels(std::string_view text, bool allow_service_labels) {
    std::string s(text);
    if (s.empty()) throw DomainError("empty name");
    std::string ascii;
    if (is_ascii(s)) {
        ascii = s;
    } else {
        char* out = nullptr;
        int rc = idn2_to_ascii_8z(s.c_str(), &out, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
        std::unique_ptr<char, FreeDeleter> guard(out);
        if (rc != IDN2_OK)
            throw DomainError("'" + s +
                              "' is not a valid internationalised name: " + idn2_strerror(rc));
        ascii = out;
    }
    Name n;
    try {
        n = Name::parse_fqdn(ascii);
    } catch (const NameError& e) {
        throw DomainError(e.what());
    }
    if (n.is_root()) throw DomainError("the root is not a domain");
    {
        // RFC 3696 section 2: a TLD is never all-numeric, so "192.0.2.1" is an address.
        const std::string tld = n.labels().back();
        if (std::all_of(tld.begin(), tld.end(), [](char c) { return c >= '0' && c <= '9'; }))
            throw DomainError("'" + std::string(text) +
                              "' looks like an IP address, not a host name");
    }
    if (!is_hostname(n, allow_service_labels))
        throw DomainError("'" + std::string(text) +
                          "' is not a host name: labels are letters, digits and inner hyphens");
    // An A-label must decode (xn--zz is not valid punycode).
    for (const auto& l : n.labels()) {
        if (l.size() > 4 && l.compare(0, 4, "xn--") == 0) {
            char* out = nullptr;
            int rc = idn2_to_unicode_8z8z(l.c_str(), &out, 0);
            std::unique_ptr<char, FreeDeleter> guard(out);
            if (rc != IDN2_OK)
                throw DomainError("'" + l + "' is not a valid A-label: " + idn2_strerror(rc));
        }
    }
    return n;
}

std::string to_unicode(const Name& n) {
    std::string s = n.to_string();
    if (s.size() > 1) s.pop_back();
    char* out = nullptr;
    int rc = idn2_to_unicode_8z8z(s.c_str(), &out, 0);
    std::unique_ptr<char, FreeDeleter> guard(out);
    if (rc != IDN2_OK) return "";
    return out;
}

bool is_japanese_label_jp(const Name& n) {
    auto labels = n.labels();
    if (labels.size() < 2 || labels.back() != "jp") return false;
    const auto& second = labels[labels.size() - 2];
    return second.size() > 4 && second.compare(0, 4, "xn--") == 0;
}

DomainCheck check_registrable(const Name& n) {
    std::string s = n.to_string();
    s.pop_back();
    if (is_japanese_label_jp(n))
        throw DomainError("'" + to_unicode(n) + "' (" + s +
                          ") is a Japanese-label .jp domain, which the managed server cannot use; "
                          "use an ASCII domain (such as example.jp) instead");
    const psl_ctx_t* ctx = psl();
    // Only the ICANN section counts: a registrar registers below an ICANN suffix.
    if (psl_is_public_suffix2(ctx, s.c_str(), PSL_TYPE_ICANN))
        throw DomainError("'" + s +
                          "' is a public suffix, not a registrable domain; give the customer's own "
                          "domain (such as example." +
                          s + ")");
    // Find the longest ICANN public suffix of s; the registrable domain is one label more.
    auto labels = n.labels();
    std::size_t suffix_labels = 1;
    bool known = false;
    for (std::size_t k = 1; k < labels.size(); ++k) {
        std::string suffix;
        for (std::size_t i = k; i < labels.size(); ++i) suffix += (i > k ? "." : "") + labels[i];
        if (psl_is_public_suffix2(ctx, suffix.c_str(), PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE)) {
            suffix_labels = labels.size() - k;
            known = true;
            break;
        }
    }
    if (!known) {
        // The TLD is not in the list (new, or not a TLD at all): take the implicit "*" rule.
        if (labels.size() != 2)
            throw DomainError("'" + s + "' is not a registrable domain; did you mean '" +
                              labels[labels.size() - 2] + "." + labels.back() + "'?");
        return DomainCheck{n, false};
    }
    if (labels.size() != suffix_labels + 1) {
        std::string reg;
        for (std::size_t i = labels.size() - suffix_labels - 1; i < labels.size(); ++i)
            reg += (reg.empty() ? "" : ".") + labels[i];
        throw DomainError("'" + s + "' is not a registrable domain but a name below '" + reg +
                          "'; give the registered domain itself");
    }
    return DomainCheck{n, true};
}

}  // namespace zonegen
