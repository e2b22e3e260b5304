#include "zonegen/target.hpp"

#include "zonegen/errors.hpp"

namespace zonegen {

const char* to_string(Role r) {
    switch (r) {
        case Role::absent:
            return "absent";
        case Role::primary:
            return "primary";
        case Role::secondary:
            return "secondary";
    }
    return "absent";
}

nlohmann::json step_json(const PlanStep& s) {
    nlohmann::json j = {{"subject", s.subject}, {"server", s.server}, {"text", s.text},
                        {"before", s.before},   {"after", s.after},   {"requests", s.requests}};
    if (s.secret) j["names_secret"] = true;
    if (s.writes_records) j["writes_records"] = true;
    return j;
}

PlanStep step_from_json(const nlohmann::json& j) {
    try {
        PlanStep s;
        s.subject = j.at("subject").get<std::string>();
        s.server = j.at("server").get<std::string>();
        s.text = j.at("text").get<std::string>();
        s.before = j.at("before");
        s.after = j.at("after");
        s.requests = j.at("requests").get<std::vector<std::string>>();
        s.secret = j.value("names_secret", false);
        s.writes_records = j.value("writes_records", false);
        return s;
    } catch (const nlohmann::json::exception& e) {
        throw InputError(std::string("plan file: a step: ") + e.what());
    }
}

}  // namespace zonegen
