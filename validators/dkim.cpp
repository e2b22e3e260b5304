#include "validators/dkim.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "zonegen/dkim.hpp"
#include "zonegen/rdata.hpp"

namespace zonegen {
namespace {

std::string trimmed(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return b == std::string_view::npos ? "" : std::string(s.substr(b, e - b + 1));
}

struct Tags {
    std::vector<std::pair<std::string, std::string>> list;  // in order
    std::vector<DkimProblem> problems;
    const std::string* find(const std::string& name) const {
        for (const auto& [k, v] : list)
            if (k == name) return &v;
        return nullptr;
    }
};

// RFC 6376 section 3.2: tag=value pairs separated by ';', spaces around either allowed.
Tags parse_tags(const std::string& text) {
    Tags t;
    std::set<std::string> seen;
    std::size_t i = 0;
    while (i <= text.size()) {
        std::size_t j = std::min(text.find(';', i), text.size());
        std::string part = trimmed(std::string_view(text).substr(i, j - i));
        i = j + 1;
        if (part.empty()) continue;
        auto eq = part.find('=');
        std::string name = eq == std::string::npos ? "" : trimmed(part.substr(0, eq));
        if (name.empty()) {
            t.problems.push_back(
                {"dkim-syntax", "'" + part.substr(0, 20) + "' is not a tag=value"});
            continue;
        }
        if (!seen.insert(name).second)
            t.problems.push_back({"dkim-syntax", "the tag " + name +
                                                     "= appears twice (RFC 6376 "
                                                     "section 3.2: the record is then invalid)"});
        t.list.emplace_back(name, trimmed(part.substr(eq + 1)));
    }
    return t;
}

void check_tags(const Tags& t, std::vector<DkimProblem>& out) {
    if (const std::string* v = t.find("v")) {
        if (t.list.front().first != "v")
            out.push_back({"dkim-syntax", "v= must be the first tag (RFC 6376 section 3.6.1)"});
        if (*v != "DKIM1") out.push_back({"dkim-syntax", "v=" + *v + " is not v=DKIM1"});
    }
    if (const std::string* h = t.find("h"))
        for (std::size_t i = 0; i <= h->size();) {
            std::size_t j = std::min(h->find(':', i), h->size());
            std::string alg = trimmed(std::string_view(*h).substr(i, j - i));
            if (alg != "sha256" && alg != "sha1")
                out.push_back({"dkim-syntax", "h=" + *h + ": '" + alg + "' is not sha256"});
            i = j + 1;
        }
    if (const std::string* s = t.find("s"); s && *s != "*" && *s != "email")
        out.push_back({"dkim-syntax", "s=" + *s + " is not email or *"});
}

// p= as a key of type k: invalid, too weak, short.
void check_key(const std::string& k, const std::string& p, std::vector<DkimProblem>& out) {
    if (p.empty()) return;  // revoked (RFC 6376 section 3.6.1)
    DkimPublicKey key = parse_dkim_public_key(k, p);
    std::string len = std::to_string(p.size()) + " base64 characters";
    if (!key.valid) {
        out.push_back({"dkim-key-invalid", key.why + " (" + len +
                                               "): verifiers reject every "
                                               "signature (a key cut short?)"});
    } else if (k == "rsa" && key.bits < 1024) {
        out.push_back({"dkim-key-weak", "an RSA key of " + std::to_string(key.bits) +
                                            " bits: verifiers refuse keys under 1024 bits "
                                            "(RFC 8301 section 3.2)"});
    } else if (k == "rsa" && key.bits < 2048) {
        out.push_back({"dkim-key-short", "an RSA key of " + std::to_string(key.bits) +
                                             " bits: use 2048 (RFC 8301 section 3.2; "
                                             "zonegen dkim-keygen)"});
    }
}

bool under_domainkey(const Name& owner) {
    auto labels = owner.labels();
    for (std::size_t i = 1; i < labels.size(); ++i) {
        std::string l = labels[i];
        for (auto& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (l == "_domainkey") return true;
    }
    return false;
}

}  // namespace

std::vector<DkimProblem> dkim_problems(const std::string& text) {
    Tags t = parse_tags(text);
    std::vector<DkimProblem> out = t.problems;
    if (t.list.empty()) return out;
    check_tags(t, out);
    const std::string* k = t.find("k");
    std::string type = k ? *k : "rsa";
    if (type != "rsa" && type != "ed25519") {
        out.push_back({"dkim-syntax", "k=" + type +
                                          " is not rsa or ed25519 (its key is not "
                                          "checked)"});
        return out;
    }
    const std::string* p = t.find("p");
    if (!p)
        out.push_back({"dkim-key-invalid",
                       "no p= tag: the record holds no key (RFC 6376 "
                       "section 3.6.1: p= is required)"});
    else
        check_key(type, *p, out);
    return out;
}

void check_dkim(const std::vector<const RRset*>& txt, const ValidateOptions& opts,
                std::vector<Finding>& out) {
    for (const RRset* set : txt) {
        if (!under_domainkey(set->owner)) continue;
        for (const auto& rr : set->rrs) {
            std::string text;
            try {
                text = join_txt(rr.rdata);
            } catch (const RdataError&) {
                continue;
            }
            if (!is_dkim_txt(text)) continue;
            for (auto& [id, msg] : dkim_problems(text)) {
                Finding f = make_finding(id, &set->owner, rrtype::TXT, "DKIM: " + msg, rr.line);
                f.file = rr.line ? opts.file : "";
                out.push_back(std::move(f));
            }
        }
    }
}

}  // namespace zonegen
