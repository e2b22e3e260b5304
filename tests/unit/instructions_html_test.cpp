#include "zonegen/instructions_html.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "zonegen/schedule_chart.hpp"

using namespace zonegen;

namespace {

Spec spec(const std::string& pattern, const std::string& reg) {
    std::string extra = pattern == "A" ? "" : "customer_nameservers: [ns1.dns-host.example]\n";
    if (pattern == "B") extra += "customer_primary: [198.51.100.1]\n";
    return parse_spec("domain: example.com\ndns_pattern: " + pattern + "\nregistrar: " + reg +
                          "\nserver: {name: sv.example.net, ipv4: [192.0.2.10]}\n" + extra,
                      "t.yaml");
}

class InstructionsHtml : public ::testing::Test {
  protected:
    Profile profile = load_profile("");
    BusinessCalendar cal{profile.closed_days};

    Instructions build(const std::string& pattern, const std::string& reg, const std::string& lang,
                       const std::string& start = "2026-12-25") const {
        return build_instructions(spec(pattern, reg), profile, lang, Date::parse(start),
                                  std::nullopt);
    }
    std::string page(const Instructions& in) const {
        return instructions_html(in, Wording("instructions", in.lang, ""), cal);
    }
};

}  // namespace

// A text with markup characters (a title, a step's detail, the request letter, a label)
// reaches the page escaped, never as markup.
TEST_F(InstructionsHtml, EveryTextIsEscaped) {
    Instructions in = build("A", "customer", "en");
    in.domain_unicode = "a<b>&c";
    in.steps[0].title = "<script>alert(1)</script>";
    in.steps[0].detail = "x & y\n- <b>item</b>";
    in.registrar_request = "Dear <registrar> & co";
    in.before_switch.push_back("check \"quotes\" & 'apostrophes'");
    std::string html = page(in);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<b>item"), std::string::npos);
    EXPECT_EQ(html.find("a<b>&c"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html.find("<li>&lt;b&gt;item&lt;/b&gt;</li>"), std::string::npos);
    EXPECT_NE(html.find("x &amp; y"), std::string::npos);
    EXPECT_NE(html.find("Dear &lt;registrar&gt; &amp; co"), std::string::npos);
    EXPECT_NE(html.find("a&lt;b&gt;&amp;c"), std::string::npos);
    EXPECT_NE(html.find("check &quot;quotes&quot; &amp; &apos;apostrophes&apos;"),
              std::string::npos);
}

// The built-in page inserts every value escaped: no triple mustache, no {{& }}.
TEST_F(InstructionsHtml, TheTemplateNeverInsertsRawValues) {
    auto t = find_template("instructions.html.mustache", "");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->text.find("{{{"), std::string::npos);
    EXPECT_EQ(t->text.find("{{&"), std::string::npos);
}

// One column per day from the first step to the cancellation's latest date; across the New
// Year the provider's closure (29 Dec - 3 Jan) wins over the weekend and New Year's Day,
// weekends and Coming of Age Day (11 Jan 2027) are shaded as such.
TEST_F(InstructionsHtml, TheChartShadesTheNewYearClosure) {
    Instructions in = build("A", "customer", "ja");
    ScheduleChart c = schedule_chart(in, cal);
    ASSERT_FALSE(c.days.empty());
    EXPECT_EQ(c.days.front().date, Date::parse("2026-12-25"));
    EXPECT_EQ(c.days.back().date, *in.steps.back().date_latest);
    EXPECT_EQ(in.steps.back().id, "cancel");
    auto kind = [&](const std::string& d) {
        return c.days
            .at(static_cast<std::size_t>(days_between(c.days.front().date, Date::parse(d))))
            .kind;
    };
    EXPECT_EQ(kind("2026-12-25"), "business");
    EXPECT_EQ(kind("2026-12-26"), "weekend");
    EXPECT_EQ(kind("2026-12-27"), "weekend");
    EXPECT_EQ(kind("2026-12-28"), "business");
    for (const char* d : {"2026-12-29", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03"})
        EXPECT_EQ(kind(d), "closure") << d;
    EXPECT_EQ(kind("2027-01-04"), "business");
    EXPECT_EQ(kind("2027-01-09"), "weekend");
    EXPECT_EQ(kind("2027-01-11"), "holiday");
    EXPECT_EQ(c.days[static_cast<std::size_t>(
                         days_between(c.days.front().date, Date::parse("2027-01-11")))]
                  .holiday,
              "成人の日");
    // A bar per dated step; the cancel line and the parallel band end where they should.
    EXPECT_EQ(c.bars.size(), in.steps.size());
    ASSERT_TRUE(c.cancel && c.parallel_from && c.parallel_to);
    EXPECT_EQ(c.days[static_cast<std::size_t>(*c.cancel)].date, *in.steps.back().date);
    EXPECT_EQ(*c.parallel_to, *c.cancel - 1);

    // On the page: one shaded rect per day that is not a business day, by kind.
    std::string html = page(in);
    auto count = [&](const std::string& s) {
        std::size_t n = 0;
        for (std::size_t p = html.find(s); p != std::string::npos; p = html.find(s, p + 1)) ++n;
        return n;
    };
    std::size_t closed = 0;
    for (const auto& d : c.days) closed += d.kind != "business";
    EXPECT_EQ(count("<rect class=\"d-closure\" x="), 6u);
    EXPECT_EQ(count("<rect class=\"d-holiday\" x="), 1u);
    EXPECT_EQ(count("<rect class=\"d-closure\" x=") + count("<rect class=\"d-holiday\" x=") +
                  count("<rect class=\"d-weekend\" x="),
              closed);
}

// The page fetches nothing: no URL with a scheme in it, no src, href or url() that is not a
// pattern of its own SVG, no script.
TEST_F(InstructionsHtml, ThePageReferencesNothingOutside) {
    for (const char* p : {"A", "B", "C"})
        for (const char* r : {"transfer", "customer"})
            for (const char* lang : {"ja", "en"}) {
                std::string html = page(build(p, r, lang));
                EXPECT_FALSE(std::regex_search(html, std::regex(R"(\bhttps?:|\b(ftp|file)://)")))
                    << p << r << lang;
                EXPECT_EQ(html.find("<script"), std::string::npos);
                EXPECT_EQ(html.find("@import"), std::string::npos);
                EXPECT_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=)")));
                EXPECT_FALSE(std::regex_search(html, std::regex(R"(url\(\s*['"]?[^#'"])")));
                EXPECT_NE(html.find("<html lang=\"" + std::string(lang) + "\">"),
                          std::string::npos);
            }
}

// A step's detail becomes paragraphs, its "- " lines one list; a duration is in words.
TEST_F(InstructionsHtml, DetailsBecomeParagraphsAndLists) {
    Instructions in = build("B", "customer", "en");
    in.steps[0].detail = "first\n- one\n- two\nlast";
    nlohmann::json v = instructions_html_view(in, Wording("instructions", "en", ""), cal);
    const auto& b = v["steps"][0]["blocks"];
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b[0]["p"], "first");
    EXPECT_EQ(b[1]["list"]["items"], nlohmann::json({"one", "two"}));
    EXPECT_EQ(b[2]["p"], "last");
    EXPECT_EQ(v["steps"][0]["duration"], "1–3 business days");
    EXPECT_EQ(v["steps"][0]["actor"], "customer");
}

// The customer's steps at a glance: exactly the steps the customer does, in order.
TEST_F(InstructionsHtml, TheCustomersStepsAtAGlance) {
    Instructions in = build("B", "customer", "ja");
    nlohmann::json v = instructions_html_view(in, Wording("instructions", "ja", ""), cal);
    std::vector<std::string> want, got;
    for (const auto& s : in.steps)
        if (!s.provider) want.push_back(std::to_string(s.n) + " " + s.title);
    for (const auto& s : v["yours"]["items"])
        got.push_back(s["n"].get<std::string>() + " " + s["title"].get<std::string>());
    EXPECT_EQ(got, want);
    EXPECT_LT(want.size(), in.steps.size());
    EXPECT_NE(page(in).find("<section class=\"yours\">"), std::string::npos);
}
