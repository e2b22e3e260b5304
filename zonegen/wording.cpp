#include "zonegen/wording.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "zonegen/errors.hpp"

namespace zonegen {

// generated/builtin_templates.cpp (CMake): every file of templates/, compiled in.
struct BuiltinTemplate {
    const char* name;
    const char* text;
};
extern const BuiltinTemplate kBuiltinTemplates[];
extern const std::size_t kBuiltinTemplateCount;

namespace {

namespace mu = kainjow::mustache;

mu::data to_data(const nlohmann::json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::object: {
            mu::data d{mu::data::type::object};
            for (const auto& [k, v] : j.items()) d.set(k, to_data(v));
            return d;
        }
        case nlohmann::json::value_t::array: {
            mu::data d{mu::data::type::list};
            for (const auto& v : j) d.push_back(to_data(v));
            return d;
        }
        case nlohmann::json::value_t::string:
            return mu::data{j.get<std::string>()};
        case nlohmann::json::value_t::boolean:
            return mu::data{j.get<bool>()};
        case nlohmann::json::value_t::null:
            return mu::data{false};
        default:
            return mu::data{j.dump()};
    }
}

// A tag of a template: its kind ('#', '^', '/', '&' or ' ' for a value) and its name.
struct Tag {
    char kind;
    std::string name;
};

// The tags of `tmpl` in order, comments left out. A partial or a change of delimiters is
// refused: the texts need neither.
std::vector<Tag> tags_of(const std::string& tmpl, const std::string& where) {
    std::vector<Tag> tags;
    std::size_t pos = 0;
    while ((pos = tmpl.find("{{", pos)) != std::string::npos) {
        std::size_t end = tmpl.find("}}", pos + 2);
        if (end == std::string::npos) throw InputError(where + ": '{{' without '}}'");
        std::string tag = tmpl.substr(pos + 2, end - pos - 2);
        pos = end + 2;
        if (!tag.empty() && tag.front() == '{' && pos < tmpl.size() && tmpl[pos] == '}') ++pos;
        if (tag.empty() || tag.front() == '!') continue;
        if (tag.front() == '>' || tag.front() == '=')
            throw InputError(where + ": '{{" + tag +
                             "}}': partials and delimiter changes are "
                             "not supported");
        char kind = ' ';
        if (std::string("#^/&{").find(tag.front()) != std::string::npos) {
            kind = tag.front() == '{' ? '&' : tag.front();
            tag.erase(0, 1);
        }
        auto b = tag.find_first_not_of(" \t"), e = tag.find_last_not_of(" \t");
        if (b == std::string::npos) throw InputError(where + ": an empty tag");
        tags.push_back({kind, tag.substr(b, e - b + 1)});
    }
    return tags;
}

// Mustache's lookup: the first part of a dotted name in the innermost context that has it,
// the rest inside that; "." is the current item. Null when no context has it.
const nlohmann::json* lookup(const std::vector<const nlohmann::json*>& stack,
                             const std::string& name) {
    if (name == ".") return stack.back();
    const std::string first = name.substr(0, name.find('.'));
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
        if (!(*it)->is_object() || !(*it)->contains(first)) continue;
        const nlohmann::json* v = &(**it)[first];
        for (std::size_t p = first.size(); p < name.size() && v;) {
            std::size_t q = name.find('.', p + 1);
            std::string part = name.substr(p + 1, q == std::string::npos ? q : q - p - 1);
            v = v->is_object() && v->contains(part) ? &(*v)[part] : nullptr;
            p = q == std::string::npos ? name.size() : q;
        }
        return v;
    }
    return nullptr;
}

bool truthy(const nlohmann::json& v) {
    if (v.is_null()) return false;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_array()) return !v.empty();
    return true;
}

// Every name the tags in [b, e) use is given where they would be rendered: a misspelt name
// is an error, never an empty gap. A section not rendered (false, an empty list) is not
// looked into; a list's items are each checked.
void check_names(const std::vector<Tag>& tags, std::size_t b, std::size_t e,
                 std::vector<const nlohmann::json*>& stack, const std::string& where) {
    for (std::size_t i = b; i < e; ++i) {
        const Tag& t = tags[i];
        if (t.kind == '/') throw InputError(where + ": '{{/" + t.name + "}}' closes nothing");
        const nlohmann::json* v = lookup(stack, t.name);
        if (!v) throw InputError(where + ": unknown name '{{" + t.name + "}}'");
        if (t.kind != '#' && t.kind != '^') continue;
        std::size_t close = i + 1;
        for (int depth = 0; close < e; ++close) {
            if (tags[close].name != t.name) continue;
            if (tags[close].kind == '#' || tags[close].kind == '^') ++depth;
            if (tags[close].kind == '/' && depth-- == 0) break;
        }
        if (close >= e) throw InputError(where + ": '{{" + t.name + "}}' is not closed");
        if (t.kind == '^' && !truthy(*v)) {
            check_names(tags, i + 1, close, stack, where);
        } else if (t.kind == '#' && v->is_array()) {
            for (const auto& item : *v) {
                stack.push_back(&item);
                check_names(tags, i + 1, close, stack, where);
                stack.pop_back();
            }
        } else if (t.kind == '#' && truthy(*v)) {
            stack.push_back(v);
            check_names(tags, i + 1, close, stack, where);
            stack.pop_back();
        }
        i = close;
    }
}

// A mark no text holds: what strip_standalone leaves after the tags it keeps, so that the
// library's own (partial) handling of standalone lines never sees one; removed after.
constexpr char kMark = '\x01';

// Mustache's standalone lines: a line that holds only section tags (and blanks) leaves
// nothing, not even its line break, so a conditional paragraph sits on lines of its own.
std::string strip_standalone(const std::string& tmpl) {
    std::string out;
    std::size_t i = 0;
    while (i < tmpl.size()) {
        std::size_t e = tmpl.find('\n', i);
        const bool last = e == std::string::npos;
        std::string line = tmpl.substr(i, last ? std::string::npos : e - i);
        std::string rest = line;
        rest.erase(0, rest.find_first_not_of(" \t"));
        bool standalone = !rest.empty();
        std::string tags;
        while (standalone && !rest.empty()) {
            std::size_t close = rest.find("}}");
            standalone = rest.size() > 3 && rest.compare(0, 2, "{{") == 0 &&
                         std::string("#^/!").find(rest[2]) != std::string::npos &&
                         close != std::string::npos;
            if (!standalone) break;
            tags += rest.substr(0, close + 2);
            rest.erase(0, close + 2);
            rest.erase(0, rest.find_first_not_of(" \t") == std::string::npos
                              ? rest.size()
                              : rest.find_first_not_of(" \t"));
        }
        out += standalone ? tags + kMark : line + (last ? "" : "\n");
        i = last ? tmpl.size() : e + 1;
    }
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A YAML mapping flattened to "a.b.c" -> text, each leaf a string.
void flatten(const YAML::Node& n, const std::string& prefix, const std::string& source,
             std::map<std::string, std::string>& out) {
    if (!n.IsMap())
        throw InputError(source + ":" + std::to_string(n.Mark().line + 1) + ": '" + prefix +
                         "' must be a mapping of texts");
    for (const auto& kv : n) {
        std::string key = (prefix.empty() ? "" : prefix + ".") + kv.first.Scalar();
        if (kv.second.IsMap())
            flatten(kv.second, key, source, out);
        else if (kv.second.IsScalar())
            out[key] = kv.second.Scalar();
        else
            throw InputError(source + ":" + std::to_string(kv.second.Mark().line + 1) + ": '" +
                             key + "' must be a text");
    }
}

std::map<std::string, std::string> load_texts(const TemplateFile& f) {
    std::map<std::string, std::string> out;
    try {
        YAML::Node root = YAML::Load(f.text);
        if (!root.IsNull()) flatten(root, "", f.source, out);
    } catch (const YAML::Exception& e) {
        throw InputError(f.source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    return out;
}

}  // namespace

std::optional<TemplateFile> find_template(const std::string& name, const std::string& dir) {
    if (!dir.empty()) {
        const std::string path = dir + "/" + name;
        if (std::ifstream(path).good()) return TemplateFile{read_file(path), path};
    }
    for (std::size_t i = 0; i < kBuiltinTemplateCount; ++i)
        if (name == kBuiltinTemplates[i].name)
            return TemplateFile{kBuiltinTemplates[i].text, "templates/" + name + " (built-in)"};
    return std::nullopt;
}

std::string render_mustache(const std::string& tmpl, const nlohmann::json& ctx, bool html,
                            const std::string& where) {
    const auto tags = tags_of(tmpl, where);
    std::vector<const nlohmann::json*> stack{&ctx};
    check_names(tags, 0, tags.size(), stack, where);
    mu::mustache m{strip_standalone(tmpl)};
    if (!m.is_valid()) throw InputError(where + ": " + m.error_message());
    if (!html) m.set_custom_escape([](const std::string& s) { return s; });
    std::string r = m.render(to_data(ctx));
    r.erase(std::remove(r.begin(), r.end(), kMark), r.end());
    return r;
}

Wording::Wording(const std::string& doc, const std::string& lang, const std::string& dir)
    : lang_(lang) {
    const std::string name = doc + "." + lang + ".yaml";
    auto builtin = find_template(name, "");
    if (!builtin) throw std::logic_error("no built-in template " + name);
    for (auto& [k, v] : load_texts(*builtin)) texts_[k] = {v, builtin->source};
    auto mine = find_template(name, dir);
    if (!mine || mine->source == builtin->source) return;
    for (auto& [k, v] : load_texts(*mine)) {
        if (!texts_.count(k))
            throw InputError(mine->source + ": '" + k + "' is not a text of " + name);
        texts_[k] = {v, mine->source};
    }
}

const Wording& Wording::builtin(const std::string& doc, const std::string& lang) {
    static std::mutex mu;
    static std::map<std::string, Wording> cache;  // nodes never move: references stay valid
    std::lock_guard lock(mu);
    const std::string id = doc + "." + lang;
    auto it = cache.find(id);
    if (it == cache.end()) it = cache.emplace(id, Wording(doc, lang)).first;
    return it->second;
}

std::string Wording::say(const std::string& key, const nlohmann::json& ctx) const {
    auto it = texts_.find(key);
    if (it == texts_.end()) throw std::logic_error("no text '" + key + "' for " + lang_);
    std::string s = render_mustache(it->second.text, ctx, false, it->second.source + ": " + key);
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

}  // namespace zonegen
