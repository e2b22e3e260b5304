#include "zonegen/tenancy.hpp"

#include <cstdint>
#include <cstdio>

#include "zonegen/errors.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen {
namespace {

bool alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// `s` with every character that is not printable ASCII shown as <U+XXXX>: a soft hyphen or a
// zero-width space is invisible in a message otherwise. Bytes that are not UTF-8 as <xHH>.
std::string visible(std::string_view s) {
    if (!is_utf8(s)) return printable(s);
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f) {
            out.push_back(static_cast<char>(c));
            ++i;
            continue;
        }
        std::size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        std::uint32_t cp = n == 1 ? c : c & (0x7f >> n);
        for (std::size_t k = 1; k < n && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
        char buf[16];
        std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned>(cp));
        out += buf;
        i += n;
    }
    return out;
}

}  // namespace

std::optional<std::string> account_syntax_error(std::string_view id) {
    if (id.empty()) return "empty";
    if (id.size() > kMaxAccountLength)
        return "longer than " + std::to_string(kMaxAccountLength) + " characters";
    if (!alnum(id.front())) return "does not start with a letter or digit";
    for (char c : id)
        if (!alnum(c) && c != '.' && c != '_' && c != '-')
            return "holds a character other than ASCII letters, digits, '.', '_' and '-'";
    return std::nullopt;
}

Name default_tsig_name(const Name& domain) {
    return domain.prepend("xfr");
}

bool tsig_name_belongs_to(const Name& key, const Name& domain) {
    return key.is_subdomain_of(domain);
}

std::string canonical_spelling(const Name& domain) {
    std::string s = domain.to_string();
    if (s.size() > 1) s.pop_back();
    return s;
}

void check_panel_spec(const Spec& spec, const Profile& profile) {
    if (!profile.control_panel) return;
    const std::string want = canonical_spelling(spec.domain);
    if (spec.domain_written != want)
        throw InputError(spec.source + ": 'domain': '" + visible(spec.domain_written) +
                         "' is not in canonical form: the control panel's mode (control_panel: "
                         "true) takes the domain exactly as '" +
                         want + "' (lower-case A-labels, no trailing dot)");
    if (spec.tsig && !tsig_name_belongs_to(spec.tsig->name, spec.domain))
        throw InputError(spec.source + ": 'tsig.name': the key " + spec.tsig->name.to_string() +
                         " is not " + spec.domain.to_string() +
                         " or a name below it: PowerDNS's TSIG keys are shared by every zone on "
                         "the server, so a spec names only its own domain's keys (such as " +
                         default_tsig_name(spec.domain).to_string() +
                         ", the name used when tsig.name is left out)");
}

void require_account(const std::optional<std::string>& account, const Profile& profile,
                     const std::string& what) {
    if (profile.control_panel && !account)
        throw InputError(what +
                         ": the control panel's mode (control_panel: true) needs the customer's "
                         "account to touch PowerDNS");
}

void check_account(const Name& zone, const std::string& live,
                   const std::optional<std::string>& want, bool control_panel) {
    if (!want) return;
    if (live.empty()) {
        if (!control_panel) return;  // an engineer adopts it: a plan step
        throw UnsafeError("the zone " + zone.to_string() +
                          " on PowerDNS has no account: in the control panel's mode zonegen acts "
                          "only on zones of the spec's account; nothing was changed (an engineer "
                          "adopts the zone by applying a spec with its account outside that mode)");
    }
    if (live != *want)
        throw UnsafeError("the zone " + zone.to_string() +
                          " on PowerDNS belongs to another account: nothing was changed or read "
                          "(no --force overrides an account)");
}

}  // namespace zonegen
