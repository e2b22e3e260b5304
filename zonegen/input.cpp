#include "zonegen/input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "zonegen/errors.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen {

std::string read_input(const std::string& path, std::size_t max_bytes) {
    std::string data;
    int fd = 0;
    if (path != "-") {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw InputError(printable(path) + ": cannot open: " + std::strerror(errno));
        struct stat st {};
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            ::close(fd);
            throw InputError(printable(path) + ": is a directory");
        }
    }
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            if (fd != 0) ::close(fd);
            throw InputError((path == "-" ? std::string("standard input") : printable(path)) +
                             ": cannot read: " + std::strerror(e));
        }
        if (n == 0) break;
        data.append(buf, static_cast<std::size_t>(n));
        if (data.size() > max_bytes) {
            if (fd != 0) ::close(fd);
            throw InputError(printable(path) + ": larger than " + std::to_string(max_bytes >> 20) +
                             " MiB");
        }
    }
    if (fd != 0) ::close(fd);
    return data;
}

std::string read_input_head(const std::string& path, std::size_t max_bytes) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(printable(path) + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw InputError(printable(path) + ": is a directory");
    }
    std::string data(max_bytes, '\0');
    std::size_t got = 0;
    while (got < max_bytes) {
        ssize_t n = ::read(fd, data.data() + got, max_bytes - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    data.resize(got);
    return data;
}

}  // namespace zonegen
