// TLS-RPT (RFC 8460): the _smtp._tls TXT record that tells senders where to report their
// TLS failures. tls-rpt-syntax checks it.
#pragma once

#include <string>
#include <vector>

namespace zonegen {

// Problems of a v=TLSRPTv1 text (none when fine): v=TLSRPTv1 first, one rua= with a comma
// list of mailto: and https: URIs, the other fields valid extensions (RFC 8460 section 3).
std::vector<std::string> tls_rpt_problems(const std::string& text);

}  // namespace zonegen
