#include "zonegen/yaml_util.hpp"

#include <charconv>

#include "zonegen/address.hpp"
#include "zonegen/domain.hpp"
#include "zonegen/errors.hpp"

namespace zonegen::yamlx {

int line_of(const YAML::Node& n) {
    if (!n.IsDefined()) return 0;
    auto m = n.Mark();
    return m.is_null() ? 0 : m.line + 1;
}

void fail(const std::string& source, const YAML::Node& at, const std::string& path,
          const std::string& message) {
    std::string where = source;
    int line = line_of(at);
    if (line > 0) where += ":" + std::to_string(line);
    throw InputError(where + ": " + (path.empty() ? "" : "'" + path + "': ") + message);
}

YAML::Node load(const std::string& text, const std::string& source) {
    for (char c : text)
        if (c == '\0')
            throw InputError(source + ": contains a NUL byte; not a YAML or JSON document");
    // One document only. (YAML::LoadAll is not used: yaml-cpp 0.7 loops forever on some
    // malformed streams there; found by fuzzing.)
    bool content = false;
    std::size_t i = 0;
    int line = 1;
    while (i < text.size()) {
        std::size_t e = text.find('\n', i);
        if (e == std::string::npos) e = text.size();
        std::string_view l(text.data() + i, e - i);
        bool marker = l.substr(0, 3) == "---" && (l.size() == 3 || l[3] == ' ' || l[3] == '\r');
        if (marker && content)
            throw InputError(source + ":" + std::to_string(line) + ": more than one YAML document");
        auto b = l.find_first_not_of(" \t\r");
        if (!marker && b != std::string_view::npos && l[b] != '#') content = true;
        i = e + 1;
        ++line;
    }
    try {
        YAML::Node doc = YAML::Load(text);
        if (!doc.IsDefined() || doc.IsNull())
            throw InputError(source + ": empty document, or not a YAML mapping");
        return doc;
    } catch (const YAML::Exception& e) {
        std::string where = source;
        if (!e.mark.is_null()) where += ":" + std::to_string(e.mark.line + 1);
        throw InputError(where + ": not valid YAML or JSON: " + e.msg);
    }
}

Map::Map(const YAML::Node& node, std::string source, std::string path)
    : node_(node), source_(std::move(source)), path_(std::move(path)) {
    if (!node.IsMap()) fail(source_, node, path_, "must be a mapping of keys to values");
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) fail(source_, it->first, path_, "a key must be a plain string");
        const auto& k = it->first.Scalar();
        if (!seen.insert(k).second) fail(source_, it->first, this->path(k), "duplicated key");
    }
}

YAML::Node Map::get(const std::string& key) {
    asked_.insert(key);
    for (auto it = node_.begin(); it != node_.end(); ++it)
        if (it->first.Scalar() == key) return it->second;
    return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node Map::require(const std::string& key) {
    auto n = get(key);
    if (!n.IsDefined() || n.IsNull()) fail(source_, node_, path(key), "required key is missing");
    return n;
}

bool Map::has(const std::string& key) const {
    for (auto it = node_.begin(); it != node_.end(); ++it)
        if (it->first.Scalar() == key) return true;
    return false;
}

void Map::finish() const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        const auto& k = it->first.Scalar();
        if (!asked_.count(k)) {
            std::string known;
            for (const auto& a : asked_) known += (known.empty() ? "" : ", ") + a;
            fail(source_, it->first, path(k), "unknown key (known here: " + known + ")");
        }
    }
}

std::string scalar(const YAML::Node& n, const std::string& source, const std::string& path) {
    if (!n.IsScalar()) fail(source, n, path, "must be a single value, not a list or mapping");
    return n.Scalar();
}

std::uint32_t uint32(const YAML::Node& n, const std::string& source, const std::string& path,
                     std::uint32_t max) {
    auto s = scalar(n, source, path);
    std::uint64_t v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || v > max)
        fail(source, n, path, "'" + s + "' is not a whole number from 0 to " + std::to_string(max));
    return static_cast<std::uint32_t>(v);
}

std::uint32_t ttl(const YAML::Node& n, const std::string& source, const std::string& path) {
    auto s = scalar(n, source, path);
    std::uint64_t total = 0, cur = 0;
    bool digits = false, any = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            cur = cur * 10 + static_cast<unsigned>(c - '0');
            digits = true;
            if (cur > 0xffffffffull) break;
            continue;
        }
        std::uint64_t mult = 0;
        switch (c | 0x20) {
            case 's':
                mult = 1;
                break;
            case 'm':
                mult = 60;
                break;
            case 'h':
                mult = 3600;
                break;
            case 'd':
                mult = 86400;
                break;
            case 'w':
                mult = 604800;
                break;
            default:
                mult = 0;
        }
        if (!digits || mult == 0) {
            total = ~0ull;
            break;
        }
        total += cur * mult;
        cur = 0;
        digits = false;
        any = true;
    }
    total += cur;
    if (s.empty() || (!digits && !any) || total > 2147483647ull)
        fail(source, n, path,
             "'" + s + "' is not a TTL (seconds from 0 to 2147483647, or units such as 1h, 2d)");
    return static_cast<std::uint32_t>(total);
}

bool boolean(const YAML::Node& n, const std::string& source, const std::string& path) {
    auto s = scalar(n, source, path);
    if (s == "true") return true;
    if (s == "false") return false;
    fail(source, n, path, "'" + s + "' is not true or false");
}

void sequence(const YAML::Node& n, const std::string& source, const std::string& path) {
    if (!n.IsSequence()) fail(source, n, path, "must be a list");
}

std::vector<std::string> strings(const YAML::Node& n, const std::string& source,
                                 const std::string& path) {
    sequence(n, source, path);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n.size(); ++i)
        out.push_back(scalar(n[i], source, path + "[" + std::to_string(i) + "]"));
    return out;
}

std::vector<std::string> addresses(const YAML::Node& n, const std::string& src,
                                   const std::string& path, bool v6) {
    std::vector<std::string> out;
    if (!n.IsDefined() || n.IsNull()) return out;
    sequence(n, src, path);
    for (std::size_t i = 0; i < n.size(); ++i) {
        std::string p = path + "[" + std::to_string(i) + "]";
        auto s = scalar(n[i], src, p);
        auto a = v6 ? canonical_ipv6(s) : canonical_ipv4(s);
        if (!a) fail(src, n[i], p, "'" + s + "' is not an " + (v6 ? "IPv6" : "IPv4") + " address");
        for (const auto& prev : out)
            if (prev == *a) fail(src, n[i], p, "address " + *a + " listed twice");
        out.push_back(*a);
    }
    return out;
}

std::size_t one_of(const YAML::Node& n, const std::string& src, const std::string& path,
                   const std::vector<std::string>& choices) {
    auto s = scalar(n, src, path);
    std::string listed;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (s == choices[i]) return i;
        listed += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
    }
    fail(src, n, path, "'" + s + "' is not " + listed);
}

Name host_name(const YAML::Node& n, const std::string& src, const std::string& path) {
    try {
        return to_a_labels(scalar(n, src, path));
    } catch (const DomainError& e) {
        fail(src, n, path, e.what());
    }
}

}  // namespace zonegen::yamlx
