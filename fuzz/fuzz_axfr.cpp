// libFuzzer harness: the reader of DNS messages (answers and AXFR stream messages) from
// servers we do not control.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backends/dnsquery.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto a =
        zonegen::parse_dns_message(std::string_view(reinterpret_cast<const char*>(data), size));
    for (const auto& r : a.answer) (void)zonegen::rdata_text(r.type, r.rdata);
    return 0;
}
