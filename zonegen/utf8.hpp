// UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing above U+10FFFF):
// the spec and profile readers refuse anything else, so no other byte reaches JSON output.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zonegen {

// The offset of the first byte that does not start a well-formed UTF-8 sequence, or
// std::string_view::npos when all of `s` is UTF-8.
std::size_t utf8_error_at(std::string_view s);
inline bool is_utf8(std::string_view s) {
    return utf8_error_at(s) == std::string_view::npos;
}

// `s` for a message or a JSON string: well-formed UTF-8 is kept, every other byte and every
// control character is written as \xHH (a backslash as \\ only when escapes were needed).
std::string printable(std::string_view s);

}  // namespace zonegen
