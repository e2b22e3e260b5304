// The words of what a customer reads: the texts live in templates/ as data (one file per
// language, Mustache strings keyed by id), compiled into the program and replaceable
// file by file from the profile's texts_dir, so a provider adjusts wording without a
// rebuild. C++ assembles the facts (a JSON object) and asks for a text by its key; it holds
// no prose.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace zonegen {

// A template file by name ("instructions.ja.yaml", "instructions.html.mustache"): the one
// in `dir` when it has it, else the built-in one; nullopt when neither exists.
struct TemplateFile {
    std::string text;
    std::string source;  // "templates/NAME (built-in)" or the override's path
};
std::optional<TemplateFile> find_template(const std::string& name, const std::string& dir);

// Renders a Mustache template with `ctx`. `html` escapes values (& < > " '), otherwise they
// are inserted as they are. Every name a tag uses must be found where the tag is rendered,
// as Mustache looks names up (the innermost section's item first, then outwards): a
// misspelt name is an InputError naming `where`, never an empty gap. What is not rendered
// (a false section, an empty list) is not looked into.
std::string render_mustache(const std::string& tmpl, const nlohmann::json& ctx, bool html,
                            const std::string& where);

// The texts of one document in one language: `<doc>.<lang>.yaml`, a YAML mapping whose
// nested keys join with '.' ("steps.ns_change.title") and whose leaves are Mustache
// strings. An override file may give only some keys; the others stay built-in, and a key
// the built-in file does not have is refused (a typo would otherwise be ignored).
class Wording {
  public:
    // Throws InputError for an override file that is not such a mapping.
    Wording(const std::string& doc, const std::string& lang, const std::string& dir = "");
    // The built-in texts of `doc` in `lang`, parsed once per process (thread-safe; the
    // engineer-facing paths use the English ones on every call).
    static const Wording& builtin(const std::string& doc, const std::string& lang);

    const std::string& lang() const { return lang_; }
    bool has(const std::string& key) const { return texts_.count(key) != 0; }
    // The text of `key` rendered with `ctx`, without the final newline a YAML block leaves.
    // An unknown key is a std::logic_error (the program asks only for keys it ships).
    std::string say(const std::string& key, const nlohmann::json& ctx) const;

  private:
    struct Entry {
        std::string text, source;
    };
    std::string lang_;
    std::map<std::string, Entry> texts_;
};

}  // namespace zonegen
