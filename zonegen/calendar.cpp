#include "zonegen/calendar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <stdexcept>

#include "zonegen/errors.hpp"

namespace zonegen {
namespace {

long days_from_civil(int y, int m, int d) {  // days since 1970-01-01
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date civil_from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long y = yoe + era * 400;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return Date{static_cast<int>(y + (m <= 2)), m, d};
}

long serial(const Date& d) {
    return days_from_civil(d.y, d.m, d.d);
}

// The n-th Monday of a month.
Date nth_monday(int y, int m, int n) {
    Date first{y, m, 1};
    int offset = (8 - first.weekday()) % 7;  // days to the first Monday
    return first.plus_days(offset + 7 * (n - 1));
}

// The standard approximation for 1980-2099 (used for the announcement too).
int vernal_equinox(int y) {
    return static_cast<int>(
        std::floor(20.8431 + 0.242194 * (y - 1980) - std::floor((y - 1980) / 4.0)));
}
int autumnal_equinox(int y) {
    return static_cast<int>(
        std::floor(23.2488 + 0.242194 * (y - 1980) - std::floor((y - 1980) / 4.0)));
}

int mmdd(const Date& d) {
    return d.m * 100 + d.d;
}

}  // namespace

Date Date::parse(const std::string& s) {
    int y, m, d;
    char tail;
    if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        s[4] != '-' || s[7] != '-')
        throw std::invalid_argument("'" + s + "' is not a date (YYYY-MM-DD)");
    Date r{y, m, d};
    if (m < 1 || m > 12 || d < 1 || civil_from_days(serial(r)) != r)
        throw std::invalid_argument("'" + s + "' is not a date of the calendar");
    return r;
}

Date date_in(std::time_t t, const std::string& time_zone) {
    std::tm tm = local_time(t, time_zone);
    return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

int days_between(const Date& from, const Date& to) {
    return static_cast<int>(serial(to) - serial(from));
}

std::string format_date(const Date& d, bool ja) {
    static const char* const wd_ja[] = {"日", "月", "火", "水", "木", "金", "土"};
    static const char* const wd_en[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const mon_en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (ja)
        return std::to_string(d.y) + "年" + std::to_string(d.m) + "月" + std::to_string(d.d) +
               "日（" + wd_ja[d.weekday()] + "）";
    return std::string(wd_en[d.weekday()]) + " " + std::to_string(d.d) + " " + mon_en[d.m - 1] +
           " " + std::to_string(d.y);
}

std::string format_date_range(const Date& lo, const Date& hi, bool ja) {
    if (lo == hi) return format_date(lo, ja);
    std::string a = format_date(lo, ja), b = format_date(hi, ja);
    if (lo.y == hi.y) {
        std::string year = std::to_string(hi.y);
        if (ja)
            b.erase(0, year.size() + std::string("年").size());  // "12月21日（月）"
        else
            a.erase(a.size() - year.size() - 1);  // "Tue 8 Dec"
    }
    return ja ? a + "～" + b : a + " – " + b;
}

std::time_t generation_time() {
    if (const char* sde = std::getenv("SOURCE_DATE_EPOCH"); sde && *sde) {
        char* end = nullptr;
        long long v = std::strtoll(sde, &end, 10);
        if (*end != '\0' || v < 0)
            throw InputError("SOURCE_DATE_EPOCH='" + std::string(sde) +
                             "' is not a number of seconds");
        return static_cast<std::time_t>(v);
    }
    return std::time(nullptr);
}

Date Date::today(const std::string& time_zone) {
    return date_in(generation_time(), time_zone);
}

std::string Date::to_string() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

int Date::weekday() const {
    return static_cast<int>(((serial(*this) % 7) + 11) % 7);
}  // 1970-01-01 was a Thursday

Date Date::plus_days(int n) const {
    return civil_from_days(serial(*this) + n);
}

std::vector<Holiday> japanese_holidays(int year) {
    std::map<Date, Holiday> h;
    auto add = [&](Date d, const char* ja, const char* en, bool prov = false) {
        h[d] = Holiday{d, ja, en, prov};
    };
    add({year, 1, 1}, "元日", "New Year's Day");
    add(nth_monday(year, 1, 2), "成人の日", "Coming of Age Day");
    add({year, 2, 11}, "建国記念の日", "National Foundation Day");
    if (year >= 2020) add({year, 2, 23}, "天皇誕生日", "Emperor's Birthday");
    if (year >= 1989 && year <= 2018) add({year, 12, 23}, "天皇誕生日", "Emperor's Birthday");
    bool prov = year > kEquinoxAnnouncedThrough;
    add({year, 3, vernal_equinox(year)}, "春分の日", "Vernal Equinox Day", prov);
    add({year, 4, 29}, "昭和の日", "Showa Day");
    add({year, 5, 3}, "憲法記念日", "Constitution Memorial Day");
    add({year, 5, 4}, "みどりの日", "Greenery Day");
    add({year, 5, 5}, "こどもの日", "Children's Day");
    // Marine, Mountain and Sports Day moved for the Tokyo Olympics in 2020 and 2021.
    if (year == 2020) {
        add({2020, 7, 23}, "海の日", "Marine Day");
        add({2020, 7, 24}, "スポーツの日", "Sports Day");
        add({2020, 8, 10}, "山の日", "Mountain Day");
    } else if (year == 2021) {
        add({2021, 7, 22}, "海の日", "Marine Day");
        add({2021, 7, 23}, "スポーツの日", "Sports Day");
        add({2021, 8, 8}, "山の日", "Mountain Day");
    } else {
        add(nth_monday(year, 7, 3), "海の日", "Marine Day");
        if (year >= 2016) add({year, 8, 11}, "山の日", "Mountain Day");
        add(nth_monday(year, 10, 2), year >= 2020 ? "スポーツの日" : "体育の日",
            year >= 2020 ? "Sports Day" : "Health and Sports Day");
    }
    add(nth_monday(year, 9, 3), "敬老の日", "Respect for the Aged Day");
    add({year, 9, autumnal_equinox(year)}, "秋分の日", "Autumnal Equinox Day", prov);
    add({year, 11, 3}, "文化の日", "Culture Day");
    add({year, 11, 23}, "勤労感謝の日", "Labour Thanksgiving Day");
    if (year == 2019) {  // the enthronement
        add({2019, 4, 30}, "国民の休日", "Citizen's Holiday");
        add({2019, 5, 1}, "天皇の即位の日", "Enthronement Day");
        add({2019, 5, 2}, "国民の休日", "Citizen's Holiday");
        add({2019, 10, 22}, "即位礼正殿の儀の行われる日", "Enthronement Ceremony Day");
    }
    // Citizen's holiday: a day between two holidays (law art. 3-3).
    std::vector<Date> days;
    for (const auto& [d, x] : h) days.push_back(d);
    for (const auto& d : days) {
        Date mid = d.plus_days(1), after = d.plus_days(2);
        if (!h.count(mid) && h.count(after) && mid.weekday() != 0)
            add(mid, "国民の休日", "Citizen's Holiday");
    }
    // Substitute holiday: a holiday on a Sunday moves to the next day that is not one (art. 3-2).
    days.clear();
    for (const auto& [d, x] : h) days.push_back(d);
    for (const auto& d : days) {
        if (d.weekday() != 0) continue;
        Date s = d.plus_days(1);
        while (h.count(s)) s = s.plus_days(1);
        if (s.y == year) add(s, "振替休日", "Substitute Holiday");
    }
    std::vector<Holiday> out;
    for (auto& [d, x] : h) out.push_back(x);
    return out;
}

BusinessCalendar::BusinessCalendar(std::vector<std::string> closed) {
    for (const auto& c : closed) {
        auto parse = [&](const std::string& s) {
            int m, d;
            char tail;
            if (s.size() != 5 || std::sscanf(s.c_str(), "%2d-%2d%c", &m, &d, &tail) != 2 || m < 1 ||
                m > 12 || d < 1 || d > 31)
                throw std::invalid_argument("closed day '" + s + "' is not MM-DD");
            return m * 100 + d;
        };
        auto dots = c.find("..");
        if (dots == std::string::npos)
            closed_.push_back({parse(c), parse(c)});
        else
            closed_.push_back({parse(c.substr(0, dots)), parse(c.substr(dots + 2))});
    }
}

std::string BusinessCalendar::closed_reason(const Date& d) const {
    int wd = d.weekday();
    if (wd == 0 || wd == 6) return wd == 0 ? "Sunday" : "Saturday";
    for (const auto& hol : japanese_holidays(d.y))
        if (hol.date == d) return hol.name_en;
    return provider_closed(d) ? "provider closed" : "";
}

bool BusinessCalendar::provider_closed(const Date& d) const {
    int md = mmdd(d);
    for (const auto& r : closed_)
        if (r.from <= r.to ? (md >= r.from && md <= r.to) : (md >= r.from || md <= r.to))
            return true;
    return false;
}

std::vector<BusinessCalendar::ClosedRun> BusinessCalendar::closed_runs(const Date& from,
                                                                       const Date& to) const {
    std::vector<ClosedRun> runs;
    for (Date d = from; d <= to; d = d.plus_days(1)) {
        if (is_business_day(d) || (!runs.empty() && d <= runs.back().to)) continue;
        ClosedRun r{d, d};
        while (!is_business_day(r.from.plus_days(-1))) r.from = r.from.plus_days(-1);
        while (!is_business_day(r.to.plus_days(1))) r.to = r.to.plus_days(1);
        for (Date x = r.from; x <= r.to && !r.provider_closed; x = x.plus_days(1))
            r.provider_closed = provider_closed(x);
        runs.push_back(r);
    }
    return runs;
}

bool BusinessCalendar::is_business_day(const Date& d) const {
    return closed_reason(d).empty();
}

Date BusinessCalendar::next_business_day(const Date& d) const {
    return on_or_after(d.plus_days(1));
}

Date BusinessCalendar::on_or_after(const Date& d) const {
    Date x = d;
    while (!is_business_day(x)) x = x.plus_days(1);
    return x;
}

Date BusinessCalendar::add_business_days(const Date& d, int n) const {
    Date x = d;
    for (int i = 0; i < n; ++i) x = next_business_day(x);
    return x;
}

}  // namespace zonegen
