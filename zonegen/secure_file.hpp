// Opening a file once and judging it by its open descriptor: no check of a path that a
// second lookup could find changed (a symlink swapped in between), no symlink followed
// where none is wanted, and never more than a cap read.
//
// Two ways in: a file beneath a directory (what a spec names: openat2 with RESOLVE_BENEATH
// and no symlinks at all, or a component-by-component O_NOFOLLOW walk on a kernel without
// openat2), and a file the operator names on the command line (its last component opened
// with O_NOFOLLOW). Either way the descriptor's fstat decides: a regular file, owned by this
// user or root, writable by no one else, and for a secret readable by no one else.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstddef>
#include <string>

#include "zonegen/secret.hpp"

namespace zonegen {

// What the file holds: a secret (the API key, a TSIG secret: no group or other access at
// all) or data (a zone file: no group or other write).
enum class FileUse { secret, data };

// Why a file was not read.
enum class FileRefusal {
    none,
    outside,      // the path leaves the directory (absolute, "..") or has a symlink on it
    missing,      // nothing there
    denied,       // the open was refused (EACCES) or failed otherwise
    not_regular,  // a directory, FIFO, device, socket
    owner,        // owned by another user than this one or root
    mode,         // writable (data, secret) or readable (secret) by group or others
    too_large,    // over the cap
};

struct FileResult {
    FileRefusal refusal = FileRefusal::none;
    std::string why;  // for a message: what is wrong, never the content
    explicit operator bool() const { return refusal == FileRefusal::none; }
};

// A file descriptor, closed when it goes.
class FileDescriptor {
  public:
    FileDescriptor() = default;
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(FileDescriptor&& o) noexcept : fd_(o.release()) {}
    FileDescriptor& operator=(FileDescriptor&& o) noexcept;
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor();
    int get() const { return fd_; }
    int release() noexcept {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    explicit operator bool() const { return fd_ >= 0; }

  private:
    int fd_ = -1;
};

// Opens `rel` for reading beneath the directory `dirfd`, refusing every symlink (also in the
// directories on the way), "..", an absolute path and a magic link: openat2 with
// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS, or open_beneath_walk where
// the kernel has no openat2 (ENOSYS, or EPERM from a seccomp filter). O_NOFOLLOW, O_CLOEXEC,
// O_NONBLOCK (a FIFO never blocks the open). Returns the descriptor, or -1 with errno set
// (EXDEV or ELOOP for a path that leaves, ENOENT, EACCES...).
int open_beneath(int dirfd, const std::string& rel);
// The fallback, on its own (tests run both): each directory on the way opened with
// O_PATH | O_DIRECTORY | O_NOFOLLOW from the one before, the file with O_NOFOLLOW.
int open_beneath_walk(int dirfd, const std::string& rel);

// A file mode's permission bits as messages print them: "0640", "1777".
std::string octal_mode(mode_t m);

// The checks on an open file's status for `use`, as `euid` would run them.
FileResult check_file_status(const struct stat& st, FileUse use, uid_t euid);

// The refusal for an errno of open_beneath or of an open with O_NOFOLLOW.
FileResult refusal_of_errno(int err);

// Checks the open descriptor and reads it whole into `out`, at most `max_bytes`.
FileResult read_checked(int fd, FileUse use, std::size_t max_bytes, std::string& out);
FileResult read_checked(int fd, FileUse use, std::size_t max_bytes, SecretString& out);

// A file the operator named (--pdns-api-key-file, --tsig-secret-file): opened once with
// O_NOFOLLOW (a symlink as its last component is refused: name the file itself), checked
// on the descriptor as a secret, read (at most 64 KiB). Throws InputError
// "WHAT file PATH: why" (never its content).
SecretString read_operator_secret(const std::string& path, const std::string& what);

}  // namespace zonegen
