// Opening files beneath a directory once, judged by the descriptor (secure_file.hpp), and
// the policy for the paths a spec names (spec_paths.hpp).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <functional>
#include <string>

#include "zonegen/errors.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/secret.hpp"
#include "zonegen/secure_file.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/spec_paths.hpp"

using namespace zonegen;

namespace {

const std::string kB64 = "c2VjcmV0LXRzaWcta2V5LTEyMzQ1Ng==";
const std::string kApiKey = "the-api-key-not-base64-7d1e!";

std::string temp_dir() {
    char tmpl[] = "/tmp/zonegen-secure-XXXXXX";
    std::string d = mkdtemp(tmpl);
    chmod(d.c_str(), 0755);
    return d;
}

void put(const std::string& path, const std::string& text, mode_t mode) {
    std::ofstream(path) << text;
    chmod(path.c_str(), mode);
}

// A directory holding secrets/ (with a key, a symlink out, a subdirectory) and outside/.
struct Tree {
    std::string root = temp_dir();
    std::string secrets = root + "/secrets", outside = root + "/outside";
    Tree() {
        mkdir(secrets.c_str(), 0700);
        mkdir(outside.c_str(), 0700);
        mkdir((secrets + "/sub").c_str(), 0700);
        put(secrets + "/k.key", kB64 + "\n", 0600);
        put(secrets + "/sub/k.key", kB64 + "\n", 0600);
        put(outside + "/api.key", kApiKey + "\n", 0600);
        symlink("../outside/api.key", (secrets + "/out.key").c_str());
        symlink("k.key", (secrets + "/in.key").c_str());
        symlink("../outside", (secrets + "/outdir").c_str());
        symlink("sub", (secrets + "/subdir").c_str());
    }
    int dirfd() const { return ::open(secrets.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC); }
};

using OpenFn = int (*)(int, const std::string&);

class OpenBeneath : public ::testing::TestWithParam<OpenFn> {
  protected:
    // The errno of opening `rel` beneath secrets/, 0 when it opened.
    int error_of(const std::string& rel) {
        FileDescriptor dir(tree.dirfd());
        errno = 0;
        FileDescriptor fd(GetParam()(dir.get(), rel));
        return fd ? 0 : errno;
    }
    Tree tree;
};

Profile profile_with(const std::string& extra) {
    return parse_profile(default_profile_text() + extra, "p.yaml");
}

Spec b_spec(const std::string& dir) {
    Spec s = parse_spec(
        "domain: example.org\ndns_pattern: B\nregistrar: transfer\n"
        "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\n"
        "customer_primary: [198.51.100.53]\ncustomer_nameservers: [ns1.customer.example]\n",
        dir + "/spec.yaml");
    return s;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Openat2AndWalk, OpenBeneath,
                         ::testing::Values(&open_beneath, &open_beneath_walk));

TEST_P(OpenBeneath, OpensFilesInsideTheDirectory) {
    EXPECT_EQ(error_of("k.key"), 0);
    EXPECT_EQ(error_of("sub/k.key"), 0);
    EXPECT_EQ(error_of("./sub//k.key"), 0);
}

TEST_P(OpenBeneath, RefusesEverySymlinkAndEveryWayOut) {
    EXPECT_EQ(error_of("out.key"), ELOOP);         // a symlink leading out
    EXPECT_EQ(error_of("in.key"), ELOOP);          // even one that stays inside
    EXPECT_EQ(error_of("outdir/api.key"), ELOOP);  // a symlinked directory on the way
    EXPECT_EQ(error_of("subdir/k.key"), ELOOP);
    EXPECT_EQ(error_of("../outside/api.key"), EXDEV);
    EXPECT_EQ(error_of("sub/../k.key"), EXDEV);  // ".." is refused even inside
    EXPECT_EQ(error_of(tree.outside + "/api.key"), EXDEV);
    EXPECT_EQ(error_of(""), EXDEV);
    EXPECT_EQ(error_of("missing.key"), ENOENT);
}

TEST_P(OpenBeneath, AFifoNeverBlocksTheOpen) {
    ASSERT_EQ(mkfifo((tree.secrets + "/fifo").c_str(), 0600), 0);
    FileDescriptor dir(tree.dirfd());
    FileDescriptor fd(GetParam()(dir.get(), "fifo"));
    ASSERT_TRUE(fd);
    SecretString s;
    EXPECT_EQ(read_checked(fd.get(), FileUse::secret, 100, s).refusal, FileRefusal::not_regular);
}

TEST(SecureFile, StatusChecksOwnerModeAndKind) {
    struct stat st {};
    st.st_mode = S_IFREG | 0600;
    st.st_uid = 1000;
    EXPECT_TRUE(check_file_status(st, FileUse::secret, 1000));
    EXPECT_EQ(check_file_status(st, FileUse::secret, 1001).refusal, FileRefusal::owner);
    st.st_uid = 0;  // root's files are trusted
    EXPECT_TRUE(check_file_status(st, FileUse::secret, 1000));
    st.st_mode = S_IFREG | 0640;
    EXPECT_EQ(check_file_status(st, FileUse::secret, 1000).refusal, FileRefusal::mode);
    EXPECT_TRUE(check_file_status(st, FileUse::data, 1000));
    st.st_mode = S_IFREG | 0604;
    EXPECT_EQ(check_file_status(st, FileUse::secret, 1000).refusal, FileRefusal::mode);
    st.st_mode = S_IFREG | 0664;
    EXPECT_EQ(check_file_status(st, FileUse::data, 1000).refusal, FileRefusal::mode);
    st.st_mode = S_IFREG | 0646;
    EXPECT_EQ(check_file_status(st, FileUse::data, 1000).refusal, FileRefusal::mode);
    st.st_mode = S_IFDIR | 0700;
    EXPECT_EQ(check_file_status(st, FileUse::data, 1000).refusal, FileRefusal::not_regular);
}

TEST(SecureFile, ReadsUpToTheCap) {
    Tree t;
    FileDescriptor dir(t.dirfd());
    FileDescriptor fd(open_beneath(dir.get(), "k.key"));
    std::string out;
    EXPECT_EQ(read_checked(fd.get(), FileUse::data, 5, out).refusal, FileRefusal::too_large);
    EXPECT_TRUE(out.empty());
    FileDescriptor again(open_beneath(dir.get(), "k.key"));
    SecretString s;
    ASSERT_TRUE(read_checked(again.get(), FileUse::secret, 1000, s));
    EXPECT_EQ(s.view(), kB64 + "\n");
}

TEST(SecureFile, OperatorSecretIsNeverFollowedNorQuoted) {
    Tree t;
    put(t.outside + "/open.key", kApiKey, 0644);
    std::string m = message_of([&] { read_operator_secret(t.outside + "/open.key", "API key"); });
    EXPECT_NE(m.find("chmod 600"), std::string::npos) << m;
    EXPECT_EQ(m.find(kApiKey), std::string::npos) << m;
    m = message_of([&] { read_operator_secret(t.secrets + "/out.key", "API key"); });
    EXPECT_NE(m.find("symbolic link"), std::string::npos) << m;
    EXPECT_EQ(read_operator_secret(t.outside + "/api.key", "API key").view(), kApiKey + "\n");
}

TEST(SecretString, ComparesWipesAndMoves) {
    SecretString a("abc"), b("abc"), c("abd"), d("ab");
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a == c);
    EXPECT_FALSE(a == d);
    SecretString e(std::move(a));
    EXPECT_EQ(e.view(), "abc");
    EXPECT_TRUE(a.empty());  // NOLINT: moved from, and wiped
    e.clear();
    EXPECT_TRUE(e.empty());
    std::string s = "a long secret that does not fit in the small buffer";
    std::size_t cap = s.capacity();
    wipe_string(s);
    EXPECT_TRUE(s.empty());
    EXPECT_EQ(s.capacity(), cap);
    EXPECT_EQ(std::string(s.data(), cap).find_first_not_of('\0'), std::string::npos);
}

TEST(SecretString, Base64IsOneLineOfTheStandardAlphabet) {
    EXPECT_TRUE(is_base64(kB64));
    EXPECT_TRUE(is_base64("YWJj"));
    EXPECT_FALSE(is_base64(""));
    EXPECT_FALSE(is_base64("YWJ"));
    EXPECT_FALSE(is_base64("YW=j"));
    EXPECT_FALSE(is_base64("Y==="));
    EXPECT_FALSE(is_base64("YW J"));
    EXPECT_FALSE(is_base64(kApiKey));
}

TEST(SpecPaths, PathBeneathIsLexical) {
    EXPECT_EQ(path_beneath("/s", "k.key"), "k.key");
    EXPECT_EQ(path_beneath("/s", "./a//k.key"), "a/k.key");
    EXPECT_EQ(path_beneath("/s", "/s/a/k.key"), "a/k.key");
    EXPECT_EQ(path_beneath("/s/", "/s//k.key"), "k.key");
    EXPECT_EQ(path_beneath("/s", "/sx/k.key"), std::nullopt);
    EXPECT_EQ(path_beneath("/s", "/s"), std::nullopt);
    EXPECT_EQ(path_beneath("/s", "/s/../k.key"), std::nullopt);
    EXPECT_EQ(path_beneath("/s", "../k.key"), std::nullopt);
    EXPECT_EQ(path_beneath("/s", "a/../../k.key"), std::nullopt);
    EXPECT_EQ(path_beneath("/s", "/etc/passwd"), std::nullopt);
    EXPECT_EQ(path_beneath("/s", ""), std::nullopt);
}

TEST(SpecPaths, OneMessageForEveryPathOutsideTheSecretsDir) {
    Tree t;
    Profile p = profile_with("secrets_dir: " + t.secrets + "\n");
    Spec s = b_spec(t.root);
    auto read = [&](const std::string& path) {
        return message_of([&] {
            read_tsig_secret(locate_spec_secret(s, p, "tsig.secret_file", path),
                             "tsig.secret_file");
        });
    };
    EXPECT_EQ(read("k.key"), "(no error)");
    EXPECT_EQ(read(t.secrets + "/sub/k.key"), "(no error)");
    const std::string one = "tsig.secret_file: not a readable secret under secrets_dir";
    for (const std::string& path :
         {t.outside + "/api.key", t.outside + "/missing.key", std::string("../outside/api.key"),
          t.secrets + "/../outside/api.key", std::string("out.key"), std::string("outdir/api.key"),
          std::string("missing.key"), std::string("/etc/shadow")})
        EXPECT_EQ(read(path), one) << path;
}

TEST(SpecPaths, AFileInsideSaysWhatIsWrongButNotWhatItHolds) {
    Tree t;
    Profile p = profile_with("secrets_dir: " + t.secrets + "\n");
    Spec s = b_spec(t.root);
    auto read = [&](const std::string& path) {
        return message_of([&] {
            read_tsig_secret(locate_spec_secret(s, p, "tsig.secret_file", path),
                             "tsig.secret_file");
        });
    };
    put(t.secrets + "/open.key", kB64, 0640);
    EXPECT_NE(read("open.key").find("chmod 600"), std::string::npos);
    put(t.secrets + "/text.key", kApiKey + "\n", 0600);
    std::string m = read("text.key");
    EXPECT_NE(m.find("base64"), std::string::npos) << m;
    EXPECT_EQ(m.find(kApiKey), std::string::npos) << m;
    EXPECT_EQ(m.rfind("tsig.secret_file", 0), 0u) << m;
}

TEST(SpecPaths, WithoutSecretsDirTheSpecsDirectoryConfines) {
    Tree t;
    Profile p = profile_with("");
    Spec s = b_spec(t.secrets);
    ConfinedPath at = locate_spec_secret(s, p, "tsig.secret_file", "k.key");
    EXPECT_FALSE(at.from_profile);
    EXPECT_EQ(read_tsig_secret(at, "tsig.secret_file").view(), kB64);
    EXPECT_NE(message_of([&] {
                  locate_spec_secret(s, p, "tsig.secret_file", "../outside/api.key");
              }).find("not a readable secret under the spec's directory"),
              std::string::npos);
    Spec piped = parse_spec(
        "domain: example.org\ndns_pattern: A\nregistrar: transfer\n"
        "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\n",
        "<stdin>");
    EXPECT_NE(message_of([&] {
                  locate_spec_secret(piped, p, "tsig.secret_file", "k.key");
              }).find("standard input"),
              std::string::npos);
}

TEST(SpecPaths, ControlPanelModeHasNoSpecDirectoryFallback) {
    Tree t;
    Profile p = profile_with("");
    p.control_panel = true;
    Spec s = b_spec(t.secrets);
    EXPECT_NE(message_of([&] {
                  locate_spec_secret(s, p, "tsig.secret_file", "k.key");
              }).find("only under the profile's secrets_dir"),
              std::string::npos);
    EXPECT_NE(message_of([&] {
                  locate_planned_secret(t.secrets, p, "tsig.secret_file", "k.key");
              }).find("not a readable secret"),
              std::string::npos);
}

TEST(SpecPaths, ImportFromIsReadUnderOneOfTheImportDirs) {
    Tree t;
    std::string a = t.root + "/a", b = t.root + "/b";
    mkdir(a.c_str(), 0755);
    mkdir(b.c_str(), 0755);
    put(b + "/old.zone", "zone text\n", 0644);
    Profile p = profile_with("import_dirs: [" + a + ", " + b + "]\n");
    Spec s = b_spec(t.root);
    s.import_from = "old.zone";
    EXPECT_EQ(read_import_file(s, p), "zone text\n");
    s.import_from = b + "/old.zone";
    EXPECT_EQ(read_import_file(s, p), "zone text\n");
    const std::string one = "import_from: not a readable zone file under import_dirs";
    for (const std::string& path : {t.outside + "/api.key", std::string("../outside/api.key"),
                                    std::string("missing.zone"), t.secrets + "/k.key"}) {
        s.import_from = path;
        EXPECT_EQ(message_of([&] { read_import_file(s, p); }), one) << path;
    }
    put(b + "/shared.zone", "zone text\n", 0666);
    s.import_from = "shared.zone";
    EXPECT_NE(message_of([&] { read_import_file(s, p); }).find("chmod go-w"), std::string::npos);
}

TEST(SpecPaths, ProfileDirectoriesAreAbsolute) {
    EXPECT_EQ(profile_with("secrets_dir: /etc/zonegen/secrets/\n").secrets_dir,
              "/etc/zonegen/secrets");
    for (const std::string& bad :
         {std::string("secrets_dir: secrets\n"), std::string("secrets_dir: /a/../b\n"),
          std::string("import_dirs: []\n"), std::string("import_dirs: [rel]\n"),
          std::string("import_dirs: /one\n")})
        EXPECT_THROW(profile_with(bad), InputError) << bad;
}
