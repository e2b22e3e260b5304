// verify's result as text and as JSON (contract.md's fields); nothing here decides anything.
#include <nlohmann/json.hpp>

#include "zonegen/verify.hpp"

namespace zonegen {

const char* to_string(CheckStatus s) {
    switch (s) {
        case CheckStatus::ok:
            return "ok";
        case CheckStatus::problem:
            return "problem";
        case CheckStatus::unknown:
            break;
    }
    return "unknown";
}

const char* to_string(VerifyCheckId id) {
    switch (id) {
        case VerifyCheckId::our_servers:
            return "our-servers";
        case VerifyCheckId::delegation:
            return "delegation";
        case VerifyCheckId::old_server:
            break;
    }
    return "old-server";
}

std::string verdict_text(const VerifyResult& r) {
    switch (r.verdict) {
        case Verdict::not_ready:
            return "not ready to switch";
        case Verdict::ready:
            return "ready to switch";
        case Verdict::parallel:
            return "switched, parallel operation until " + format_time(r.safe_after.value_or(0));
        case Verdict::safe_to_cancel:
            break;
    }
    return "safe to cancel the old server (once no more mail arrives there)";
}

nlohmann::json verify_json(const VerifyResult& r) {
    auto checks = nlohmann::json::array();
    for (const auto& c : r.checks)
        checks.push_back({{"check", to_string(c.id)},
                          {"status", to_string(c.status)},
                          {"message", c.message},
                          {"evidence", c.evidence}});
    auto servers = nlohmann::json::array();
    for (const auto& s : r.servers)
        servers.push_back({{"name", s.name.to_string()},
                           {"serves", s.serves},
                           {"serial", s.serial ? nlohmann::json(*s.serial) : nlohmann::json()},
                           {"lagging", s.lagging},
                           {"lame", s.lame}});
    auto t = [](const std::optional<std::time_t>& x) {
        return x ? nlohmann::json(format_time(*x)) : nlohmann::json(nullptr);
    };
    return {{"verdict", verdict_text(r)},
            {"problem", r.problem()},
            {"delegation_switched", r.delegation_switched},
            {"switched_at", t(r.switched_at)},
            {"safe_after", t(r.safe_after)},
            {"longest_ttl", r.longest_ttl},
            {"in_sync", r.in_sync()},
            {"servers", servers},
            {"checks", checks}};
}

std::string verify_text(const VerifyResult& r) {
    std::string out = verdict_text(r) + "\n";
    for (const auto& c : r.checks) {
        std::string status = to_string(c.status);
        out += status + std::string(status.size() < 8 ? 8 - status.size() : 1, ' ') +
               to_string(c.id) + ": " + c.message + "\n";
        for (const auto& e : c.evidence) out += "        " + e + "\n";
    }
    if (r.verdict == Verdict::safe_to_cancel)
        out +=
            "The parallel period is over; cancel the old server only once the customer confirms no "
            "more mail arrives there.\n";
    return out;
}

}  // namespace zonegen
