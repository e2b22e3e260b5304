// DKIM keys (RFC 6376, RFC 8463): the mail server's key pair that `zonegen dkim-keygen`
// makes, and the public record `<selector>._domainkey.<domain>` a spec's `dkim:` publishes.
// p= is the base64 of the SubjectPublicKeyInfo DER for RSA (what OpenDKIM and the large
// mailbox providers publish) and of the raw 32-octet key for Ed25519 (RFC 8463 section 4.2).
// The private key only ever lives in a SecretString and in its 0600 file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zonegen/name.hpp"
#include "zonegen/secret.hpp"

namespace zonegen {

enum class DkimKeyType { rsa, ed25519 };

const char* to_string(DkimKeyType t);

// A TXT text that looks like a DKIM key record: v=DKIM1 first, or a p= tag.
bool is_dkim_txt(std::string_view text);

// A DKIM selector's syntax problem (RFC 6376 section 3.1: dot-separated LDH labels), or "".
std::string dkim_selector_problem(const std::string& selector);
// The name a selector's key is published at: <selector>._domainkey.<domain>.
Name dkim_owner(const std::string& selector, const Name& domain);  // "rsa", "ed25519": the k= value

// RSA sizes dkim-keygen makes: 1024 to 4096 bits; under 2048 is refused (RFC 8301 section 3.2:
// signers MUST use at least 1024 bits and SHOULD use 2048, and the large providers count
// 1024 as weak).
constexpr int kDkimMinBits = 2048, kDkimMaxBits = 4096, kDkimDefaultBits = 2048;

struct DkimKeyPair {
    SecretString private_pem;  // PKCS#8 PEM
    std::string record;        // "v=DKIM1; k=rsa; p=..."
    DkimKeyType type = DkimKeyType::rsa;
    int bits = 0;  // the RSA modulus size; 256 for Ed25519
};

// Makes a key pair. Throws InputError for an RSA size outside kDkimMinBits..kDkimMaxBits,
// std::runtime_error when the library fails.
DkimKeyPair generate_dkim_key(DkimKeyType type, int bits);

// The public record of a private key in PEM (PKCS#8, or an RSA key in PKCS#1 as older
// tools write it): nullopt when `pem` holds no RSA or Ed25519 private key, or an encrypted
// one (no passphrase is asked for). Never quotes it.
std::optional<std::string> dkim_record_of(const SecretString& pem);

// What a p= value holds, for the checks (validators/dkim.hpp).
struct DkimPublicKey {
    bool valid = false;
    int bits = 0;     // RSA modulus size; 256 for Ed25519
    std::string why;  // when not valid: what is wrong (never the value)
};

// Reads p= (base64, spaces allowed as RFC 6376 allows folding) as a key of type `k`
// ("rsa": SubjectPublicKeyInfo or PKCS#1 RSAPublicKey DER; "ed25519": 32 raw octets).
DkimPublicKey parse_dkim_public_key(std::string_view k, std::string_view p);

// Strict base64 (RFC 4648, padded), whitespace dropped; nullopt when not base64.
std::optional<std::vector<unsigned char>> decode_base64(std::string_view s);
std::string encode_base64(const unsigned char* data, std::size_t n);

}  // namespace zonegen
