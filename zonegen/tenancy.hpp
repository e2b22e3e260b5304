// Tenancy: which customer (the control panel's account) a zone on our PowerDNS belongs to,
// which TSIG keys a spec may name, and the control panel's mode (profile key control_panel),
// in which zonegen accepts only what the panel can check by plain string comparison.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zonegen/name.hpp"

namespace zonegen {

struct Profile;
struct Spec;

// The longest account id: PowerDNS keeps the account in a VARCHAR(40) column.
constexpr std::size_t kMaxAccountLength = 40;

// Why `id` is not an account id (1 to 40 ASCII letters, digits, '.', '_' or '-', starting
// with a letter or digit), or nullopt when it is one.
std::optional<std::string> account_syntax_error(std::string_view id);

// The TSIG key name zonegen derives when a spec gives none: xfr.<domain>.
Name default_tsig_name(const Name& domain);
// True when the key name is the domain or a name below it: a key of this zone only (two
// registrable domains never nest, so no other customer's zone can own such a name).
bool tsig_name_belongs_to(const Name& key, const Name& domain);

// The canonical spelling of a domain in the control panel's mode: lower-case A-labels, no
// trailing dot ("example.co.jp", "xn--eckwd4c7cu47r.com").
std::string canonical_spelling(const Name& domain);

// The control panel's mode, checks of a spec that need no server (each throws InputError,
// exit 2, naming the key): the domain as written is its canonical spelling, and the TSIG key
// name belongs to the domain. Nothing outside that mode.
void check_panel_spec(const Spec& spec, const Profile& profile);
// The control panel's mode, before any request to PowerDNS: the spec has an account.
void require_account(const std::optional<std::string>& account, const Profile& profile,
                     const std::string& what);

// The account rule for a zone that exists on PowerDNS with `live` as its account ("" for
// none) and that a command acting for `want` touches (changes, deletes or reads). Throws
// UnsafeError (exit 4, naming the zone) when the zone belongs to another account, or, in the
// control panel's mode, to none. Without an account (`want` empty, outside that mode) there
// is nothing to check. Never overridden (--force has no say across accounts).
void check_account(const Name& zone, const std::string& live,
                   const std::optional<std::string>& want, bool control_panel);

}  // namespace zonegen
