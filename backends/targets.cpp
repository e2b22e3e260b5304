// The one place that decides which target a location names. A new target is one file in
// backends/ and one line in kTargets.
#include <mutex>

#include "backends/file_target.hpp"
#include "backends/pdns_target.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/location.hpp"

namespace zonegen {
namespace {

struct Registered {
    std::string prefix;
    TargetFactory make;
};

std::vector<Registered>& registry() {
    static std::vector<Registered> targets = {
        {"pdns:", [](const std::string&, Pattern p, const Profile& pr,
                     const ProvisionOptions& o) { return make_pdns_target(p, pr, o); }},
    };
    return targets;
}

std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
}

}  // namespace

void register_target(const std::string& prefix, TargetFactory make) {
    std::lock_guard<std::mutex> lock(registry_mutex());
    registry().push_back({prefix, std::move(make)});
}

std::unique_ptr<Target> make_target(const std::string& location, Pattern pattern,
                                    const Profile& profile, const ProvisionOptions& opts) {
    {
        std::lock_guard<std::mutex> lock(registry_mutex());
        for (const auto& r : registry())
            if (location.rfind(r.prefix, 0) == 0) return r.make(location, pattern, profile, opts);
    }
    if (location_kind(location) == LocationKind::axfr)
        throw UsageError("--target " + location + ": an AXFR source can be read, not written");
    // Anything else is a zone file's path.
    if (pattern != Pattern::A)
        throw UsageError(
            "a zone-file target holds a whole zone: only pattern A has one (B and C: zonegen "
            "generate)");
    return make_file_target(location, opts);
}

}  // namespace zonegen
