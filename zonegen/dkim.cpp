#include "zonegen/dkim.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>
#include <cctype>
#include <memory>
#include <stdexcept>

#include "zonegen/errors.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen {
namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct CtxFree {
    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct BioFree {
    void operator()(BIO* p) const { BIO_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Ctx = std::unique_ptr<EVP_PKEY_CTX, CtxFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

[[noreturn]] void crypto_failed(const std::string& what) {
    ERR_clear_error();
    throw std::runtime_error("OpenSSL: " + what + " failed");
}

Pkey keygen(DkimKeyType type, int bits) {
    Ctx ctx(
        EVP_PKEY_CTX_new_id(type == DkimKeyType::rsa ? EVP_PKEY_RSA : EVP_PKEY_ED25519, nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0) crypto_failed("key generation set-up");
    if (type == DkimKeyType::rsa && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) <= 0)
        crypto_failed("setting the RSA key size");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_keygen(ctx.get(), &raw) <= 0) crypto_failed("key generation");
    return Pkey(raw);
}

// The private key as PKCS#8 PEM, through a memory BIO that wipes what it held.
SecretString private_pem(EVP_PKEY* key) {
    Bio bio(BIO_new(BIO_s_secmem()));
    if (!bio ||
        PEM_write_bio_PKCS8PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        crypto_failed("writing the private key");
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return SecretString(std::string_view(data, static_cast<std::size_t>(n)));
}

std::optional<DkimKeyType> type_of(EVP_PKEY* key) {
    int id = EVP_PKEY_get_base_id(key);
    if (id == EVP_PKEY_RSA) return DkimKeyType::rsa;
    if (id == EVP_PKEY_ED25519) return DkimKeyType::ed25519;
    return std::nullopt;
}

// p=: the SubjectPublicKeyInfo DER for RSA, the raw 32 octets for Ed25519.
std::string public_p(EVP_PKEY* key, DkimKeyType type) {
    std::vector<unsigned char> der;
    if (type == DkimKeyType::rsa) {
        int n = i2d_PUBKEY(key, nullptr);
        if (n <= 0) crypto_failed("encoding the public key");
        der.resize(static_cast<std::size_t>(n));
        unsigned char* p = der.data();
        if (i2d_PUBKEY(key, &p) != n) crypto_failed("encoding the public key");
    } else {
        std::size_t n = 32;
        der.resize(n);
        if (EVP_PKEY_get_raw_public_key(key, der.data(), &n) != 1 || n != 32)
            crypto_failed("reading the Ed25519 public key");
    }
    return encode_base64(der.data(), der.size());
}

std::string record_of(EVP_PKEY* key, DkimKeyType type) {
    return std::string("v=DKIM1; k=") + to_string(type) + "; p=" + public_p(key, type);
}

int value_of(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

struct SeqFree {
    void operator()(ASN1_SEQUENCE_ANY* s) const { sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free); }
};
using Seq = std::unique_ptr<ASN1_SEQUENCE_ANY, SeqFree>;

// The DER SEQUENCE that fills `der` exactly, its elements parsed one level deep. libcrypto's
// ASN.1 templates, not its key decoders: those fetch a provider per key, ~80 us a key, and a
// hosting zone holds tens of thousands of DKIM keys.
Seq sequence(const unsigned char* der, std::size_t len, int count) {
    const unsigned char* p = der;
    Seq s(d2i_ASN1_SEQUENCE_ANY(nullptr, &p, static_cast<long>(len)));
    if (s && (p != der + len || sk_ASN1_TYPE_num(s.get()) != count)) s.reset();
    ERR_clear_error();
    return s;
}

// The size in bits of a positive DER INTEGER; 0 when it is not one.
int positive_bits(const ASN1_TYPE* t) {
    if (ASN1_TYPE_get(t) != V_ASN1_INTEGER) return 0;
    const ASN1_INTEGER* i = t->value.integer;
    if (ASN1_STRING_type(i) != V_ASN1_INTEGER) return 0;  // V_ASN1_NEG_INTEGER
    const unsigned char* d = ASN1_STRING_get0_data(i);
    int n = ASN1_STRING_length(i), k = 0;
    while (k < n && d[k] == 0) ++k;
    if (k == n) return 0;
    int top = 0;
    for (unsigned v = d[k]; v; v >>= 1) ++top;
    return 8 * (n - k - 1) + top;
}

// RSAPublicKey (RFC 8017 A.1.1): SEQUENCE { modulus, publicExponent }: the modulus's bits.
int pkcs1_bits(const unsigned char* der, std::size_t len) {
    Seq s = sequence(der, len, 2);
    if (!s || positive_bits(sk_ASN1_TYPE_value(s.get(), 1)) == 0) return 0;
    return positive_bits(sk_ASN1_TYPE_value(s.get(), 0));
}

// SubjectPublicKeyInfo (RFC 5280 4.1): SEQUENCE { SEQUENCE { rsaEncryption, ... }, BIT
// STRING holding an RSAPublicKey }: the modulus's bits, 0 when it is not an RSA key.
int spki_rsa_bits(const unsigned char* der, std::size_t len) {
    Seq s = sequence(der, len, 2);
    if (!s) return 0;
    const ASN1_TYPE* alg = sk_ASN1_TYPE_value(s.get(), 0);
    const ASN1_TYPE* key = sk_ASN1_TYPE_value(s.get(), 1);
    if (ASN1_TYPE_get(alg) != V_ASN1_SEQUENCE || ASN1_TYPE_get(key) != V_ASN1_BIT_STRING) return 0;
    const ASN1_STRING* a = alg->value.sequence;
    Seq algo =
        sequence(ASN1_STRING_get0_data(a), static_cast<std::size_t>(ASN1_STRING_length(a)), 2);
    if (!algo)
        algo =
            sequence(ASN1_STRING_get0_data(a), static_cast<std::size_t>(ASN1_STRING_length(a)), 1);
    if (!algo) return 0;
    const ASN1_TYPE* oid = sk_ASN1_TYPE_value(algo.get(), 0);
    if (ASN1_TYPE_get(oid) != V_ASN1_OBJECT || OBJ_obj2nid(oid->value.object) != NID_rsaEncryption)
        return 0;
    const ASN1_BIT_STRING* bits = key->value.bit_string;
    if ((bits->flags & ASN1_STRING_FLAG_BITS_LEFT) && (bits->flags & 0x07)) return 0;
    return pkcs1_bits(ASN1_STRING_get0_data(bits),
                      static_cast<std::size_t>(ASN1_STRING_length(bits)));
}

// The RSA key's bits: SubjectPublicKeyInfo, or PKCS#1 RSAPublicKey as some older records hold.
int rsa_public_bits(const std::vector<unsigned char>& der) {
    if (int b = spki_rsa_bits(der.data(), der.size())) return b;
    return pkcs1_bits(der.data(), der.size());
}

}  // namespace

std::string dkim_selector_problem(const std::string& selector) {
    if (selector.empty() || selector.size() > 63 * 2)
        return "a DKIM selector is one or more labels of letters, digits and hyphens";
    std::size_t start = 0;
    while (start <= selector.size()) {
        std::size_t end = selector.find('.', start);
        if (end == std::string::npos) end = selector.size();
        std::string_view label(selector.data() + start, end - start);
        bool ok =
            !label.empty() && label.size() <= 63 && label.front() != '-' && label.back() != '-';
        for (char c : label) ok &= std::isalnum(static_cast<unsigned char>(c)) || c == '-';
        if (!ok)
            return "'" + printable(selector) +
                   "' is not a DKIM selector: labels of letters, digits and hyphens, separated "
                   "by dots (RFC 6376 section 3.1)";
        start = end + 1;
    }
    return "";
}

Name dkim_owner(const std::string& selector, const Name& domain) {
    return Name::parse(selector + "._domainkey", &domain);
}

bool is_dkim_txt(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::string_view t = text.substr(i);
    if (t.starts_with("v=DKIM1") || t.starts_with("v = DKIM1")) return true;
    // A p= tag: at the start or after a ';', spaces allowed around the name.
    for (std::size_t at = 0; at < t.size(); ++at) {
        if (at != 0 && t[at - 1] != ';') continue;
        std::size_t j = at;
        while (j < t.size() && (t[j] == ' ' || t[j] == '\t')) ++j;
        if (j < t.size() && t[j] == 'p') {
            ++j;
            while (j < t.size() && (t[j] == ' ' || t[j] == '\t')) ++j;
            if (j < t.size() && t[j] == '=') return true;
        }
    }
    return false;
}

const char* to_string(DkimKeyType t) {
    return t == DkimKeyType::rsa ? "rsa" : "ed25519";
}

DkimKeyPair generate_dkim_key(DkimKeyType type, int bits) {
    if (type == DkimKeyType::rsa && (bits < kDkimMinBits || bits > kDkimMaxBits))
        throw InputError("--bits " + std::to_string(bits) + ": an RSA DKIM key has " +
                         std::to_string(kDkimMinBits) + " to " + std::to_string(kDkimMaxBits) +
                         " bits (under 2048 is weak: RFC 8301 section 3.2)");
    Pkey key = keygen(type, bits);
    DkimKeyPair out;
    out.private_pem = private_pem(key.get());
    out.record = record_of(key.get(), type);
    out.type = type;
    out.bits = EVP_PKEY_get_bits(key.get());
    return out;
}

std::optional<std::string> dkim_record_of(const SecretString& pem) {
    Bio bio(BIO_new_mem_buf(pem.view().data(), static_cast<int>(pem.size())));
    if (!bio) crypto_failed("reading the private key");
    // No passphrase: an encrypted key is refused, never a prompt on the terminal (OpenSSL's
    // default without a callback).
    auto no_passphrase = [](char*, int, int, void*) { return 0; };
    Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
    ERR_clear_error();
    if (!key) return std::nullopt;
    auto type = type_of(key.get());
    if (!type) return std::nullopt;
    return record_of(key.get(), *type);
}

DkimPublicKey parse_dkim_public_key(std::string_view k, std::string_view p) {
    auto der = decode_base64(p);
    if (!der) return {false, 0, "p= is not valid base64"};
    if (k == "ed25519") {
        if (der->size() != 32)
            return {false, 0,
                    "p= holds " + std::to_string(der->size()) +
                        " octets, and an Ed25519 key is 32 (RFC 8463 section 4.2)"};
        return {true, 256, ""};
    }
    int bits = rsa_public_bits(*der);
    if (bits == 0) return {false, 0, "p= is not an RSA public key (SubjectPublicKeyInfo DER)"};
    return {true, bits, ""};
}

std::optional<std::vector<unsigned char>> decode_base64(std::string_view s) {
    static const auto kValue = [] {
        std::array<signed char, 256> t;
        t.fill(-1);
        for (int c = 0; c < 256; ++c)
            t[static_cast<std::size_t>(c)] =
                static_cast<signed char>(value_of(static_cast<char>(c)));
        return t;
    }();
    std::vector<unsigned char> out;
    out.reserve(s.size() / 4 * 3 + 3);
    unsigned acc = 0;
    int nbits = 0, digits = 0, pad = 0;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c == '=') {
            ++pad;
            continue;
        }
        int v = kValue[static_cast<unsigned char>(c)];
        if (v < 0 || pad) return std::nullopt;  // a letter after '=' is not base64
        acc = (acc << 6) | static_cast<unsigned>(v);
        nbits += 6;
        ++digits;
        if (nbits >= 8) {
            nbits -= 8;
            out.push_back(static_cast<unsigned char>((acc >> nbits) & 0xff));
        }
    }
    // Whole quanta only: 4 characters make 3 octets, the last padded with '='.
    if (pad > 2 || (digits + pad) % 4 != 0 || (digits % 4 == 1)) return std::nullopt;
    if (pad && (digits % 4) + pad != 4) return std::nullopt;
    if (nbits && (acc & ((1u << nbits) - 1))) return std::nullopt;  // non-zero spare bits
    return out;
}

std::string encode_base64(const unsigned char* data, std::size_t n) {
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((n + 2) / 3 * 4);
    for (std::size_t i = 0; i < n; i += 3) {
        unsigned v = static_cast<unsigned>(data[i]) << 16;
        if (i + 1 < n) v |= static_cast<unsigned>(data[i + 1]) << 8;
        if (i + 2 < n) v |= data[i + 2];
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=';
        out += i + 2 < n ? kAlphabet[v & 63] : '=';
    }
    return out;
}

}  // namespace zonegen
