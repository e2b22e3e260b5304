#include "zonegen/yaml_json.hpp"

#include <nlohmann/json.hpp>
#include <regex>

#include "zonegen/yaml_util.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;

json plain_scalar(const std::string& s) {
    static const std::regex null_re("~|null|Null|NULL|");
    static const std::regex true_re("true|True|TRUE"), false_re("false|False|FALSE");
    static const std::regex int_re("[-+]?[0-9]+");
    static const std::regex float_re(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (std::regex_match(s, null_re)) return nullptr;
    if (std::regex_match(s, true_re)) return true;
    if (std::regex_match(s, false_re)) return false;
    try {
        if (std::regex_match(s, int_re)) return std::stoll(s);
        if (std::regex_match(s, float_re)) return std::stod(s);
    } catch (const std::out_of_range&) {
    }
    return s;  // out of range, or not a number: the text itself
}

json to_json(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Map: {
            json o = json::object();
            for (const auto& kv : n) o[kv.first.Scalar()] = to_json(kv.second);
            return o;
        }
        case YAML::NodeType::Sequence: {
            json a = json::array();
            for (const auto& v : n) a.push_back(to_json(v));
            return a;
        }
        case YAML::NodeType::Scalar:
            // yaml-cpp tags a quoted scalar "!", a plain one "?".
            return n.Tag() == "!" ? json(n.Scalar()) : plain_scalar(n.Scalar());
        default:
            return nullptr;
    }
}

}  // namespace

json yaml_text_to_json(const std::string& text, const std::string& source) {
    return to_json(yamlx::load(text, source, yamlx::Doc::profile));
}

}  // namespace zonegen
