// The migration instructions as the customer's page: one self-contained HTML file (inline
// CSS and SVG, system fonts, nothing fetched) holding the procedure as numbered cards with
// who does each step and when, the schedule chart, the name servers, the registrar request,
// the records and configuration to set, and the checklists; it prints on A4.
//
// C++ builds the view (plain texts and the chart's geometry) and the page template
// (templates/instructions.html.mustache, or the profile's texts_dir copy) lays it out;
// every value is HTML-escaped as it is inserted. The words come from `w` (page.*, headings.*).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "zonegen/calendar.hpp"
#include "zonegen/instructions.hpp"
#include "zonegen/wording.hpp"

namespace zonegen {

// The view the page template renders (every text plain, not yet escaped).
nlohmann::json instructions_html_view(const Instructions& in, const Wording& w,
                                      const BusinessCalendar& cal);

// The page. `texts_dir`: where a provider's own instructions.html.mustache may be ("" for
// the built-in one). Throws InputError for a template that names something the view lacks.
std::string instructions_html(const Instructions& in, const Wording& w, const BusinessCalendar& cal,
                              const std::string& texts_dir = "");

}  // namespace zonegen
