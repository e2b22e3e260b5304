#include "zonegen/history.hpp"

#include "zonegen/domain.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/output.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;

// A field as text: a string as it is (control characters escaped), anything else as JSON.
std::string field(const json& e, const char* key) {
    if (!e.contains(key) || e[key].is_null()) return "-";
    const json& v = e[key];
    return printable(v.is_string() ? v.get<std::string>() : dump_json(v));
}

// A step as the plan showed it: its text, or the text of its description.
std::string step_text(const json& s) {
    if (s.is_string()) return printable(s.get<std::string>());
    if (s.is_object())
        for (const char* k : {"description", "text", "summary"})
            if (s.contains(k) && s[k].is_string()) return printable(s[k].get<std::string>());
    return printable(dump_json(s));
}

std::string who(const json& e) {
    std::string w = field(e, "user");
    if (e.contains("actor") && !e["actor"].is_null()) w += " for " + field(e, "actor");
    return w;
}

// Why a failed entry failed, when its result says so.
std::string failure(const json& e) {
    if (!e.contains("result") || !e["result"].is_object()) return "";
    const json& r = e["result"];
    const json& err = r.contains("error") && r["error"].is_object() ? r["error"] : r;
    return err.contains("message") && err["message"].is_string()
               ? printable(err["message"].get<std::string>())
               : "";
}

}  // namespace

Name history_zone(const std::string& text) {
    try {
        return to_a_labels(text);
    } catch (const DomainError& e) {
        throw UsageError("ZONE '" + printable(text) + "': " + e.what());
    } catch (const NameError& e) {
        throw UsageError("ZONE '" + printable(text) + "': " + e.what());
    }
}

json history_json(const std::vector<json>& entries) {
    json list = json::array();
    for (const auto& e : entries) list.push_back(e);
    return list;
}

std::string history_text(const std::vector<json>& entries, const Name& zone,
                         const std::string& journal_path) {
    if (entries.empty())
        return "no entries for " + zone.to_string() + " in the journal " + printable(journal_path) +
               "\n";
    std::string out;
    for (const auto& e : entries) {
        out += field(e, "time") + "  " + field(e, "id") + "  " + field(e, "status") + "  " +
               field(e, "command") + "  by " + who(e) + "  on " + field(e, "target") + "\n";
        if (std::string why = failure(e); !why.empty()) out += "    failed: " + why + "\n";
        const json& steps = e.contains("steps") ? e["steps"] : json();
        if (steps.is_array())
            for (const auto& s : steps) out += "    " + step_text(s) + "\n";
        else if (!steps.is_null())
            out += "    " + step_text(steps) + "\n";
    }
    return out;
}

}  // namespace zonegen
