// A finding: one problem (or remark) about a zone or a spec, reported by a check.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zonegen {

enum class Severity { warning, error };

struct Finding {
    std::string check;  // stable id, e.g. "cname-and-other-data"
    Severity severity = Severity::error;
    std::string owner;                  // absolute lower-case name with trailing dot, or ""
    std::optional<std::uint16_t> type;  // RR type, when the finding is about one
    std::string message;
    int line = 0;      // 1-based source line, 0 when unknown
    std::string file;  // source file, "" when none
};

const char* to_string(Severity s);

// Appends the findings of `more` that `to` does not hold yet (the same check, owner and
// message): generation and validation may both say a thing (mta-sts-*), once is enough.
inline void add_new_findings(std::vector<Finding>& to, std::vector<Finding> more) {
    const std::size_t n = to.size();
    for (auto& f : more)
        if (std::none_of(
                to.begin(), to.begin() + static_cast<std::ptrdiff_t>(n), [&](const Finding& g) {
                    return g.check == f.check && g.owner == f.owner && g.message == f.message;
                }))
            to.push_back(std::move(f));
}

inline std::size_t count_errors(const std::vector<Finding>& fs) {
    std::size_t n = 0;
    for (const auto& f : fs) n += f.severity == Severity::error;
    return n;
}

}  // namespace zonegen
