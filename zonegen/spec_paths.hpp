// Files a spec names (issue 14): its values come from customers, so a secret file
// (tsig.secret_file, and a later dkim.key_file) resolves only under the profile's
// secrets_dir, and a file source (import_from) only under one of its import_dirs. A profile
// that sets neither confines them to the spec's own directory (a spec read from standard
// input then names none). Relative paths are relative to that directory, absolute ones must
// lie inside it; "..", symlinks and magic links are refused on the way (secure_file.hpp).
//
// A path that leaves the directory, or is missing, a symlink, or unreadable, gets one
// message that says nothing about the path ("tsig.secret_file: not a readable secret under
// secrets_dir"); only a file that is really there may be described (its mode, its owner).
// InputError (exit 2) naming the spec key; a file's content is never quoted.
#pragma once

#include <optional>
#include <string>

#include "zonegen/profile.hpp"
#include "zonegen/secret.hpp"
#include "zonegen/spec.hpp"

namespace zonegen {

// Where a secret lives: the directory, and the path beneath it.
struct ConfinedPath {
    std::string dir;           // absolute
    std::string rel;           // no leading '/', no ".."
    bool from_profile = true;  // dir is the profile's secrets_dir (else the spec's directory)
};

// `path` (relative, or absolute inside `dir`) as a path beneath `dir`, lexically; nullopt
// when it leaves `dir` (absolute elsewhere, any "..") or names `dir` itself.
std::optional<std::string> path_beneath(const std::string& dir, const std::string& path);

// Where the secret file `path` that a spec names under `key` lives. Throws InputError (the
// one message) when it is outside.
ConfinedPath locate_spec_secret(const Spec& spec, const Profile& profile, const std::string& key,
                                const std::string& path);
// The same for a plan file's secret (apply --plan): under the profile's secrets_dir when it
// sets one, else under `planned_dir`, the spec's directory the plan recorded ("" when none).
ConfinedPath locate_planned_secret(const std::string& planned_dir, const Profile& profile,
                                   const std::string& key, const std::string& path);

// The secret file at `where` (a TSIG secret, a later dkim.key_file), whole: opened once
// beneath its directory and checked on the descriptor as a secret (at most 64 KiB). Throws
// InputError naming `key`.
SecretString read_spec_secret(const ConfinedPath& where, const std::string& key);
// The TSIG secret at `where`: opened once beneath its directory, checked on the descriptor
// as a secret, one line of base64. Throws InputError naming `key`.
SecretString read_tsig_secret(const ConfinedPath& where, const std::string& key);

// Each dkim: key's public record, from its private key file (located and read as a secret like
// tsig.secret_file), and the profile's mail.dkim_selector where the spec names none. Throws
// InputError naming the key (dkim.key_file, dkim.selector); never quotes the file. Called
// after load_spec wherever the zone is built; build_desired itself reads no file.
void read_dkim_keys(Spec& spec, const Profile& profile);

// The text of the zone file import_from names, read under import_dirs (at most 64 MiB).
std::string read_import_file(const Spec& spec, const Profile& profile);

}  // namespace zonegen
