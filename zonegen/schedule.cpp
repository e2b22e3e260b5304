#include "zonegen/schedule.hpp"

#include <algorithm>

namespace zonegen {
namespace {

int hours_to_days(int hours) {
    return (hours + 23) / 24;
}

Date moved(const BusinessCalendar& cal, const Date& d, int amount, const std::string& unit) {
    if (unit == "business_days") return cal.add_business_days(d, amount);
    if (unit == "hours") return d.plus_days(hours_to_days(amount));
    return d.plus_days(amount);
}

}  // namespace

Span later(const BusinessCalendar& cal, const Span& s, const Duration& d) {
    return {moved(cal, s.lo, d.min, d.unit), moved(cal, s.hi, d.max, d.unit)};
}

Span plus_days(const Span& s, int days) {
    return {s.lo.plus_days(days), s.hi.plus_days(days)};
}

Span on_business_days(const BusinessCalendar& cal, const Span& s) {
    return {cal.on_or_after(s.lo), cal.on_or_after(s.hi)};
}

Span next_business_days(const BusinessCalendar& cal, const Span& s) {
    return {cal.next_business_day(s.lo), cal.next_business_day(s.hi)};
}

Span latest_of(const Span& a, const Span& b) {
    return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)};
}

Span ds_cleared(const BusinessCalendar& cal, const Span& ds, std::optional<std::uint32_t> ds_ttl,
                const Duration& minimum) {
    Span wait = later(cal, ds, Duration{minimum.max, minimum.max, minimum.unit});
    if (!ds_ttl) return wait;
    int ttl_days = static_cast<int>((static_cast<long long>(*ds_ttl) + 86399) / 86400);
    return latest_of(wait, plus_days(ds, ttl_days + 1));
}

Date window_end(const BusinessCalendar& cal, const Span& s, const std::optional<Duration>& d) {
    return d ? moved(cal, s.hi, d->max, d->unit) : s.hi;
}

std::vector<CalendarWarning> calendar_warnings(const BusinessCalendar& cal, const Date& from,
                                               const Date& to, int run_days) {
    std::vector<CalendarWarning> out;
    for (const auto& r : cal.closed_runs(from, to)) {
        if (r.provider_closed) {
            bool new_year =
                r.from.m == 12 || (r.from.m == 1 && r.from.d == 1) || (r.to.m == 1 && r.to.d <= 7);
            out.push_back({"closure", r.from, r.to, new_year, ""});
        } else if (r.days() >= run_days) {
            out.push_back({"holiday_run", r.from, r.to, false, ""});
        }
    }
    return out;
}

}  // namespace zonegen
