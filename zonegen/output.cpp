#include "zonegen/output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

namespace zonegen {

std::string dump_json(const nlohmann::json& j, int indent) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string stdout_failure() {
    errno = 0;
    std::cout.flush();
    int cout_errno = errno;
    bool cout_failed = !std::cout;
    errno = 0;
    bool stdio_failed = std::fflush(stdout) != 0 || std::ferror(stdout);
    int stdio_errno = errno;
    if (!cout_failed && !stdio_failed) return "";
    int e = stdio_errno ? stdio_errno : cout_errno;
    return e ? std::strerror(e) : "write error";
}

namespace {
std::string& done_text() {
    static std::string text;
    return text;
}
}  // namespace

void note_done(const std::string& what) {
    done_text() = what;
}

const std::string& done_note() {
    return done_text();
}

}  // namespace zonegen
