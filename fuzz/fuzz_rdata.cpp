// libFuzzer harness: the rdata canonicaliser. Property: whatever parses prints back to
// text that parses to the same wire form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "zonegen/rdata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    static const zonegen::RRType types[] = {1,  2,  5,  6,  12, 15, 16, 28,  33,   35,
                                            39, 43, 44, 52, 64, 65, 99, 257, 65280};
    zonegen::RRType type = types[data[0] % (sizeof types / sizeof types[0])];
    std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    const zonegen::Name origin = zonegen::Name::parse("example.");
    std::string wire;
    try {
        wire = zonegen::parse_rdata(type, text, origin);
    } catch (const zonegen::RdataError&) {
        return 0;
    }
    std::string printed = zonegen::rdata_text(type, wire);
    std::string again;
    try {
        again = zonegen::parse_rdata(type, printed, origin);
    } catch (const zonegen::RdataError&) {
        std::abort();  // printed rdata must parse back
    }
    if (again != wire) std::abort();  // and to the same data
    return 0;
}
