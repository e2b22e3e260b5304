// libFuzzer harness: the customer spec parser (YAML and JSON).
#include <cstddef>
#include <cstdint>
#include <string>

#include "zonegen/errors.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        zonegen::Spec s = zonegen::parse_spec(text, "fuzz.yaml");
        static const zonegen::Profile profile = zonegen::load_profile("");
        zonegen::GenerateOptions go;
        go.serial = 1;
        zonegen::build_desired(s, profile, go);
    } catch (const zonegen::Error&) {
    }
    return 0;
}
