#include "backends/http.hpp"

#include <dlfcn.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>

#include "zonegen/errors.hpp"

#ifndef ZONEGEN_MODULE_DIRS
#define ZONEGEN_MODULE_DIRS ""
#endif

namespace zonegen {
namespace {

std::string exe_dir() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "";
    std::string p(buf, static_cast<std::size_t>(n));
    return p.substr(0, p.rfind('/'));
}

// Beside the program, then the installed module directory and the build tree (both set
// at build time, separated by ':').
std::vector<std::string> candidates() {
    std::vector<std::string> dirs;
    if (auto d = exe_dir(); !d.empty()) {
        dirs.push_back(d);
        dirs.push_back(d + "/../lib/zonegen");
    }
    std::string compiled = ZONEGEN_MODULE_DIRS;
    for (std::size_t i = 0; i < compiled.size();) {
        std::size_t e = compiled.find(':', i);
        if (e == std::string::npos) e = compiled.size();
        if (e > i) dirs.push_back(compiled.substr(i, e - i));
        i = e + 1;
    }
    std::vector<std::string> out;
    for (const auto& d : dirs) {
        std::string p = d + "/" + kHttpModuleFile;
        if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    }
    return out;
}

HttpOpenFn load() {
    static std::mutex mu;
    static HttpOpenFn fn = nullptr;
    std::lock_guard<std::mutex> lock(mu);
    if (fn) return fn;
    std::string tried, why;
    for (const auto& path : candidates()) {
        tried += (tried.empty() ? "" : ", ") + path;
        if (::access(path.c_str(), R_OK) != 0) continue;
        // Code that runs with the API key: only a module of root or of this user that not
        // everyone may write (a build tree baked in as a fallback may sit anywhere).
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) continue;
        if ((st.st_uid != 0 && st.st_uid != ::geteuid()) || (st.st_mode & S_IWOTH)) {
            why = path + " is writable by everyone or owned by another user: not loaded";
            continue;
        }
        void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            const char* e = ::dlerror();
            why = e ? e : "dlopen failed";
            continue;
        }
        if (auto* f = reinterpret_cast<HttpOpenFn>(::dlsym(h, kHttpOpenSymbol))) {
            fn = f;
            return fn;
        }
        why = path + " has no " + kHttpOpenSymbol;
    }
    throw BackendError(std::string("cannot load the HTTP module ") + kHttpModuleFile +
                       (why.empty() ? "" : ": " + why) + " (looked for " + tried + ")");
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
