#include "zonegen/error_json.hpp"

#include <nlohmann/json.hpp>

#include "zonegen/render.hpp"

namespace zonegen {

nlohmann::json error_json(const Error& e) {
    nlohmann::json err = {{"kind", e.kind()}, {"message", e.what()}};
    if (auto* inv = dynamic_cast<const InvalidZoneError*>(&e))
        err["findings"] = findings_json(inv->findings());
    return {{"error", std::move(err)}};
}

}  // namespace zonegen
