#include "zonegen/yaml_util.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

#include "zonegen/address.hpp"
#include "zonegen/domain.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen::yamlx {
namespace {

// "not valid UTF-8 (byte 0x82, WHERE): ..." for the byte at `at` of `s`.
std::string not_utf8(std::string_view s, std::size_t at, const std::string& where) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(s[at]));
    return std::string("not valid UTF-8 (byte ") + byte + ", " + where +
           "): save the file as UTF-8 (Shift_JIS and other encodings are not read)";
}

// The first control character (a NUL, a newline...; a tab is allowed) in `s`, or npos.
std::size_t control_at(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\t') || c == 0x7f) return i;
    }
    return std::string_view::npos;
}

// What is wrong with one key or value, or "": not UTF-8 (a raw byte, or an escape such as
// "\ud800" that decodes to no character), or, in a spec, a control character ("\u0000").
// `what` is "key" or "value".
std::string scalar_problem(const std::string& s, bool spec, const char* what) {
    if (auto at = utf8_error_at(s); at != std::string::npos)
        return std::string("the ") + what + " is " +
               not_utf8(s, at, "its octet " + std::to_string(at + 1));
    if (auto at = control_at(s); spec && at != std::string::npos)
        return "control character (octet " + std::to_string(at + 1) + ") in the " + what +
               ", which no name or record data may hold: '" + printable(s) + "'";
    return "";
}

// The first key or value of `n` that scalar_problem() refuses, with its key path and line.
void require_clean(const YAML::Node& n, const std::string& source, const std::string& path,
                   bool spec) {
    if (n.IsScalar()) {
        if (auto why = scalar_problem(n.Scalar(), spec, "value"); !why.empty())
            fail(source, n, path, why);
    } else if (n.IsSequence()) {
        std::size_t i = 0;
        for (auto it = n.begin(); it != n.end(); ++it, ++i)
            require_clean(*it, source, path + "[" + std::to_string(i) + "]", spec);
    } else if (n.IsMap()) {
        for (auto it = n.begin(); it != n.end(); ++it) {
            // Copies: `it->first` is a member of a temporary the iterator hands out.
            const YAML::Node k = it->first, v = it->second;
            std::string key = k.IsScalar() ? k.Scalar() : "?";
            std::string p = path.empty() ? printable(key) : path + "." + printable(key);
            if (auto why = scalar_problem(key, spec, "key"); !why.empty()) fail(source, k, p, why);
            require_clean(k, source, path, spec);
            require_clean(v, source, p, spec);
        }
    }
}

// A byte-order mark of UTF-16 or UTF-32 (Notepad's "Unicode"), refused by name rather than
// as the NUL bytes it is full of.
void refuse_utf16_32(std::string_view text, const std::string& source) {
    const char* enc = nullptr;
    if (text.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4) ||
        text.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4))
        enc = "UTF-32";
    else if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF")
        enc = "UTF-16";
    if (enc) throw InputError(printable(source) + ": the file is " + enc + "; save it as UTF-8");
}

// A pass over the parse events, linear in the text, before any node is walked: a spec may
// hold no anchor or alias (nested aliases make a walk exponential: "billion laughs").
class AliasRefuser : public YAML::EventHandler {
  public:
    explicit AliasRefuser(const std::string& source) : source_(source) {}
    int first_line = 0;  // of the document's first node
    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& m, YAML::anchor_t a) override { node(m, a); }
    void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { refuse(m); }
    void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                  const std::string&) override {
        node(m, a);
    }
    void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                         YAML::EmitterStyle::value) override {
        node(m, a);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                    YAML::EmitterStyle::value) override {
        node(m, a);
    }
    void OnMapEnd() override {}
    void OnAnchor(const YAML::Mark& m, const std::string&) override { refuse(m); }

  private:
    const std::string& source_;
    void node(const YAML::Mark& m, YAML::anchor_t anchor) {
        if (first_line == 0) first_line = m.line + 1;
        if (anchor != YAML::NullAnchor) refuse(m);
    }
    [[noreturn]] void refuse(const YAML::Mark& m) {
        throw InputError(printable(source_) + ":" + std::to_string(m.line + 1) +
                         ": YAML aliases are not accepted in a spec (nor anchors, & and *): "
                         "write each value out");
    }
};

// Spec documents: no anchors or aliases, and nothing after the one document (a second
// JSON object after the first, say).
void check_spec_events(const std::string& text, const std::string& source) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    AliasRefuser first(source);
    if (!parser.HandleNextDocument(first)) return;
    AliasRefuser rest(source);
    if (parser.HandleNextDocument(rest))
        throw InputError(printable(source) + ":" + std::to_string(rest.first_line) +
                         ": text after the end of the spec document at line " +
                         std::to_string(rest.first_line));
}

// The line of byte `at` of `text`, 1-based.
int line_at(const std::string& text, std::size_t at) {
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

// Optimal string alignment distance (Levenshtein with transpositions), ignoring case.
std::size_t edit_distance(const std::string& a, const std::string& b) {
    auto lower = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

}  // namespace

int line_of(const YAML::Node& n) {
    if (!n.IsDefined()) return 0;
    auto m = n.Mark();
    return m.is_null() ? 0 : m.line + 1;
}

void fail(const std::string& source, const YAML::Node& at, const std::string& path,
          const std::string& message) {
    std::string where = printable(source);
    int line = line_of(at);
    if (line > 0) where += ":" + std::to_string(line);
    throw InputError(where + ": " + (path.empty() ? "" : "'" + printable(path) + "': ") +
                     printable(message));
}

YAML::Node load(const std::string& text, const std::string& source, Doc kind) {
    refuse_utf16_32(text, source);
    for (char c : text)
        if (c == '\0')
            throw InputError(printable(source) +
                             ": contains a NUL byte; not a YAML or JSON document");
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
            throw InputError(printable(source) + ":" + std::to_string(line) +
                             ": more than one YAML document");
        auto b = l.find_first_not_of(" \t\r");
        if (!marker && b != std::string_view::npos && l[b] != '#') content = true;
        i = e + 1;
        ++line;
    }
    const std::size_t bad = utf8_error_at(text);
    auto refuse_text = [&] {
        std::size_t bol = text.rfind('\n', bad);
        bol = bol == std::string::npos ? 0 : bol + 1;
        throw InputError(printable(source) + ":" + std::to_string(line_at(text, bad)) + ": " +
                         not_utf8(text, bad, "column " + std::to_string(bad - bol + 1)));
    };
    YAML::Node doc;
    try {
        if (kind == Doc::spec) check_spec_events(text, source);
        doc = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        if (bad != std::string::npos) refuse_text();
        std::string where = printable(source);
        if (!e.mark.is_null()) where += ":" + std::to_string(e.mark.line + 1);
        throw InputError(where + ": not valid YAML or JSON: " + printable(e.msg));
    }
    if (!doc.IsDefined() || doc.IsNull())
        throw InputError(printable(source) + ": empty document, or not a YAML mapping");
    require_clean(doc, source, "", kind == Doc::spec);
    if (bad != std::string::npos) refuse_text();  // in a comment, say
    return doc;
}

std::string closest_key(const std::string& key, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = key.size() >= 6 ? 3 : 2;
    for (const auto& c : candidates) {
        std::size_t gap = key.size() > c.size() ? key.size() - c.size() : c.size() - key.size();
        if (gap >= best_d) continue;  // too far apart (and a long key costs nothing)
        std::size_t d = edit_distance(key, c);
        if (d < best_d) {
            best = c;
            best_d = d;
        }
    }
    return best;
}

Map::Map(const YAML::Node& node, std::string source, std::string path,
         std::vector<std::string> keys)
    : node_(node), source_(std::move(source)), path_(std::move(path)), keys_(std::move(keys)) {
    if (!node.IsMap()) fail(source_, node, path_, "must be a mapping of keys to values");
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) fail(source_, it->first, path_, "a key must be a plain string");
        const auto& k = it->first.Scalar();
        if (!seen.insert(k).second) fail(source_, it->first, this->path(k), "duplicated key");
    }
    if (keys_.empty()) return;
    std::string known;
    for (const auto& k : keys_) known += (known.empty() ? "" : ", ") + k;
    for (auto it = node.begin(); it != node.end(); ++it)
        if (std::find(keys_.begin(), keys_.end(), it->first.Scalar()) == keys_.end())
            unknown(it->first, known);
}

void Map::unknown(const YAML::Node& key, const std::string& known_here) const {
    const auto& k = key.Scalar();
    std::vector<std::string> known = keys_;
    if (known.empty()) known.assign(asked_.begin(), asked_.end());
    std::string guess = closest_key(k, known);
    fail(source_, key, path(k),
         "unknown key `" + k + "` " +
             (guess.empty() ? "(known here: " + known_here + ")"
                            : "(did you mean `" + guess + "`?)"));
}

YAML::Node Map::get(const std::string& key) {
    auto n = raw(key);
    return n.IsNull() ? YAML::Node(YAML::NodeType::Undefined) : n;
}

YAML::Node Map::raw(const std::string& key) {
    asked_.insert(key);
    for (auto it = node_.begin(); it != node_.end(); ++it)
        if (it->first.Scalar() == key) return it->second;
    return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node Map::require(const std::string& key) {
    auto n = raw(key);
    if (!n.IsDefined()) fail(source_, node_, path(key), "required key is missing");
    if (n.IsNull()) fail(source_, n, path(key), "required key `" + key + "` is null");
    return n;
}

bool Map::has(const std::string& key) const {
    for (auto it = node_.begin(); it != node_.end(); ++it)
        if (it->first.Scalar() == key) return !it->second.IsNull();
    return false;
}

void Map::finish() const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (!asked_.count(it->first.Scalar())) {
            std::string known;
            for (const auto& a : asked_) known += (known.empty() ? "" : ", ") + a;
            unknown(it->first, known);
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
    auto refuse = [&](const std::string& why) {
        fail(source, n, path,
             "'" + s + "' is not a TTL (" + why +
                 "): a TTL is whole seconds from 0 to 2147483647, or units such as 1h30m or 2d");
    };
    std::string_view v = s;
    if (!v.empty() && v.front() == '-') refuse("negative");
    // 3600.0, as JSON encoders (PHP's json_encode) write a float with no fraction.
    if (auto dot = v.find('.'); dot != std::string_view::npos) {
        if (dot == 0 || v.substr(dot + 1).find_first_not_of('0') != std::string_view::npos ||
            v.substr(0, dot).find_first_not_of("0123456789") != std::string_view::npos)
            refuse("not a whole number");
        v = v.substr(0, dot);
    }
    if (v.empty()) refuse("empty");
    std::uint64_t total = 0, cur = 0;
    bool digits = false;
    for (char c : v) {
        if (c >= '0' && c <= '9') {
            cur = cur * 10 + static_cast<unsigned>(c - '0');
            digits = true;
            if (cur > 2147483647ull) refuse("above 2147483647 (RFC 2181 section 8)");
            continue;
        }
        static const std::string units = "smhdw";
        static const std::uint64_t mult[] = {1, 60, 3600, 86400, 604800};
        auto u = units.find(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        if (!digits || u == std::string::npos)
            refuse(c == 'e' || c == 'E' ? "an exponent"
                   : c == '_'           ? "a digit separator"
                                        : std::string("unexpected '") + c + "'");
        total += cur * mult[u];
        cur = 0;
        digits = false;
        if (total > 2147483647ull) refuse("above 2147483647 (RFC 2181 section 8)");
    }
    total += cur;
    if (total > 2147483647ull) refuse("above 2147483647 (RFC 2181 section 8)");
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
