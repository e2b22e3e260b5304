#include "zonegen/time_zone.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace zonegen {
namespace {

std::mutex g_mutex;
std::string g_tz;      // the zone TZ was last set to here, "" before the first conversion
std::string g_in_use;  // the zone of the last use_time_zone(), "" before

// A zone name as the tz database spells them: no absolute path, no "..".
bool plausible(const std::string& name) {
    if (name.empty() || name.size() > 64 || name.front() == '/' ||
        name.find("..") != std::string::npos)
        return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && !std::strchr("/_+-", c)) return false;
    return true;
}

// True when the database has a compiled zone file (magic "TZif") for `name`.
bool in_database(const std::string& name) {
    const char* dir = std::getenv("TZDIR");
    std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + name;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char magic[4] = {};
    bool ok = ::read(fd, magic, sizeof magic) == 4 && std::memcmp(magic, "TZif", 4) == 0;
    ::close(fd);
    return ok;
}

// The TZ value for `name`: the database's zone, or a POSIX rule for a zone without summer
// time when the database is missing.
std::optional<std::string> tz_value(const std::string& name) {
    if (!plausible(name)) return std::nullopt;
    if (in_database(name)) return ":" + name;
    if (name == "Asia/Tokyo") return std::string("JST-9");
    if (name == "UTC" || name == "Etc/UTC") return std::string("UTC0");
    return std::nullopt;
}

void activate(const std::string& name) {  // with g_mutex held
    if (g_tz == name) return;
    auto v = tz_value(name);
    if (!v)
        throw std::invalid_argument("'" + name +
                                    "' is not a time zone of the tz database (such as Asia/Tokyo)");
    ::setenv("TZ", v->c_str(), 1);
    ::tzset();
    g_tz = name;
}

}  // namespace

bool time_zone_known(const std::string& name) {
    return tz_value(name).has_value();
}

void use_time_zone(const std::string& name) {
    std::lock_guard<std::mutex> lock(g_mutex);
    activate(name);
    g_in_use = name;
}

std::string time_zone_in_use() {
    std::lock_guard<std::mutex> lock(g_mutex);
    return g_in_use.empty() ? kDefaultTimeZone : g_in_use;
}

std::tm local_time(std::time_t t, const std::string& name) {
    std::lock_guard<std::mutex> lock(g_mutex);
    activate(name);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    return tm;
}

}  // namespace zonegen
