#include "zonegen/secure_file.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "zonegen/errors.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen {
namespace {

constexpr int kReadFlags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;

// The components of a relative path; false for an absolute path or a ".." anywhere (even
// one that would stay inside: the walk and openat2 must agree, and no spec needs one).
bool components(const std::string& rel, std::vector<std::string>& out) {
    if (rel.empty() || rel.front() == '/') return false;
    std::size_t i = 0;
    while (i <= rel.size()) {
        std::size_t e = rel.find('/', i);
        if (e == std::string::npos) e = rel.size();
        std::string c = rel.substr(i, e - i);
        if (c == "..") return false;
        if (!c.empty() && c != ".") out.push_back(c);
        i = e + 1;
    }
    return !out.empty();
}

template <class Out>
FileResult read_into(int fd, FileUse use, std::size_t max_bytes, Out& out) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return refusal_of_errno(errno);
    if (auto r = check_file_status(st, use, ::geteuid()); !r) return r;
    if (static_cast<std::size_t>(st.st_size) > max_bytes)
        return {FileRefusal::too_large, "larger than " + std::to_string(max_bytes) + " bytes"};
    char buf[4096];
    FileResult res;
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            res = {FileRefusal::denied, std::string("cannot be read: ") + std::strerror(errno)};
            break;
        }
        if (n == 0) break;
        if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
            res = {FileRefusal::too_large, "larger than " + std::to_string(max_bytes) + " bytes"};
            break;
        }
        out.append(std::string_view(buf, static_cast<std::size_t>(n)));
    }
    wipe_bytes(buf, sizeof buf);
    if (!res) out.clear();
    return res;
}

}  // namespace

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = o.release();
    }
    return *this;
}

FileDescriptor::~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
}

int open_beneath_walk(int dirfd, const std::string& rel) {
    std::vector<std::string> parts;
    if (!components(rel, parts)) {
        errno = EXDEV;
        return -1;
    }
    FileDescriptor cur;
    int at = dirfd;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        // A symlink opened with O_PATH | O_NOFOLLOW is the link itself: O_DIRECTORY then
        // fails (ENOTDIR), so no link is ever followed.
        int next = ::openat(at, parts[i].c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            if (errno == ENOTDIR) errno = ELOOP;
            return -1;
        }
        cur = FileDescriptor(next);
        at = cur.get();
    }
    return ::openat(at, parts.back().c_str(), kReadFlags);
}

int open_beneath(int dirfd, const std::string& rel) {
    std::vector<std::string> parts;
    if (!components(rel, parts)) {
        errno = EXDEV;
        return -1;
    }
    struct open_how how {};
    how.flags = static_cast<std::uint64_t>(kReadFlags);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    long fd = ::syscall(SYS_openat2, dirfd, rel.c_str(), &how, sizeof how);
    if (fd >= 0) return static_cast<int>(fd);
    if (errno == ENOSYS || errno == EPERM) return open_beneath_walk(dirfd, rel);
    return -1;
}

FileResult refusal_of_errno(int err) {
    switch (err) {
        case ELOOP:
        case EXDEV:
            return {FileRefusal::outside, "a symbolic link, or a path leaving the directory"};
        case ENOENT:
        case ENOTDIR:
            return {FileRefusal::missing, "no such file"};
        default:
            return {FileRefusal::denied, std::string("cannot be opened: ") + std::strerror(err)};
    }
}

FileResult check_file_status(const struct stat& st, FileUse use, uid_t euid) {
    if (!S_ISREG(st.st_mode)) return {FileRefusal::not_regular, "not a regular file"};
    if (st.st_uid != euid && st.st_uid != 0)
        return {FileRefusal::owner, "owned by another user (uid " + std::to_string(st.st_uid) +
                                        "), not by this one (uid " + std::to_string(euid) +
                                        ") or root"};
    if (use == FileUse::secret && (st.st_mode & 077))
        return {FileRefusal::mode, "may be read or written by group or others (mode " +
                                       octal_mode(st.st_mode) + "): chmod 600 it"};
    if (st.st_mode & 022)
        return {FileRefusal::mode, "may be written by group or others (mode " +
                                       octal_mode(st.st_mode) + "): chmod go-w it"};
    return {};
}

FileResult read_checked(int fd, FileUse use, std::size_t max_bytes, std::string& out) {
    return read_into(fd, use, max_bytes, out);
}

FileResult read_checked(int fd, FileUse use, std::size_t max_bytes, SecretString& out) {
    return read_into(fd, use, max_bytes, out);
}

SecretString read_operator_secret(const std::string& path, const std::string& what) {
    auto fail = [&](const std::string& why) {
        throw InputError(what + " file " + printable(path) + ": " + why);
    };
    FileDescriptor fd(::open(path.c_str(), kReadFlags));
    if (!fd) {
        int e = errno;
        if (e == ELOOP) fail("is a symbolic link: name the file itself");
        fail(std::string("cannot be read: ") + std::strerror(e));
    }
    SecretString out;
    if (auto r = read_checked(fd.get(), FileUse::secret, 64 * 1024, out); !r) fail(r.why);
    return out;
}

std::string octal_mode(mode_t m) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
    return buf;
}

}  // namespace zonegen
