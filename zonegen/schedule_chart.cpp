#include "zonegen/schedule_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace zonegen {
namespace {

using json = nlohmann::json;

// The layout, in SVG user units: the chart is drawn 800 wide and scaled to the page (on A4
// 12 units print at about 7.5 pt).
constexpr double kWidth = 800, kGutter = 30, kRight = 6;
constexpr double kTop = 40, kRowHeight = 26, kBarHeight = 14, kFooter = 24;
constexpr double kFont = 12, kShadeTop = kTop - 2;  // day shading starts under the numbers
constexpr double kDayLabelMin = 15;                 // narrower days: only Mondays are numbered

double round1(double v) {
    return std::round(v * 10) / 10;
}

// A coordinate as SVG text: one decimal at most.
std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", v);
    std::string s = b;
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    return s;
}

std::string day_kind(const BusinessCalendar& cal, const Date& d, const std::string& holiday) {
    if (cal.provider_closed(d)) return "closure";
    if (!holiday.empty()) return "holiday";
    if (d.weekday() == 0 || d.weekday() == 6) return "weekend";
    return cal.is_business_day(d) ? "business" : "closure";
}

std::string holiday_name(const Date& d, bool ja) {
    for (const auto& h : japanese_holidays(d.y))
        if (h.date == d) return ja ? h.name_ja : h.name_en;
    return "";
}

const Step* find_step(const Instructions& in, const std::string& id) {
    for (const auto& s : in.steps)
        if (s.id == id && s.date) return &s;
    return nullptr;
}

// The width of `s` in ems, roughly: a character of three or more UTF-8 bytes (Japanese) is
// a full em, a Latin one about half.
double text_ems(const std::string& s) {
    double w = 0;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        w += n >= 3 ? 1.0 : (c >= 'A' && c <= 'Z') || c == 'm' || c == 'w' ? 0.7 : 0.52;
        i += n;
    }
    return w;
}

struct Layout {
    const ScheduleChart& c;
    const Wording& w;
    bool ja = w.lang() == "ja";
    double dw = (kWidth - kGutter - kRight) / static_cast<double>(c.days.size());
    double rows_bottom = kTop + kRowHeight * static_cast<double>(c.bars.size());

    double x(int day) const { return round1(kGutter + dw * day); }

    json days() const {
        auto out = json::array();
        for (std::size_t i = 0; i < c.days.size(); ++i) {
            const ChartDay& d = c.days[i];
            if (d.kind == "business") continue;
            std::string why = d.holiday;
            if (d.kind == "closure")
                why += (why.empty() ? "" : " / ") + w.say("page.legend.closure", {});
            if (why.empty()) why = w.say("page.legend.weekend", {});
            out.push_back({{"x", x(static_cast<int>(i))},
                           {"w", round1(dw)},
                           {"kind", d.kind},
                           {"tip", format_date(d.date, ja) + " " + why}});
        }
        return out;
    }

    // Day numbers (every day, or Mondays when days are narrow), week lines, month names.
    void labels(json& v) const {
        auto days = json::array(), weeks = json::array(), months = json::array();
        double last_month = -1e9;
        for (std::size_t i = 0; i < c.days.size(); ++i) {
            const Date& d = c.days[i].date;
            const int n = static_cast<int>(i);
            if (d.weekday() == 1 && i > 0) weeks.push_back({{"x", x(n)}});
            if (dw >= kDayLabelMin || d.weekday() == 1)
                days.push_back({{"x", round1(x(n) + dw / 2)}, {"text", std::to_string(d.d)}});
            if (i == 0 || d.d == 1) {
                std::string m = w.say("page.chart.months." + std::to_string(d.m), {});
                std::string text =
                    w.say("page.chart.month", {{"y", std::to_string(d.y)}, {"month", m}});
                if (x(n) - last_month < text_ems(text) * kFont + 8 && !months.empty())
                    months.erase(months.size() - 1);  // the first column's month, too close
                months.push_back({{"x", round1(x(n) + 2)}, {"text", text}});
                last_month = x(n);
            }
        }
        v["day_labels"] = days;
        v["week_lines"] = weeks;
        v["months"] = months;
    }

    // A bar (or a diamond for a one-day step), its number in the gutter and its title
    // beside it: after the bar where it fits, else before it, else inside the chart's end.
    json bar(const ChartBar& b, std::size_t row) const {
        const double top = kTop + kRowHeight * static_cast<double>(row);
        const double y = round1(top + (kRowHeight - kBarHeight) / 2), mid = top + kRowHeight / 2;
        const double x0 = x(b.from), x1 = x(b.to + 1);
        const bool one_day = b.from == b.to;
        const double cx = (x0 + x1) / 2, r = kBarHeight / 2 + 1;
        const double left = one_day ? cx - r : x0, right = one_day ? cx + r : x1;
        const double tw = text_ems(b.title) * kFont;
        json label{{"y", round1(mid + kFont * 0.35)}, {"text", b.title}};
        if (right + 4 + tw <= kWidth - kRight)
            label.update({{"x", round1(right + 4)}, {"anchor", "start"}});
        else if (left - 4 - tw >= kGutter)
            label.update({{"x", round1(left - 4)}, {"anchor", "end"}});
        else
            label.update({{"x", kWidth - kRight}, {"anchor", "end"}});
        auto pt = [](double px, double py) { return num(px) + "," + num(py); };
        return {{"n", std::to_string(b.step)},
                {"actor", b.provider ? "provider" : "customer"},
                {"row_y", round1(top)},
                {"num_x", kGutter / 2},
                {"num_y", round1(mid)},
                {"num_text_y", round1(mid + 4)},
                {"range",
                 one_day ? json(nullptr)
                         : json{{"x", x0}, {"y", y}, {"w", round1(x1 - x0)}, {"h", kBarHeight}}},
                {"diamond", one_day ? json(pt(cx, mid - r) + " " + pt(cx + r, mid) + " " +
                                           pt(cx, mid + r) + " " + pt(cx - r, mid))
                                    : json(nullptr)},
                {"label", label}};
    }

    json parallel_and_cancel() const {
        json v{{"parallel", nullptr}, {"cancel", nullptr}};
        if (c.parallel_from && c.parallel_to && *c.parallel_to >= *c.parallel_from) {
            double top = kTop;  // the parallel step's row
            for (std::size_t i = 0; i < c.bars.size(); ++i)
                if (c.bars[i].step == c.parallel_step)
                    top = kTop + kRowHeight * static_cast<double>(i);
            v["parallel"] = {{"x", x(*c.parallel_from)},
                             {"y", round1(top + 2)},
                             {"w", round1(x(*c.parallel_to + 1) - x(*c.parallel_from))},
                             {"h", kRowHeight - 4},
                             {"tip", w.say("page.legend.parallel", {})}};
        }
        if (c.cancel) {
            const double cx = x(*c.cancel);
            std::string text =
                w.say("page.chart.cancel", {{"date", format_date(c.days[*c.cancel].date, ja)}});
            const double tw = text_ems(text) * kFont;
            const bool after = cx + 4 + tw <= kWidth - kRight;
            v["cancel"] = {{"x", cx},
                           {"y1", kTop - 4},
                           {"y2", round1(rows_bottom + 4)},
                           {"label_x", round1(after ? cx + 4 : cx - 4)},
                           {"label_y", round1(rows_bottom + 17)},
                           {"anchor", after ? "start" : "end"},
                           {"text", text}};
        }
        return v;
    }

    // What the chart shows, for the legend below it: each item with the kind of swatch.
    json legend() const {
        auto has_day = [&](const std::string& k) {
            return std::any_of(c.days.begin(), c.days.end(),
                               [&](const ChartDay& d) { return d.kind == k; });
        };
        auto has_bar = [&](bool provider, bool one) {
            return std::any_of(c.bars.begin(), c.bars.end(), [&](const ChartBar& b) {
                return b.provider == provider && (b.from == b.to) == one;
            });
        };
        auto out = json::array();
        auto item = [&](const std::string& key, const std::string& swatch, const std::string& cls) {
            json i{{"text", w.say("page.legend." + key, {})}, {"cls", cls}};
            for (const char* s : {"day", "bar", "diamond", "band", "line"}) i[s] = swatch == s;
            out.push_back(i);
        };
        for (bool provider : {false, true}) {
            const std::string who = provider ? "provider" : "customer";
            if (has_bar(provider, false)) item(who, "bar", who);
            if (has_bar(provider, true)) item(who + "_one_day", "diamond", who);
        }
        for (const char* k : {"weekend", "holiday", "closure"})
            if (has_day(k)) item(k, "day", k);
        if (c.parallel_from) item("parallel", "band", "parallel");
        if (c.cancel) item("cancel", "line", "cancel");
        return out;
    }

    // The holidays and closed days inside the chart, each named.
    json holidays() const {
        auto out = json::array();
        for (const auto& d : c.days)
            if (!d.holiday.empty())
                out.push_back({{"text", format_date(d.date, ja) + " " + d.holiday}});
        return out.empty() ? json(nullptr) : json{{"items", out}};
    }
};

}  // namespace

ScheduleChart schedule_chart(const Instructions& in, const BusinessCalendar& cal) {
    ScheduleChart c;
    std::optional<Date> first, last;
    for (const auto& s : in.steps) {
        if (!s.date) continue;
        Date hi = s.date_latest.value_or(*s.date);
        if (!first || *s.date < *first) first = *s.date;
        if (!last || hi > *last) last = hi;
    }
    if (const Step* cancel = find_step(in, "cancel"))
        last = cancel->date_latest.value_or(*cancel->date);
    if (!first || !last) return c;
    const bool ja = in.lang == "ja";
    for (Date d = *first; d <= *last; d = d.plus_days(1)) {
        std::string h = holiday_name(d, ja);
        c.days.push_back({d, day_kind(cal, d, h), h});
    }
    auto index = [&](const Date& d) {
        return std::clamp(days_between(*first, d), 0, static_cast<int>(c.days.size()) - 1);
    };
    for (const auto& s : in.steps)
        if (s.date)
            c.bars.push_back(
                {s.n, s.provider, index(*s.date), index(s.date_latest.value_or(*s.date)), s.title});
    const Step* parallel = find_step(in, "parallel");
    const Step* cancel = find_step(in, "cancel");
    if (cancel) c.cancel = index(*cancel->date);
    if (parallel && cancel) {
        c.parallel_step = parallel->n;
        c.parallel_from = index(*parallel->date);
        c.parallel_to = index(cancel->date->plus_days(-1));
    }
    return c;
}

json chart_view(const ScheduleChart& c, const Wording& w) {
    if (c.days.empty()) return nullptr;
    Layout l{c, w};
    json v = l.parallel_and_cancel();
    const double height = l.rows_bottom + (c.cancel ? kFooter : 6);
    v.update(
        {{"width", kWidth},
         {"height", round1(height)},
         {"top", kTop},
         {"rows_bottom", round1(l.rows_bottom)},
         {"right", kWidth - kRight},
         {"gutter", kGutter},
         {"days", l.days()},
         {"legend", l.legend()},
         {"holiday_list", l.holidays()},
         {"shade_y", kShadeTop},
         {"shade_h", round1(l.rows_bottom - kShadeTop)},
         {"span", format_date_range(c.days.front().date, c.days.back().date, w.lang() == "ja")}});
    l.labels(v);
    auto bars = json::array();
    for (std::size_t i = 0; i < c.bars.size(); ++i) bars.push_back(l.bar(c.bars[i], i));
    v["bars"] = bars;
    return v;
}

}  // namespace zonegen
