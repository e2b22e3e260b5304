#include "zonegen/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "zonegen/errors.hpp"

namespace zonegen {
namespace {

void write_all(int fd, const std::string& content, const std::string& what) {
    std::size_t off = 0;
    while (off < content.size()) {
        ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (fd == 1) throw StdoutError(what + ": cannot write: " + std::strerror(errno));
            throw InputError(what + ": cannot write: " + std::strerror(errno));
        }
        off += static_cast<std::size_t>(n);
    }
}

}  // namespace

void write_file_atomic(const std::string& path, const std::string& content) {
    if (path == "-") {
        write_all(1, content, "standard output");
        return;
    }
    std::string dir = ".";
    if (auto slash = path.rfind('/'); slash != std::string::npos)
        dir = slash == 0 ? "/" : path.substr(0, slash);
    struct stat st {};
    mode_t mode = 0644;
    bool exists = ::stat(path.c_str(), &st) == 0;
    if (exists) {
        if (!S_ISREG(st.st_mode)) throw InputError(path + ": exists and is not a regular file");
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = ::umask(0);
        ::umask(mask);
        mode = 0666 & ~mask;
    }
    std::string tmpl = path + ".zonegen-XXXXXX";
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    int fd = ::mkstemp(name.data());
    if (fd < 0)
        throw InputError(path + ": cannot create a temporary file in " + dir + ": " +
                         std::strerror(errno));
    std::string tmp(name.data());
    try {
        if (::fchmod(fd, mode) != 0)
            throw InputError(tmp + ": cannot set mode: " + std::strerror(errno));
        write_all(fd, content, tmp);
        if (::fsync(fd) != 0) throw InputError(tmp + ": cannot sync: " + std::strerror(errno));
        if (::close(fd) != 0) {
            fd = -1;
            throw InputError(tmp + ": cannot close: " + std::strerror(errno));
        }
        fd = -1;
        if (::rename(tmp.c_str(), path.c_str()) != 0)
            throw InputError(
                path + ": cannot rename the temporary file into place: " + std::strerror(errno));
    } catch (...) {
        if (fd >= 0) ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    // Make the rename durable too.
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace zonegen
