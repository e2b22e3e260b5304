// libFuzzer harness: the zone-file reader and every check on what it reads.
#include <cstddef>
#include <cstdint>
#include <string>

#include "backends/zonefile.hpp"
#include "validators/checks.hpp"
#include "zonegen/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    zonegen::ReadOptions ro;
    ro.origin = zonegen::Name::parse("example.");
    try {
        auto r = zonegen::read_zone_text(text, "fuzz", ro);
        zonegen::ValidateOptions vo;
        zonegen::validate_zone(r.zone, vo);
    } catch (const zonegen::Error&) {
    }
    return 0;
}
