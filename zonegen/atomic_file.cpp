#include "zonegen/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>
#include <string_view>
#include <utility>

#include "zonegen/errors.hpp"
#include "zonegen/secure_file.hpp"

namespace zonegen {
namespace {

std::string error_text() {
    return std::strerror(errno);
}

void write_all(int fd, std::string_view content, const std::string& what, bool is_stdout) {
    std::size_t off = 0;
    while (off < content.size()) {
        ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (is_stdout) throw StdoutError(what + ": cannot write: " + error_text());
            throw InputError(what + ": cannot write: " + error_text());
        }
        off += static_cast<std::size_t>(n);
    }
}

// The directory the file goes into, opened once: everything after is done relative to it.
// One that others may write to without the sticky bit is refused: anyone there could replace
// or remove the file once written.
int open_dir(const std::string& dir, const std::string& path) {
    FileDescriptor dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd.get() < 0)
        throw InputError(path + ": cannot open its directory " + dir + ": " + error_text());
    struct stat st {};
    if (::fstat(dfd.get(), &st) != 0)
        throw InputError(path + ": cannot read its directory " + dir + ": " + error_text());
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
        throw InputError(path + ": not written: its directory " + dir +
                         " is writable by group or others without the sticky bit (mode " +
                         octal_mode(st.st_mode) + "), so another user could replace the file");
    return dfd.release();
}

// The file being replaced, read from the entry itself (lstat): its permission bits (never a
// symbolic link's target's, never set-user-ID, set-group-ID or sticky) and its owner.
struct Replaced {
    mode_t mode = 0;
    uid_t uid = 0;
    gid_t gid = 0;
};

// Whether others may create entries in the directory (it is then sticky: open_dir refused
// the rest).
bool dir_shared(int dfd) {
    struct stat st {};
    return ::fstat(dfd, &st) != 0 || (st.st_mode & (S_IWGRP | S_IWOTH));
}

// nullopt: no file yet. Another user's file is refused in a shared directory, where it may
// have been planted there; elsewhere it is replaced, and root keeps its owner (a zone file
// of the name server's user stays that user's).
std::optional<Replaced> replaced_file(int dfd, const std::string& base, const std::string& path) {
    struct stat st {};
    if (::fstatat(dfd, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return std::nullopt;
        throw InputError(path + ": " + error_text());
    }
    if (S_ISLNK(st.st_mode))
        throw InputError(path +
                         ": is a symbolic link: not followed and not replaced (name the file "
                         "itself, or remove the link)");
    if (!S_ISREG(st.st_mode)) throw InputError(path + ": exists and is not a regular file");
    if (st.st_uid != ::geteuid() && dir_shared(dfd))
        throw InputError(path + ": belongs to another user (uid " + std::to_string(st.st_uid) +
                         ") in a directory others may write to: not replaced");
    return Replaced{static_cast<mode_t>(st.st_mode & 0777), st.st_uid, st.st_gid};
}

// The replaced file's mode and, when root replaces another user's file, its owner.
void keep_attributes(int fd, const Replaced& old, const std::string& path, const std::string& tmp) {
    if (old.uid != ::geteuid() && ::geteuid() == 0 && ::fchown(fd, old.uid, old.gid) != 0)
        throw InputError(path + ": cannot keep the owner on " + tmp + ": " + error_text());
    if (::fchmod(fd, old.mode) != 0)
        throw InputError(path + ": cannot set the mode of " + tmp + ": " + error_text());
}

// A new file beside the target, PATH.zonegen-XXXXXX, created exclusively (never through a
// link or over anything). Its mode is `mode` (0644, or 0600 for a secret) less the umask
// until set.
int create_temp(int dfd, const std::string& base, const std::string& path, std::string& name,
                mode_t mode = 0644) {
    static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device rd;
    std::uniform_int_distribution<std::size_t> pick(0, sizeof kChars - 2);
    for (int attempt = 0; attempt < 100; ++attempt) {
        name = base + ".zonegen-";
        for (int i = 0; i < 6; ++i) name += kChars[pick(rd)];
        int fd =
            ::openat(dfd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd >= 0) return fd;
        if (errno != EEXIST) break;
    }
    throw InputError(path + ": cannot create a temporary file beside it: " + error_text());
}

// Renames the written temporary file over the target. When there was none, a file that
// appears meanwhile is not replaced (where the file system can tell).
void put_in_place(int dfd, const std::string& tmp, const std::string& base, const std::string& path,
                  bool replacing) {
    if (!replacing) {
        if (::renameat2(dfd, tmp.c_str(), dfd, base.c_str(), RENAME_NOREPLACE) == 0) return;
        if (errno == EEXIST)
            throw InputError(path + ": appeared while it was being written: not replaced");
        if (errno != EINVAL && errno != ENOSYS)
            throw InputError(path +
                             ": cannot rename the temporary file into place: " + error_text());
    }
    if (::renameat(dfd, tmp.c_str(), dfd, base.c_str()) != 0)
        throw InputError(path + ": cannot rename the temporary file into place: " + error_text());
}

void write_into(int dfd, const std::string& base, const std::string& path, std::string_view content,
                bool secret) {
    std::optional<Replaced> old = replaced_file(dfd, base, path);
    if (secret && old)
        throw InputError(path + ": exists: not replaced (a key file is never overwritten; " +
                         "choose another name, or remove the old file yourself)");
    std::string tmp;
    FileDescriptor fd(create_temp(dfd, base, path, tmp, secret ? 0600 : 0644));
    try {
        if (old) keep_attributes(fd.get(), *old, path, tmp);
        write_all(fd.get(), content, path, false);
        if (::fsync(fd.get()) != 0) throw InputError(path + ": cannot sync: " + error_text());
        if (::close(fd.release()) != 0) throw InputError(path + ": cannot close: " + error_text());
        put_in_place(dfd, tmp, base, path, old.has_value());
    } catch (...) {
        ::unlinkat(dfd, tmp.c_str(), 0);
        throw;
    }
}

void write_atomic(const std::string& path, std::string_view content, bool secret) {
    std::string dir = ".", base = path;
    if (auto slash = path.rfind('/'); slash != std::string::npos) {
        dir = slash == 0 ? "/" : path.substr(0, slash);
        base = path.substr(slash + 1);
    }
    if (base.empty() || base == "." || base == "..")
        throw InputError(path + ": names a directory, not a file");
    FileDescriptor dfd(open_dir(dir, path));
    write_into(dfd.get(), base, path, content, secret);
    // Make the rename durable too.
    ::fsync(dfd.get());
}

}  // namespace

void write_file_atomic(const std::string& path, const std::string& content) {
    if (path == "-") {
        write_all(1, content, "standard output", true);
        return;
    }
    write_atomic(path, content, false);
}

void write_new_secret_file(const std::string& path, const SecretString& content) {
    if (path == "-") throw InputError("a secret is never written to standard output");
    write_atomic(path, content.view(), true);
}

}  // namespace zonegen
