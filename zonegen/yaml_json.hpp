// A YAML document as JSON (`profile --format json`): mappings become objects, sequences
// arrays, and plain scalars are typed by YAML 1.2's core schema (null, true/false,
// integers, floats); quoted scalars stay strings.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace zonegen {

// Throws InputError (naming `source` and the line) for a document that is not YAML.
nlohmann::json yaml_text_to_json(const std::string& text, const std::string& source);

}  // namespace zonegen
