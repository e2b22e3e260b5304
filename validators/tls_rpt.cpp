#include "validators/tls_rpt.hpp"

#include "validators/policy_text.hpp"

namespace zonegen {

std::vector<std::string> tls_rpt_problems(const std::string& text) {
    std::vector<std::string> out;
    std::vector<PolicyTag> tags = policy_tags(text, out);
    for (auto& p : versioned_fields_problems(tags, "v=TLSRPTv1", {"rua"}))
        out.push_back(std::move(p));
    if (!out.empty() && out.back() == "must start with v=TLSRPTv1") return out;
    bool rua = false;
    for (const auto& t : tags) {
        if (t.name != "rua" || rua) continue;
        rua = true;
        for (auto& p : report_uris_problems("rua", t.value, false)) out.push_back(std::move(p));
    }
    if (!rua) out.push_back("no rua= (where the reports go)");
    return out;
}

}  // namespace zonegen
