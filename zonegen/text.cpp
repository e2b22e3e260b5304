#include "zonegen/text.hpp"

namespace zonegen {

std::string bare(const Name& n) {
    std::string s = n.to_string();
    if (s.size() > 1) s.pop_back();
    return s;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
}

}  // namespace zonegen
