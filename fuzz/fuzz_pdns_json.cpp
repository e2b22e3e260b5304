// libFuzzer harness: the reader of PowerDNS zone documents.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "backends/pdns.hpp"
#include "zonegen/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("rrsets") || !j["rrsets"].is_array())
        return 0;
    std::vector<zonegen::Finding> findings;
    try {
        zonegen::zone_from_pdns(zonegen::Name::parse("example."), j, &findings);
    } catch (const nlohmann::json::exception&) {
    } catch (const zonegen::Error&) {
    }
    return 0;
}
