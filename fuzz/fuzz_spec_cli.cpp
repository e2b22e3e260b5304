// libFuzzer harness: the CLI's spec path, from the bytes of a file to the JSON it prints.
// The input's first line is the spec's file name (any bytes: a file name need not be UTF-8),
// the rest the spec, YAML or JSON, any bytes too. Each spec either fails with a
// zonegen::Error, whose message goes into the JSON error object main prints, or becomes a
// validated zone printed as `generate --format json` prints it. nlohmann throws on a string
// that is not UTF-8 (type_error.316): that, or any other exception, escaping is a crash.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "validators/checks.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/output.hpp"
#include "zonegen/render.hpp"
#include "zonegen/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using nlohmann::json;
    std::string in(reinterpret_cast<const char*>(data), size);
    std::size_t nl = in.find('\n');
    bool named = nl != std::string::npos && nl > 0 && nl < 256;
    std::string name = named ? in.substr(0, nl) : "spec.yaml";
    std::string text = named ? in.substr(nl + 1) : in;
    static const zonegen::Profile profile = zonegen::load_profile("");
    try {
        zonegen::Spec s = zonegen::parse_spec(text, name);
        zonegen::GenerateOptions go;
        go.serial = 1;
        zonegen::Desired d = zonegen::build_desired(s, profile, go);
        zonegen::ValidateOptions vo;
        vo.fragment = d.fragment;
        vo.spec = &s;
        vo.profile = &profile;
        vo.file = s.source;
        auto found = zonegen::validate_zone(d.zone, vo);
        d.findings.insert(d.findings.end(), found.begin(), found.end());
        json j = {{"zone", s.domain.to_string()},
                  {"text", zonegen::generated_text(s, profile, d)},
                  {"pdns", zonegen::pdns_create_body(s, d)},
                  {"findings", zonegen::findings_json(d.findings)}};
        (void)zonegen::dump_json(j, 2);  // as the CLI prints it: a message may quote raw octets
    } catch (const zonegen::Error& e) {
        (void)zonegen::dump_json(json{{"error", {{"kind", e.kind()}, {"message", e.what()}}}}, 2);
    }
    return 0;
}
