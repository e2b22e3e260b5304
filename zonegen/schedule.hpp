// The dates of the migration steps: each step's earliest and latest date, carried from
// step to step through the durations the guide gives (a transfer of 3-10 business days
// makes every later step a range too); the wait between removing a DS and switching the
// name servers; and the closures and holiday runs a step's window crosses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/calendar.hpp"
#include "zonegen/profile.hpp"

namespace zonegen {

// The earliest and the latest date of a step.
struct Span {
    Date lo, hi;
    static Span at(const Date& d) { return {d, d}; }
};

// `s` moved on by `d`: lo by d.min, hi by d.max, in d's unit (business days on the
// calendar; calendar days; hours rounded up to whole days).
Span later(const BusinessCalendar& cal, const Span& s, const Duration& d);
// Both ends moved on by `days` calendar days.
Span plus_days(const Span& s, int days);
// Both ends on the first business day on or after them / after them.
Span on_business_days(const BusinessCalendar& cal, const Span& s);
Span next_business_days(const BusinessCalendar& cal, const Span& s);
// Each end the later of the two spans'.
Span latest_of(const Span& a, const Span& b);

// The earliest name-server switch after a DS removal made in `ds`: the DS TTL (when known)
// rounded up to whole days plus one (the day of the removal is not a whole day), and never
// sooner than the profile's minimum wait (its max, in its unit) after the removal.
Span ds_cleared(const BusinessCalendar& cal, const Span& ds, std::optional<std::uint32_t> ds_ttl,
                const Duration& minimum);

// The last day a step that starts in `s` and takes `d` can still be under way.
Date window_end(const BusinessCalendar& cal, const Span& s, const std::optional<Duration>& d);

// A closure or a holiday run inside a step's window.
struct CalendarWarning {
    std::string kind;       // closure (the provider's closed_days) | holiday_run
    Date from, to;          // the whole run of days that are not business days
    bool new_year = false;  // a closure around the New Year
    std::string message;    // the words, given by the instructions (wording.hpp)
};

// The runs of non-business days in [from, to] worth a warning: any that holds one of the
// provider's closed days, and any other of at least `run_days` days (Golden Week, Silver
// Week; 3 by default, which also catches a long weekend).
std::vector<CalendarWarning> calendar_warnings(const BusinessCalendar& cal, const Date& from,
                                               const Date& to, int run_days);

}  // namespace zonegen
