#include "backends/http.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include "zonegen/errors.hpp"
#include "zonegen/secure_file.hpp"

// The installed module directory, and the same relative to the installation prefix (both set
// by CMake from its LIBDIR); no build-tree path.
#ifndef ZONEGEN_MODULE_DIR
#define ZONEGEN_MODULE_DIR ""
#endif
#ifndef ZONEGEN_MODULE_RELDIR
#define ZONEGEN_MODULE_RELDIR "lib/zonegen"
#endif

namespace zonegen {
namespace {

// The module runs with the API key in memory, so it is loaded only from a file and a
// directory that no one but root and this user can change, checked on the descriptors that
// are then used: the directory is opened once, the module once inside it (neither through a
// symbolic link), and dlopen reads the module through /proc/self/fd, never by its name again.

// Empty when root or this user owns it and neither group nor others may write it.
std::string untrusted(const struct stat& st) {
    if (st.st_uid != 0 && st.st_uid != ::geteuid())
        return "is owned by uid " + std::to_string(st.st_uid) + ", not by root or by this user";
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return "is writable by group or others (mode " + octal_mode(st.st_mode) + ")";
    return "";
}

std::string exe_dir() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "";
    std::string p(buf, static_cast<std::size_t>(n));
    if (p.front() != '/' || p.find(" (deleted)") != std::string::npos) return "";
    auto slash = p.rfind('/');
    return slash == 0 ? "/" : p.substr(0, slash);
}

// Beside the program (the build tree), in PREFIX/LIBDIR/zonegen for the prefix the program
// runs from (PREFIX/bin/zonegen, a relocated install), and in the installed module
// directory: found from the running program (/proc/self/exe) or fixed at install time.
std::vector<std::string> candidates() {
    std::vector<std::string> dirs;
    if (auto d = exe_dir(); !d.empty()) {
        dirs.push_back(d);
        std::string rel = ZONEGEN_MODULE_RELDIR;
        if (!rel.empty() && rel.front() != '/')
            dirs.push_back(d.substr(0, d.rfind('/')) + "/" + rel);
    }
    std::string installed = ZONEGEN_MODULE_DIR;
    if (!installed.empty()) dirs.push_back(installed);
    std::vector<std::string> out;
    for (auto& d : dirs)
        if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
    return out;
}

[[noreturn]] void refuse(const std::string& what, const std::string& why) {
    throw BackendError("cannot load the HTTP module: " + what + " " + why + ": not loaded");
}

// "WHAT (the error of errno)".
std::string failed(const char* what) {
    return std::string(what) + " (" + std::strerror(errno) + ")";
}

// `dir` opened without following a symbolic link; -1 when it does not exist.
int open_dir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 || errno == ENOENT) return fd;
    struct stat st {};
    if (errno == ENOTDIR || errno == ELOOP) {  // a link is ENOTDIR with O_DIRECTORY
        if (::lstat(dir.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
            refuse(dir, "is a symbolic link (not followed)");
        return -1;
    }
    refuse(dir, failed("cannot be opened"));
}

// The module's descriptor in `dir`, checked (the directory first, then the file);
// nullopt when `dir` holds none.
std::optional<int> open_module(const std::string& dir) {
    FileDescriptor dfd(open_dir(dir));
    if (dfd.get() < 0) return std::nullopt;
    std::string path = dir + "/" + kHttpModuleFile;
    FileDescriptor file(
        ::openat(dfd.get(), kHttpModuleFile, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    int open_errno = errno;
    if (file.get() < 0 && open_errno == ENOENT) return std::nullopt;
    struct stat st {};
    if (::fstat(dfd.get(), &st) != 0) refuse(dir, failed("cannot be read"));
    if (auto why = untrusted(st); !why.empty()) refuse("its directory " + dir, why);
    if (file.get() < 0) {
        if (open_errno == ELOOP) refuse(path, "is a symbolic link (not followed)");
        errno = open_errno;
        refuse(path, failed("cannot be opened"));
    }
    if (::fstat(file.get(), &st) != 0) refuse(path, failed("cannot be read"));
    if (!S_ISREG(st.st_mode)) refuse(path, "is not a regular file");
    if (auto why = untrusted(st); !why.empty()) refuse(path, why);
    return file.release();
}

HttpOpenFn load_from(const std::string& dir, int fd) {
    FileDescriptor file(fd);
    std::string path = dir + "/" + kHttpModuleFile;
    // The descriptor's own file: a rename or a new link at `path` since the checks changes
    // nothing.
    std::string by_fd = "/proc/self/fd/" + std::to_string(fd);
    void* h = ::dlopen(by_fd.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char* e = ::dlerror();
        refuse(path, std::string("cannot be loaded through ") + by_fd + " (" +
                         (e ? e : "dlopen failed") + ")");
    }
    auto* f = reinterpret_cast<HttpOpenFn>(::dlsym(h, kHttpOpenSymbol));
    if (!f) refuse(path, std::string("has no ") + kHttpOpenSymbol);
    return f;
}

HttpOpenFn load() {
    static std::mutex mu;
    static HttpOpenFn fn = nullptr;
    std::lock_guard<std::mutex> lock(mu);
    if (fn) return fn;
    std::string tried;
    // The first directory that holds the module decides: a refused module is an error,
    // never passed over for the next one.
    for (const auto& dir : candidates()) {
        tried += (tried.empty() ? "" : ", ") + dir;
        if (auto fd = open_module(dir)) return fn = load_from(dir, *fd);
    }
    throw BackendError(std::string("cannot load the HTTP module: no ") + kHttpModuleFile +
                       " (looked in " + tried + ")");
}

}  // namespace

std::unique_ptr<HttpTransport> open_http(const HttpSettings& settings) {
    HttpOpenFn fn = load();
    std::string error;
    std::unique_ptr<HttpTransport> t(fn(&settings, &error));
    if (!t) throw InputError("URL '" + settings.base + "': " + error);
    return t;
}

}  // namespace zonegen
