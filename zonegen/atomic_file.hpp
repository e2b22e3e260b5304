// Writes a file atomically: the content goes to a temporary file beside the target, is
// flushed to disk, and only then renamed over it. A crash leaves the old file intact.
//
// In a directory other users can reach: the temporary file is created exclusively (O_EXCL,
// O_NOFOLLOW); a new file gets 0644 less the umask, a replaced one its own permission bits
// (lstat: never a symbolic link target's, never set-id or sticky bits); the target is
// refused when it is a symbolic link or another user's file, and so is a directory that
// group or others may write to without the sticky bit.
#pragma once

#include <string>

#include "zonegen/secret.hpp"

namespace zonegen {

// Writes `content` to `path` ("-" is standard output). Throws InputError on failure or
// refusal (StdoutError when standard output fails), leaving no temporary file behind.
void write_file_atomic(const std::string& path, const std::string& content);

// Writes a new secret file (a DKIM private key) the same way, with mode 0600 from its
// creation on (less the umask), and never over an existing file: one there is InputError
// (exit 2), and so is one that appears while it is written.
void write_new_secret_file(const std::string& path, const SecretString& content);

}  // namespace zonegen
