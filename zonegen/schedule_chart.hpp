// The schedule chart of the migration instructions (the customer's page): one column per day
// from the first step's date to the cancellation's latest date, each day a business day, a
// weekend day, a national holiday or one of the provider's closed days; one bar per dated
// step from its earliest to its latest date; the parallel operation and the earliest day
// the old server may go. chart_view lays it out in SVG user units for the page template.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/calendar.hpp"
#include "zonegen/instructions.hpp"
#include "zonegen/wording.hpp"

namespace zonegen {

struct ChartDay {
    Date date;
    std::string kind;     // business | weekend | holiday | closure (the provider's closed days)
    std::string holiday;  // the national holiday's name in the page's language, "" for none
};

struct ChartBar {
    int step = 0;  // the step's number
    bool provider = false;
    int from = 0, to = 0;  // day indexes: earliest and latest date
    std::string title;
};

struct ScheduleChart {
    std::vector<ChartDay> days;
    std::vector<ChartBar> bars;
    int parallel_step = 0;                          // the parallel operation's step number
    std::optional<int> parallel_from, parallel_to;  // its days, in the earliest case
    std::optional<int> cancel;                      // the earliest day the old server may go
};

// Empty (no days) when no step has a date.
ScheduleChart schedule_chart(const Instructions& in, const BusinessCalendar& cal);

// The chart's geometry and its words (page.chart.*): width, height, days, labels, bars,
// the parallel band and the cancel line, every number in SVG user units.
nlohmann::json chart_view(const ScheduleChart& c, const Wording& w);

}  // namespace zonegen
