// DKIM (zonegen/dkim.hpp, validators/dkim.hpp, the spec's dkim: key): key generation, the
// public record of a key file, the key file written 0600 and never over another, the checks
// of a published record, and the record in the generated zone.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "validators/checks.hpp"
#include "validators/dkim.hpp"
#include "zonegen/atomic_file.hpp"
#include "zonegen/dkim.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/rdata.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/spec_paths.hpp"

using namespace zonegen;

namespace {

const std::string kRsa1024 =
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDWAmOmyncws1jvQdXDk9xxpeCO2F/daFou6ekfS5kgUqBExBKE1A4/"
    "OldI3Bt0muX01p/"
    "sWkEiuJqhsg82AR92LpCYIzsB5Z5ccd7dnAg3HSCCTSVm7iLzcfDITjEwFwqa2re9zG8mSwTjI5wnMGpCVcmCVCjd2lGEG"
    "J5yUQhNNwIDAQAB";
const char* kEncrypted =
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
    "MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAg9PME/DT7xngICCAAw\n"
    "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEJ4BQI3FVXW1Lz4DU4vfnTQEQEq1\n"
    "wI2dfz7MooTFFcMQQ3tSqvMowCrhDZI7R9cGD7ol3fjTV2zczY2QhF2aqUTyBPdQ\n"
    "5nBsVFK/9imfUiiVYBM=\n"
    "-----END ENCRYPTED PRIVATE KEY-----\n";  // passphrase "test"
const std::string kRsa512 =
    "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAJ3U6R0vjVhty8VAyz7YfESXpPMOuD4hIeglRNAVnqYE2rZ27HZtmnBMbqBgyR"
    "KELk8hkcXYiuV7D0Iu4UN3aLECAwEAAQ==";

std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string temp_dir() {
    char tmpl[] = "/tmp/zonegen-dkim-test-XXXXXX";
    return mkdtemp(tmpl);
}

// The test key of tests/dkim copied into DIR with mode 0600 (git keeps no modes).
void copy_key(const std::string& name, const std::string& dir) {
    std::string text = slurp(std::string(ZONEGEN_SOURCE_DIR) + "/tests/dkim/" + name);
    ASSERT_FALSE(text.empty()) << name;
    write_new_secret_file(dir + "/" + name, SecretString(text));
}

std::vector<std::string> ids(const std::string& record) {
    std::vector<std::string> out;
    for (const auto& [id, msg] : dkim_problems(record)) out.push_back(id);
    return out;
}

std::string p_of(const std::string& record) {
    return record.substr(record.find("p=") + 2);
}

const char* kSpecBase =
    "dns_pattern: A\nregistrar: transfer\n"
    "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\n";

}  // namespace

TEST(DkimKeygen, RsaRecordIsTheSubjectPublicKeyInfoOfThePrivateKey) {
    DkimKeyPair k = generate_dkim_key(DkimKeyType::rsa, 2048);
    EXPECT_EQ(k.bits, 2048);
    EXPECT_EQ(k.private_pem.view().substr(0, 27), "-----BEGIN PRIVATE KEY-----");  // PKCS#8
    ASSERT_EQ(k.record.rfind("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A", 0), 0u);
    EXPECT_EQ(dkim_record_of(k.private_pem), k.record);
    DkimPublicKey pub = parse_dkim_public_key("rsa", p_of(k.record));
    EXPECT_TRUE(pub.valid) << pub.why;
    EXPECT_EQ(pub.bits, 2048);
    EXPECT_TRUE(dkim_problems(k.record).empty());
}

TEST(DkimKeygen, Ed25519RecordIsTheRaw32Octets) {
    DkimKeyPair k = generate_dkim_key(DkimKeyType::ed25519, kDkimDefaultBits);
    ASSERT_EQ(k.record.rfind("v=DKIM1; k=ed25519; p=", 0), 0u);
    auto raw = decode_base64(p_of(k.record));
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->size(), 32u);
    EXPECT_EQ(dkim_record_of(k.private_pem), k.record);
    EXPECT_TRUE(dkim_problems(k.record).empty());
}

TEST(DkimKeygen, RefusesRsaSizesOutside2048To4096) {
    EXPECT_THROW(generate_dkim_key(DkimKeyType::rsa, 1024), InputError);
    EXPECT_THROW(generate_dkim_key(DkimKeyType::rsa, 8192), InputError);
}

TEST(DkimKeygen, TheCommittedTestKeysGiveTheRecordsOpensslDerives) {
    // p= of the RSA key as "openssl pkey -pubout -outform DER | base64" prints it.
    SecretString rsa(slurp(std::string(ZONEGEN_SOURCE_DIR) + "/tests/dkim/test-only-rsa2048.pem"));
    auto rec = dkim_record_of(rsa);
    ASSERT_TRUE(rec);
    EXPECT_EQ(
        *rec,
        "v=DKIM1; k=rsa; "
        "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu5AC/0kcpVoqItPe5a3WFS2k/WtgJTiZJJsyboBr35/"
        "baf7hxCwF1boKlimpDPRfloHjdi/"
        "mSsgPFQmbpK39y8c3oBlgSxbwg3Oo5TsJQH2I712pUKV1EHOJ84iswh+7XG4Gx0RUMkQCAh3XDSdCpDBKWm/"
        "CsejeBBkthR8oTGk+WFrvgGW7onBVuorEW9ULuLs06sK3Dp2B26OC8Z/"
        "WtmE3h2o6gepQxmdz6LvuE8Wwc1tE1Tw39v4p0bRZBBiVv7hrHC3/"
        "6QQo42le4TUiEPEgWymRHfDlpudtLdpDtbiR57olhVBzl1ZB9MT2i4cKXtqGwQohSuiMFS1rl2u0pwIDAQAB");
    SecretString ed(slurp(std::string(ZONEGEN_SOURCE_DIR) + "/tests/dkim/test-only-ed25519.pem"));
    auto erec = dkim_record_of(ed);
    ASSERT_TRUE(erec);
    EXPECT_EQ(erec->rfind("v=DKIM1; k=ed25519; p=", 0), 0u);
    EXPECT_FALSE(dkim_record_of(SecretString("not a key")));
    // An encrypted key: refused without asking for a passphrase.
    EXPECT_FALSE(dkim_record_of(SecretString(kEncrypted)));
    EXPECT_FALSE(dkim_record_of(
        SecretString("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")));
}

TEST(DkimKeyFile, WrittenWithMode0600AndNeverOverAnother) {
    std::string dir = temp_dir(), f = dir + "/dkim.pem";
    ::umask(022);
    write_new_secret_file(f, SecretString("first"));
    struct stat st {};
    ASSERT_EQ(stat(f.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_THROW(write_new_secret_file(f, SecretString("second")), InputError);
    EXPECT_EQ(slurp(f), "first");
    EXPECT_THROW(write_new_secret_file("-", SecretString("x")), InputError);
    ASSERT_EQ(::symlink("dkim.pem", (dir + "/link.pem").c_str()), 0);
    EXPECT_THROW(write_new_secret_file(dir + "/link.pem", SecretString("x")), InputError);
}

TEST(DkimBase64, StrictPaddedWithSpacesAllowed) {
    EXPECT_EQ(decode_base64("TWFu")->size(), 3u);
    EXPECT_EQ(decode_base64("TW E=")->size(), 2u);  // RFC 6376 allows folding whitespace
    EXPECT_EQ(decode_base64("TQ==")->size(), 1u);
    EXPECT_FALSE(decode_base64("TWE"));   // unpadded: a cut key
    EXPECT_FALSE(decode_base64("TQ=A"));  // data after padding
    EXPECT_FALSE(decode_base64("T!Fu"));  // not the alphabet
    EXPECT_FALSE(decode_base64("TR=="));  // spare bits set
    const unsigned char b[] = {1, 2, 3, 4, 5};
    EXPECT_EQ(encode_base64(b, 5), "AQIDBAU=");
    EXPECT_EQ(*decode_base64(encode_base64(b, 5)), std::vector<unsigned char>(b, b + 5));
}

TEST(DkimCheck, AKeyCutTo203CharactersIsInvalid) {
    std::string key =
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu5AC/0kcpVoqItPe5a3WFS2k/WtgJTiZJJsyboBr35/"
        "baf7hxCwF1boKlimpDPRfloHjdi/"
        "mSsgPFQmbpK39y8c3oBlgSxbwg3Oo5TsJQH2I712pUKV1EHOJ84iswh+7XG4Gx0RUMkQCAh3XDSdCpDBKWm/"
        "CsejeBBkthR8oTGk+WFrvgGW7onBVuorEW9ULuLs06sK3Dp2B26OC8Z/"
        "WtmE3h2o6gepQxmdz6LvuE8Wwc1tE1Tw39v4p0bRZBBiVv7hrHC3/"
        "6QQo42le4TUiEPEgWymRHfDlpudtLdpDtbiR57olhVBzl1ZB9MT2i4cKXtqGwQohSuiMFS1rl2u0pwIDAQAB";
    EXPECT_EQ(ids("v=DKIM1; k=rsa; p=" + key.substr(0, 203)),
              std::vector<std::string>{"dkim-key-invalid"});
    // Whole base64 quanta but cut DER: still no key.
    EXPECT_EQ(ids("v=DKIM1; k=rsa; p=" + key.substr(0, 300)),
              std::vector<std::string>{"dkim-key-invalid"});
    EXPECT_EQ(ids("v=DKIM1; k=ed25519; p=" + key.substr(0, 40)),
              std::vector<std::string>{"dkim-key-invalid"});
    EXPECT_EQ(ids("v=DKIM1; k=rsa"), std::vector<std::string>{"dkim-key-invalid"});  // no p=
}

TEST(DkimCheck, RsaUnder1024IsAnErrorUnder2048AWarning) {
    EXPECT_EQ(ids("v=DKIM1; k=rsa; p=" + kRsa512), std::vector<std::string>{"dkim-key-weak"});
    EXPECT_EQ(ids("v=DKIM1; k=rsa; p=" + kRsa1024), std::vector<std::string>{"dkim-key-short"});
    EXPECT_EQ(check_info("dkim-key-weak").severity, Severity::error);
    EXPECT_EQ(check_info("dkim-key-short").severity, Severity::warning);
    EXPECT_EQ(check_info("dkim-key-invalid").severity, Severity::error);
    EXPECT_EQ(check_info("dkim-syntax").severity, Severity::warning);
}

TEST(DkimCheck, RevokedKeyAndDefaultsAreFine) {
    EXPECT_TRUE(ids("v=DKIM1; p=").empty());
    EXPECT_TRUE(ids("v=DKIM1; k=rsa; t=s; h=sha256; p=" + kRsa1024.substr(0, 0)).empty());
    EXPECT_TRUE(
        ids("p=" + std::string("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu5AC/"
                               "0kcpVoqItPe5a3WFS2k/WtgJTiZJJsyboBr35/baf7hxCwF1boKlimpDPRfloHjdi/"
                               "mSsgPFQmbpK39y8c3oBlgSxbwg3Oo5TsJQH2I712pUKV1EHOJ84iswh+"
                               "7XG4Gx0RUMkQCAh3XDSdCpDBKWm/"
                               "CsejeBBkthR8oTGk+WFrvgGW7onBVuorEW9ULuLs06sK3Dp2B26OC8Z/"
                               "WtmE3h2o6gepQxmdz6LvuE8Wwc1tE1Tw39v4p0bRZBBiVv7hrHC3/"
                               "6QQo42le4TUiEPEgWymRHfDlpudtLdpDtbiR57olhVBzl1ZB9MT2i4cKXtqGwQohSui"
                               "MFS1rl2u0pwIDAQAB"))
            .empty());  // k= defaults to rsa
}

TEST(DkimCheck, SyntaxTagsVFirstAndKeyType) {
    std::string p =
        "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu5AC/0kcpVoqItPe5a3WFS2k/WtgJTiZJJsyboBr35/"
        "baf7hxCwF1boKlimpDPRfloHjdi/"
        "mSsgPFQmbpK39y8c3oBlgSxbwg3Oo5TsJQH2I712pUKV1EHOJ84iswh+7XG4Gx0RUMkQCAh3XDSdCpDBKWm/"
        "CsejeBBkthR8oTGk+WFrvgGW7onBVuorEW9ULuLs06sK3Dp2B26OC8Z/"
        "WtmE3h2o6gepQxmdz6LvuE8Wwc1tE1Tw39v4p0bRZBBiVv7hrHC3/"
        "6QQo42le4TUiEPEgWymRHfDlpudtLdpDtbiR57olhVBzl1ZB9MT2i4cKXtqGwQohSuiMFS1rl2u0pwIDAQAB";
    EXPECT_EQ(ids("k=rsa; v=DKIM1; " + p), std::vector<std::string>{"dkim-syntax"});
    EXPECT_EQ(ids("v=DKIM2; " + p), std::vector<std::string>{"dkim-syntax"});
    EXPECT_EQ(ids("v=DKIM1; k=dsa; p=AAAA"), std::vector<std::string>{"dkim-syntax"});
    EXPECT_EQ(ids("v=DKIM1; h=md5; " + p), std::vector<std::string>{"dkim-syntax"});
    EXPECT_EQ(ids("v=DKIM1; junk; " + p), std::vector<std::string>{"dkim-syntax"});
    EXPECT_EQ(ids("v=DKIM1; " + p + "; p="), std::vector<std::string>{"dkim-syntax"});
}

TEST(DkimCheck, OnlyTxtBelowDomainkeyThatLooksLikeDkim) {
    EXPECT_TRUE(is_dkim_txt("v=DKIM1; p="));
    EXPECT_TRUE(is_dkim_txt("k=rsa; p=abc"));
    EXPECT_FALSE(is_dkim_txt("v=spf1 -all"));
    EXPECT_FALSE(is_dkim_txt("google-site-verification=p=x"));
    Name apex = Name::parse("example.com.");
    Zone z(apex);
    z.add(Name::parse("sel._domainkey.example.com."), rrtype::TXT, 3600,
          txt_wire("v=DKIM1; k=rsa; p=" + kRsa512));
    z.add(Name::parse("other.example.com."), rrtype::TXT, 3600,
          txt_wire("v=DKIM1; k=rsa; p=" + kRsa512));
    std::vector<const RRset*> txt;
    for (const auto& s : z.rrsets())
        if (s.type == rrtype::TXT) txt.push_back(&s);
    std::vector<Finding> out;
    check_dkim(txt, ValidateOptions{}, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].check, "dkim-key-weak");
    EXPECT_EQ(out[0].owner, "sel._domainkey.example.com.");
}

TEST(DkimSpec, OneKeyOrAListAndRetiredSelectors) {
    Spec one = parse_spec(std::string("domain: example.com\n") + kSpecBase +
                              "dkim: {selector: Mail2026, key_file: k.pem}\n",
                          "t.yaml");
    ASSERT_EQ(one.dkim.size(), 1u);
    EXPECT_EQ(one.dkim[0].selector, "mail2026");
    EXPECT_EQ(one.dkim[0].key_file, "k.pem");
    Spec two = parse_spec(std::string("domain: example.com\n") + kSpecBase +
                              "dkim:\n  - {selector: new, key_file: n.pem}\n"
                              "  - {key_file: o.pem}\ndkim_retired: [old]\n",
                          "t.yaml");
    ASSERT_EQ(two.dkim.size(), 2u);
    EXPECT_EQ(two.dkim[1].selector, "");  // the profile's, when read
    EXPECT_EQ(two.dkim_retired, std::vector<std::string>{"old"});
    auto refused = [](const std::string& extra, const std::string& want) {
        try {
            parse_spec(std::string("domain: example.com\n") + kSpecBase + extra, "t.yaml");
            ADD_FAILURE() << "accepted: " << extra;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
        }
    };
    refused("dkim: {selector: 'a b', key_file: k.pem}\n", "dkim.selector");
    refused("dkim: {selector: s, private_key: abc, key_file: k.pem}\n", "dkim.private_key");
    refused("dkim: {selector: s}\n", "dkim.key_file");
    refused("dkim: {selector: s, key_file: k.pem}\ndkim_retired: [s]\n", "dkim_retired[0]");
    refused("services: [web]\ndkim: {selector: s, key_file: k.pem}\n", "dkim");
}

TEST(DkimSpec, KeysAreReadAsSecretsAndPublishedSplitBelowDomainkey) {
    std::string dir = temp_dir();
    copy_key("test-only-rsa2048.pem", dir);
    std::string text = std::string("domain: example.com\n") + kSpecBase +
                       "dkim:\n  - {selector: rsa1, key_file: test-only-rsa2048.pem}\n"
                       "  - {key_file: test-only-rsa2048.pem}\n";
    Spec s = parse_spec(text, dir + "/spec.yaml");
    Profile profile = load_profile("");
    // No selector and no profile default: exit 2 naming the key.
    try {
        read_dkim_keys(s, profile);
        ADD_FAILURE() << "a key without selector was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("dkim[1].selector"), std::string::npos) << e.what();
    }
    profile.dkim_selector = "default2026";
    // The profile's selector also retired: refused.
    s = parse_spec(text + "dkim_retired: [default2026]\n", dir + "/spec.yaml");
    EXPECT_THROW(read_dkim_keys(s, profile), InputError);
    // A selector too long for its name.
    s = parse_spec(text, dir + "/spec.yaml");
    s.dkim[0].selector = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                         std::string(63, 'c') + "." + std::string(63, 'd');
    EXPECT_THROW(read_dkim_keys(s, profile), InputError);
    s = parse_spec(text, dir + "/spec.yaml");
    read_dkim_keys(s, profile);
    EXPECT_EQ(s.dkim[1].selector, "default2026");
    GenerateOptions go;
    go.serial = 1;
    Desired d = build_desired(s, profile, go);
    const RRset* txt = d.zone.find(Name::parse("rsa1._domainkey.example.com."), rrtype::TXT);
    ASSERT_NE(txt, nullptr);
    auto strings = txt_strings(txt->rrs[0].rdata);
    EXPECT_EQ(strings.size(), 2u);  // 410 octets: at most 255 in each
    for (const auto& str : strings) EXPECT_LE(str.size(), 255u);
    EXPECT_EQ(join_txt(txt->rrs[0].rdata), s.dkim[0].record);
    EXPECT_NE(d.zone.find(Name::parse("default2026._domainkey.example.com."), rrtype::TXT),
              nullptr);
    // Mail not a service: no DKIM record.
    s.mail = false;
    EXPECT_EQ(build_desired(s, profile, go)
                  .zone.find(Name::parse("rsa1._domainkey.example.com."), rrtype::TXT),
              nullptr);
}

TEST(DkimSpec, MissingOrOpenKeyFileIsExit2WithoutItsContent) {
    std::string dir = temp_dir();
    Profile profile = load_profile("");
    Spec s = parse_spec(std::string("domain: example.com\n") + kSpecBase +
                            "dkim: {selector: s, key_file: missing.pem}\n",
                        dir + "/spec.yaml");
    try {
        read_dkim_keys(s, profile);
        ADD_FAILURE() << "a missing key file was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("dkim.key_file"), std::string::npos) << e.what();
    }
    std::string pem = slurp(std::string(ZONEGEN_SOURCE_DIR) + "/tests/dkim/test-only-rsa2048.pem");
    std::ofstream(dir + "/open.pem") << pem;
    ::chmod((dir + "/open.pem").c_str(), 0644);
    s.dkim[0].key_file = "open.pem";
    try {
        read_dkim_keys(s, profile);
        ADD_FAILURE() << "a key file others may read was accepted";
    } catch (const InputError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("dkim.key_file"), std::string::npos) << what;
        EXPECT_EQ(what.find("MII"), std::string::npos) << what;
    }
    write_new_secret_file(dir + "/junk.pem", SecretString("not a key\n"));
    s.dkim[0].key_file = "junk.pem";
    EXPECT_THROW(read_dkim_keys(s, profile), InputError);
}

TEST(DkimSpec, BuildingWithoutReadingTheKeysIsAProgrammingError) {
    Spec s = parse_spec(
        std::string("domain: example.com\n") + kSpecBase + "dkim: {selector: s, key_file: k.pem}\n",
        "t.yaml");
    GenerateOptions go;
    go.serial = 1;
    EXPECT_THROW(build_desired(s, load_profile(""), go), std::logic_error);
}

namespace {
std::string b64(const std::vector<unsigned char>& der) {
    return encode_base64(der.data(), der.size());
}
template <class F>
std::vector<unsigned char> der_of(EVP_PKEY* key, F i2d) {
    int n = i2d(key, nullptr);
    std::vector<unsigned char> out(static_cast<std::size_t>(n));
    unsigned char* p = out.data();
    i2d(key, &p);
    return out;
}
}  // namespace

// The key is read by libcrypto's ASN.1 parser, not its key decoders (a provider fetched per
// key): it must agree with them on every form a record holds.
TEST(DkimCheck, KeySizeAgreesWithLibcryptoForEveryFormARecordHolds) {
    for (unsigned bits : {1024u, 2048u, 3072u}) {
        EVP_PKEY* key = EVP_RSA_gen(bits);
        ASSERT_NE(key, nullptr);
        auto spki = der_of(key, [](EVP_PKEY* k, unsigned char** p) { return i2d_PUBKEY(k, p); });
        auto pkcs1 =
            der_of(key, [](EVP_PKEY* k, unsigned char** p) { return i2d_PublicKey(k, p); });
        EXPECT_EQ(parse_dkim_public_key("rsa", b64(spki)).bits, EVP_PKEY_get_bits(key));
        EXPECT_EQ(parse_dkim_public_key("rsa", b64(pkcs1)).bits, EVP_PKEY_get_bits(key));
        auto trailing = spki;
        trailing.push_back(0);
        EXPECT_FALSE(parse_dkim_public_key("rsa", b64(trailing)).valid) << "a byte after the key";
        EVP_PKEY_free(key);
    }
    EVP_PKEY* ec = EVP_EC_gen("P-256");
    ASSERT_NE(ec, nullptr);
    auto spki = der_of(ec, [](EVP_PKEY* k, unsigned char** p) { return i2d_PUBKEY(k, p); });
    EXPECT_FALSE(parse_dkim_public_key("rsa", b64(spki)).valid) << "an EC key is not RSA";
    EVP_PKEY_free(ec);
}
