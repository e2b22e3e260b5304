#include "zonegen/spec_paths.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "zonegen/dkim.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/secure_file.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen {
namespace {

constexpr std::size_t kMaxSecretBytes = 64 * 1024;
constexpr std::size_t kMaxImportBytes = std::size_t{64} << 20;

std::string where(const std::string& dir_key, bool from_profile) {
    return from_profile ? dir_key : "the spec's directory (the profile sets no " + dir_key + ")";
}

// The one message for a path outside, missing, a symlink, unreadable: nothing about it.
[[noreturn]] void refuse(const std::string& key, const std::string& what,
                         const std::string& dir_key, bool from_profile) {
    throw InputError(key + ": not a readable " + what + " under " + where(dir_key, from_profile));
}

// A file that is there, inside the directory: what is wrong with it (never its content).
[[noreturn]] void refuse_file(const std::string& key, const std::string& rel,
                              const std::string& dir_key, bool from_profile,
                              const std::string& why) {
    throw InputError(key + " '" + printable(rel) + "' under " + where(dir_key, from_profile) +
                     ": " + why);
}

// An absolute path without "//", "/./" or a trailing '/'; nullopt for any "..".
std::optional<std::string> normal(const std::string& p) {
    std::string out;
    std::size_t i = 0;
    while (i < p.size()) {
        std::size_t e = p.find('/', i);
        if (e == std::string::npos) e = p.size();
        std::string c = p.substr(i, e - i);
        if (c == "..") return std::nullopt;
        if (!c.empty() && c != ".") out += "/" + c;
        i = e + 1;
    }
    return out.empty() ? std::string("/") : out;
}

std::string real_dir(const std::string& dir) {
    char buf[PATH_MAX];
    return ::realpath(dir.c_str(), buf) ? std::string(buf) : std::string();
}

// The spec's own directory, absolute, where the profile sets no directory. Not in the
// control panel's mode: the panel writes the specs, so their directory says nothing about
// what they may read.
std::string spec_directory(const Spec& spec, const Profile& profile, const std::string& key,
                           const std::string& dir_key) {
    if (profile.control_panel)
        throw InputError(key + ": in the control panel's mode (control_panel: true) a spec may " +
                         "name files only under the profile's " + dir_key + ", and it sets none");
    if (spec.dir.empty())
        throw InputError(key + ": a spec read from standard input may name files only under the " +
                         "profile's " + dir_key + ", and it sets none");
    std::string d = real_dir(spec.dir);
    if (d.empty())
        throw InputError(key + ": the spec's directory " + printable(spec.dir) +
                         " cannot be opened: " + std::strerror(errno));
    return d;
}

// The directory itself (the operator's choice: a symlink in its path is followed), which
// others may not write to unless it has the sticky bit.
FileDescriptor open_root(const std::string& dir, const std::string& dir_key, bool from_profile) {
    std::string name = from_profile ? "profile " + dir_key + " " + printable(dir)
                                    : "the spec's directory " + printable(dir);
    FileDescriptor fd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd) throw InputError(name + ": cannot be opened: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        throw InputError(name + ": cannot be opened: " + std::strerror(errno));
    if ((st.st_mode & 022) && !(st.st_mode & S_ISVTX))
        throw InputError(name + ": group or others may write to it: chmod go-w it");
    return fd;
}

ConfinedPath confine(std::string dir, bool from_profile, const std::string& key,
                     const std::string& path) {
    auto rel = path_beneath(dir, path);
    if (!rel) refuse(key, "secret", "secrets_dir", from_profile);
    return {std::move(dir), *rel, from_profile};
}

}  // namespace

std::optional<std::string> path_beneath(const std::string& dir, const std::string& path) {
    if (path.empty()) return std::nullopt;
    if (path.front() != '/') {
        auto n = normal("/" + path);
        if (!n || *n == "/") return std::nullopt;
        return n->substr(1);
    }
    auto p = normal(path);
    if (!p) return std::nullopt;
    for (const std::string& form : {dir, real_dir(dir)}) {
        if (form.empty() || form.front() != '/') continue;
        auto d = normal(form);
        if (!d) continue;
        if (*d == "/") {
            if (p->size() > 1) return p->substr(1);
            continue;
        }
        if (p->size() > d->size() + 1 && p->compare(0, d->size(), *d) == 0 &&
            (*p)[d->size()] == '/')
            return p->substr(d->size() + 1);
    }
    return std::nullopt;
}

ConfinedPath locate_spec_secret(const Spec& spec, const Profile& profile, const std::string& key,
                                const std::string& path) {
    if (!profile.secrets_dir.empty()) return confine(profile.secrets_dir, true, key, path);
    return confine(spec_directory(spec, profile, key, "secrets_dir"), false, key, path);
}

ConfinedPath locate_planned_secret(const std::string& planned_dir, const Profile& profile,
                                   const std::string& key, const std::string& path) {
    if (!profile.secrets_dir.empty()) return confine(profile.secrets_dir, true, key, path);
    if (planned_dir.empty() || profile.control_panel) refuse(key, "secret", "secrets_dir", true);
    return confine(planned_dir, false, key, path);
}

SecretString read_spec_secret(const ConfinedPath& at, const std::string& key) {
    FileDescriptor root = open_root(at.dir, "secrets_dir", at.from_profile);
    FileDescriptor fd(open_beneath(root.get(), at.rel));
    if (!fd) refuse(key, "secret", "secrets_dir", at.from_profile);
    SecretString s;
    if (auto r = read_checked(fd.get(), FileUse::secret, kMaxSecretBytes, s); !r)
        refuse_file(key, at.rel, "secrets_dir", at.from_profile, r.why);
    return s;
}

SecretString read_tsig_secret(const ConfinedPath& at, const std::string& key) {
    SecretString s = read_spec_secret(at, key);
    auto bad = [&](const std::string& why) {
        refuse_file(key, at.rel, "secrets_dir", at.from_profile,
                    why + " (its content is not shown)");
    };
    trim_line_end(s);
    if (s.empty()) bad("is empty");
    if (!is_base64(s.view())) bad("does not hold one line of base64, as a TSIG secret is");
    return s;
}

namespace {

// Whether <selector>._domainkey.<domain> is a name (at most 255 octets).
bool fits(const std::string& selector, const Name& domain) {
    try {
        (void)dkim_owner(selector, domain);
        return true;
    } catch (const NameError&) {
        return false;
    }
}

// The selector of key `i`: the spec's or the profile's; one per key, not also retired, and
// short enough for its name.
void settle_selector(Spec& spec, std::size_t i, const Profile& profile, const std::string& at) {
    DkimKey& k = spec.dkim[i];
    auto fail = [&](const std::string& why) {
        throw InputError(spec.source + ":" + std::to_string(k.line) + ": " + at +
                         ".selector: " + why);
    };
    if (k.selector.empty()) k.selector = profile.dkim_selector;
    if (k.selector.empty())
        fail("no selector, and the profile sets no mail.dkim_selector: give one");
    for (std::size_t j = 0; j < i; ++j)
        if (spec.dkim[j].selector == k.selector) fail("'" + k.selector + "' names two keys");
    for (const auto& r : spec.dkim_retired)
        if (r == k.selector) fail("'" + k.selector + "' is both published and in dkim_retired");
    if (!fits(k.selector, spec.domain))
        fail("'" + k.selector + "._domainkey." + spec.domain.to_string() +
             "' is longer than a name may be (255 octets)");
}

}  // namespace

void read_dkim_keys(Spec& spec, const Profile& profile) {
    for (const auto& r : spec.dkim_retired)
        if (!fits(r, spec.domain))
            throw InputError(spec.source + ": dkim_retired: '" + r +
                             "' is too long a selector for this domain");
    for (std::size_t i = 0; i < spec.dkim.size(); ++i) {
        DkimKey& k = spec.dkim[i];
        std::string at = spec.dkim.size() == 1 ? "dkim" : "dkim[" + std::to_string(i) + "]";
        settle_selector(spec, i, profile, at);
        std::string key = at + ".key_file";
        auto where = locate_spec_secret(spec, profile, key, k.key_file);
        SecretString pem = read_spec_secret(where, key);
        auto record = dkim_record_of(pem);
        if (!record)
            refuse_file(key, where.rel, "secrets_dir", where.from_profile,
                        "holds no RSA or Ed25519 private key in PEM (its content is not shown)");
        k.record = *record;
    }
}

std::string read_import_file(const Spec& spec, const Profile& profile) {
    const std::string key = "import_from";
    bool from_profile = !profile.import_dirs.empty();
    std::vector<std::string> dirs = profile.import_dirs;
    if (!from_profile) dirs = {spec_directory(spec, profile, key, "import_dirs")};
    for (const auto& dir : dirs) {
        auto rel = path_beneath(dir, spec.import_from);
        if (!rel) continue;
        FileDescriptor root = open_root(dir, "import_dirs", from_profile);
        FileDescriptor fd(open_beneath(root.get(), *rel));
        if (!fd) {
            // Not in this directory: a relative path may be in the next one.
            if (errno == ENOENT) continue;
            break;
        }
        std::string text;
        if (auto r = read_checked(fd.get(), FileUse::data, kMaxImportBytes, text); !r)
            refuse_file(key, *rel, "import_dirs", from_profile, r.why);
        return text;
    }
    refuse(key, "zone file", "import_dirs", from_profile);
}

}  // namespace zonegen
