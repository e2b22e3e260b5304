#include <gtest/gtest.h>

#include "zonegen/calendar.hpp"

using namespace zonegen;

namespace {

std::vector<std::string> holidays(int year) {
    std::vector<std::string> out;
    for (const auto& h : japanese_holidays(year)) out.push_back(h.date.to_string());
    return out;
}

}  // namespace

// The Cabinet Office's published lists.
TEST(Calendar, JapaneseHolidays2025) {
    EXPECT_EQ(holidays(2025),
              (std::vector<std::string>{"2025-01-01", "2025-01-13", "2025-02-11", "2025-02-23",
                                        "2025-02-24", "2025-03-20", "2025-04-29", "2025-05-03",
                                        "2025-05-04", "2025-05-05", "2025-05-06", "2025-07-21",
                                        "2025-08-11", "2025-09-15", "2025-09-23", "2025-10-13",
                                        "2025-11-03", "2025-11-23", "2025-11-24"}));
}

TEST(Calendar, JapaneseHolidays2026WithCitizensHoliday) {
    EXPECT_EQ(
        holidays(2026),
        (std::vector<std::string>{
            "2026-01-01", "2026-01-12", "2026-02-11", "2026-02-23", "2026-03-20", "2026-04-29",
            "2026-05-03", "2026-05-04", "2026-05-05", "2026-05-06", "2026-07-20", "2026-08-11",
            "2026-09-21", "2026-09-22", "2026-09-23", "2026-10-12", "2026-11-03", "2026-11-23"}));
    for (const auto& h : japanese_holidays(2026))
        if (h.date.to_string() == "2026-09-22") {
            EXPECT_EQ(h.name_en, "Citizen's Holiday");
        }
}

TEST(Calendar, JapaneseHolidays2027) {
    EXPECT_EQ(
        holidays(2027),
        (std::vector<std::string>{
            "2027-01-01", "2027-01-11", "2027-02-11", "2027-02-23", "2027-03-21", "2027-03-22",
            "2027-04-29", "2027-05-03", "2027-05-04", "2027-05-05", "2027-07-19", "2027-08-11",
            "2027-09-20", "2027-09-23", "2027-10-11", "2027-11-03", "2027-11-23"}));
    for (const auto& h : japanese_holidays(2027)) EXPECT_FALSE(h.provisional) << h.date.to_string();
    bool provisional = false;
    for (const auto& h : japanese_holidays(2028)) provisional |= h.provisional;
    EXPECT_TRUE(provisional);
}

TEST(Calendar, OneOffHolidays2019To2021) {
    auto h19 = holidays(2019), h20 = holidays(2020), h21 = holidays(2021);
    for (auto d : {"2019-04-30", "2019-05-01", "2019-05-02", "2019-10-22"})
        EXPECT_NE(std::find(h19.begin(), h19.end(), d), h19.end()) << d;
    for (auto d : {"2020-07-23", "2020-07-24", "2020-08-10"})
        EXPECT_NE(std::find(h20.begin(), h20.end(), d), h20.end()) << d;
    for (auto d : {"2021-07-22", "2021-07-23", "2021-08-08", "2021-08-09"})
        EXPECT_NE(std::find(h21.begin(), h21.end(), d), h21.end()) << d;
    EXPECT_EQ(std::find(h20.begin(), h20.end(), "2020-10-12"), h20.end());  // Sports Day moved
    EXPECT_EQ(std::find(h19.begin(), h19.end(), "2019-02-23"),
              h19.end());  // no Emperor's Birthday in 2019
}

TEST(Calendar, BusinessDaysSkipWeekendsHolidaysAndNewYear) {
    BusinessCalendar cal({"12-29..01-03"});
    EXPECT_EQ(cal.next_business_day(Date::parse("2026-12-28")).to_string(), "2027-01-04");
    EXPECT_EQ(cal.closed_reason(Date::parse("2026-12-30")), "provider closed");
    // A Friday before the September 2026 holiday run (Sat 19, Sun 20, 21, 22, 23).
    EXPECT_EQ(cal.next_business_day(Date::parse("2026-09-18")).to_string(), "2026-09-24");
    EXPECT_EQ(cal.add_business_days(Date::parse("2026-09-18"), 3).to_string(), "2026-09-28");
    EXPECT_EQ(cal.on_or_after(Date::parse("2026-05-02")).to_string(), "2026-05-07");
    EXPECT_TRUE(cal.is_business_day(Date::parse("2026-11-27")));
    EXPECT_THROW(Date::parse("2026-02-30"), std::invalid_argument);
    EXPECT_THROW(Date::parse("26-1-1"), std::invalid_argument);
}

TEST(Calendar, DatesCarryTheWeekdayInBothLanguages) {
    Date d = Date::parse("2026-12-08");
    EXPECT_EQ(format_date(d, true), "2026年12月8日（火）");
    EXPECT_EQ(format_date(d, false), "Tue 8 Dec 2026");
    Date e = Date::parse("2026-12-21");
    EXPECT_EQ(format_date_range(d, e, true), "2026年12月8日（火）～12月21日（月）");
    EXPECT_EQ(format_date_range(d, e, false), "Tue 8 Dec – Mon 21 Dec 2026");
    EXPECT_EQ(format_date_range(d, d, true), "2026年12月8日（火）");
    // Across the year both ends carry theirs.
    Date f = Date::parse("2027-01-07");
    EXPECT_EQ(format_date_range(Date::parse("2026-12-25"), f, true),
              "2026年12月25日（金）～2027年1月7日（木）");
    EXPECT_EQ(format_date_range(Date::parse("2026-12-25"), f, false),
              "Fri 25 Dec 2026 – Thu 7 Jan 2027");
    EXPECT_EQ(days_between(Date::parse("2026-12-25"), f), 13);
    EXPECT_EQ(days_between(f, Date::parse("2026-12-25")), -13);
}

TEST(Calendar, RunsOfClosedDaysAreWholeAndKnowTheClosure) {
    BusinessCalendar cal({"12-29..01-03"});
    // The New Year closure of 2026-27: Tue 29 Dec to Sun 3 Jan; a window touching one day of
    // it gets the whole run.
    auto ny = cal.closed_runs(Date::parse("2026-12-31"), Date::parse("2026-12-31"));
    ASSERT_EQ(ny.size(), 1u);
    EXPECT_EQ(ny[0].from.to_string(), "2026-12-29");
    EXPECT_EQ(ny[0].to.to_string(), "2027-01-03");
    EXPECT_TRUE(ny[0].provider_closed);
    EXPECT_EQ(ny[0].days(), 6);
    // Golden Week 2027: Thu 29 Apr alone, then Sat 1 May to Wed 5 May; a weekend is a run of
    // two.
    auto gw = cal.closed_runs(Date::parse("2027-04-28"), Date::parse("2027-05-10"));
    std::vector<std::string> got;
    for (const auto& r : gw)
        got.push_back(r.from.to_string() + ".." + r.to.to_string() +
                      (r.provider_closed ? " closed" : ""));
    EXPECT_EQ(got, (std::vector<std::string>{"2027-04-29..2027-04-29", "2027-05-01..2027-05-05",
                                             "2027-05-08..2027-05-09"}));
    EXPECT_TRUE(cal.closed_runs(Date::parse("2027-06-01"), Date::parse("2027-06-04")).empty());
}
