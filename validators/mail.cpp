#include "validators/mail.hpp"

#include <cctype>
#include <functional>
#include <map>

#include "zonegen/spf.hpp"

namespace zonegen {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::vector<std::string> dmarc_problems(const std::string& text) {
    std::vector<std::string> out;
    std::vector<std::pair<std::string, std::string>> tags;
    std::size_t i = 0;
    while (i <= text.size()) {
        std::size_t j = text.find(';', i);
        if (j == std::string::npos) j = text.size();
        std::string part = text.substr(i, j - i);
        auto b = part.find_first_not_of(" \t"), e = part.find_last_not_of(" \t");
        part = b == std::string::npos ? "" : part.substr(b, e - b + 1);
        if (!part.empty()) {
            auto eq = part.find('=');
            if (eq == std::string::npos) {
                out.push_back("tag without '=': '" + part + "'");
            } else {
                auto k = part.substr(0, eq), v = part.substr(eq + 1);
                auto kb = k.find_last_not_of(" \t");
                k = kb == std::string::npos ? "" : k.substr(0, kb + 1);
                auto vb = v.find_first_not_of(" \t");
                v = vb == std::string::npos ? "" : v.substr(vb);
                tags.emplace_back(k, v);
            }
        }
        i = j + 1;
    }
    if (tags.empty() || tags[0].first != "v" || tags[0].second != "DMARC1") {
        out.push_back("must start with v=DMARC1");
        return out;
    }
    bool p = false;
    for (std::size_t k = 1; k < tags.size(); ++k) {
        const auto& [tag, v] = tags[k];
        std::string lv = lower(v);
        if (tag == "p" || tag == "sp") {
            if (lv != "none" && lv != "quarantine" && lv != "reject")
                out.push_back(tag + "=" + v + " is not none, quarantine or reject");
            if (tag == "p") {
                p = true;
                if (k != 1) out.push_back("p= should follow v=DMARC1 directly");
            }
        } else if (tag == "adkim" || tag == "aspf") {
            if (lv != "r" && lv != "s") out.push_back(tag + "=" + v + " is not r or s");
        } else if (tag == "pct") {
            bool digits = !v.empty() && v.size() <= 3;
            for (char ch : v) digits &= std::isdigit(static_cast<unsigned char>(ch)) != 0;
            if (!digits || std::stoi(v) > 100) out.push_back("pct=" + v + " is not 0..100");
        } else if (tag == "rua" || tag == "ruf") {
            if (lower(v).rfind("mailto:", 0) != 0 && lower(v).rfind("https:", 0) != 0)
                out.push_back(tag + "=" + v + " is not a mailto: URI");
        }
    }
    if (!p) out.push_back("no p= policy tag");
    return out;
}

void check_mail(const Zone& z, const std::vector<const RRset*>& txt, const ValidateOptions& opts,
                std::vector<Finding>& out) {
    auto add = [&](std::string_view id, const Name& owner, std::string msg, int line) {
        Finding f = make_finding(id, &owner, rrtype::TXT, std::move(msg), line);
        f.file = line ? opts.file : "";
        out.push_back(std::move(f));
    };
    // name -> SPF text, for counting lookups through in-zone includes.
    std::map<Name, std::string> spf_at;
    for (const RRset* tp : txt) {
        const RRset& set = *tp;
        int spf_count = 0;
        for (const auto& rr : set.rrs) {
            std::string text;
            try {
                text = join_txt(rr.rdata);
            } catch (const RdataError&) {
                continue;
            }
            if (is_spf(rr.rdata)) {
                if (++spf_count == 2)
                    add("spf-multiple", set.owner,
                        "a second v=spf1 record: receivers then fail SPF with permerror", rr.line);
                spf_at[set.owner] = text;
                auto syn = parse_spf(text);
                for (const auto& e : syn.errors) add("spf-syntax", set.owner, "SPF: " + e, rr.line);
            }
            if (set.owner.first_label() == "_dmarc" && text.rfind("v=DMARC1", 0) == 0)
                for (const auto& p : dmarc_problems(text))
                    add("dmarc-syntax", set.owner, "DMARC: " + p, rr.line);
        }
    }
    // Lookup counts, following includes inside the zone.
    for (const auto& [name, text] : spf_at) {
        std::set<Name> unknown;
        std::set<Name> visiting;
        std::function<int(const std::string&, int)> count = [&](const std::string& t,
                                                                int depth) -> int {
            auto syn = parse_spf(t);
            int n = syn.lookups;
            if (depth > 10) return n;
            for (const auto& inc : syn.includes) {
                auto it = spf_at.find(inc);
                if (it != spf_at.end() && !visiting.count(inc)) {
                    visiting.insert(inc);
                    n += count(it->second, depth + 1);
                    visiting.erase(inc);
                } else if (it == spf_at.end()) {
                    unknown.insert(inc);
                }
            }
            return n;
        };
        visiting.insert(name);
        int n = count(text, 0);
        const RRset* set = z.find(name, rrtype::TXT);
        int line = set ? set->line() : 0;
        if (n > 10)
            add("spf-lookups", name, "SPF needs " + std::to_string(n) + " DNS lookups (at most 10)",
                line);
        for (const auto& u : unknown)
            add("spf-include-unknown", name,
                "SPF includes " + u.to_string() +
                    ", which cannot be resolved offline: its lookups are not counted",
                line);
    }
}

}  // namespace zonegen
