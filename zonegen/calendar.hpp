// The business-day calendar: weekends, Japanese national holidays (the Act on National
// Holidays: fixed days, Happy Monday days, equinoxes, substitute and citizen's holidays,
// and the one-off changes of 2019-2021) and the provider's closed days.
#pragma once

#include <compare>
#include <ctime>
#include <string>
#include <vector>

#include "zonegen/time_zone.hpp"

namespace zonegen {

struct Date {
    int y = 1970, m = 1, d = 1;
    static Date parse(const std::string& s);  // YYYY-MM-DD; throws std::invalid_argument
    // Today in `time_zone`, or the day of SOURCE_DATE_EPOCH there; without one, in the
    // time zone in use (the loaded profile's time_zone, Asia/Tokyo by default).
    static Date today(const std::string& time_zone);
    static Date today() { return today(time_zone_in_use()); }
    std::string to_string() const;
    int weekday() const;  // 0 = Sunday
    Date plus_days(int n) const;
    friend auto operator<=>(const Date&, const Date&) = default;
};

// The time generation runs "at": SOURCE_DATE_EPOCH when set (reproducible output), else now.
// Throws InputError when it is set to anything but a number of seconds.
std::time_t generation_time();

// The civil date of `t` in `time_zone`.
Date date_in(std::time_t t, const std::string& time_zone);

// Days from `from` to `to` (negative when `to` is earlier).
int days_between(const Date& from, const Date& to);

// A date as the customer reads it: "2026年12月8日（火）" (ja) or "Tue 8 Dec 2026" (en).
std::string format_date(const Date& d, bool ja);
// From `lo` to `hi`: "2026年12月8日（火）～12月21日（月）" or "Tue 8 Dec – Mon 21 Dec 2026", the
// year written once when both ends share it; one date when they are the same.
std::string format_date_range(const Date& lo, const Date& hi, bool ja);

struct Holiday {
    Date date;
    std::string name_ja, name_en;
    bool provisional = false;  // an equinox of a year not yet officially announced
};

// The national holidays of a year, in date order.
std::vector<Holiday> japanese_holidays(int year);

class BusinessCalendar {
  public:
    // closed_days: "MM-DD" or "MM-DD..MM-DD" (wrapping over the new year).
    explicit BusinessCalendar(std::vector<std::string> closed_days);
    bool is_business_day(const Date& d) const;
    // Why `d` is not a business day ("" when it is).
    std::string closed_reason(const Date& d) const;
    Date next_business_day(const Date& d) const;  // the first business day after d
    Date on_or_after(const Date& d) const;        // d itself when a business day
    Date add_business_days(const Date& d, int n) const;
    // One of the provider's closed_days (the New Year closure by default).
    bool provider_closed(const Date& d) const;

    // A run of consecutive days that are not business days.
    struct ClosedRun {
        Date from, to;
        bool provider_closed = false;  // it holds one of the provider's closed_days
        int days() const { return days_between(from, to) + 1; }
    };
    // The runs that overlap [from, to], each whole (it may begin before `from`).
    std::vector<ClosedRun> closed_runs(const Date& from, const Date& to) const;

  private:
    struct Range {
        int from, to;  // month*100 + day
    };
    std::vector<Range> closed_;
};

// The year up to which the equinox days have been officially announced.
inline constexpr int kEquinoxAnnouncedThrough = 2027;

}  // namespace zonegen
