#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "backends/zonefile.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/interrupt.hpp"
#include "zonegen/output.hpp"
#include "zonegen/yaml_json.hpp"

namespace {

using json = nlohmann::json;
using zonegen::Name;

TEST(DumpJson, BytesThatAreNotUtf8BecomeReplacementCharactersInsteadOfThrowing) {
    json j = {{"message", std::string("ex\xff"
                                      "ample \x82\xa0 Shift-JIS")}};
    EXPECT_THROW((void)j.dump(), json::type_error);  // what aborted the process before
    std::string out = zonegen::dump_json(j);
    EXPECT_EQ(json::parse(out)["message"],
              "ex\xef\xbf\xbd"
              "ample \xef\xbf\xbd\xef\xbf\xbd Shift-JIS");
    EXPECT_EQ(zonegen::dump_json(json{{"a", 1}}, 2), "{\n  \"a\": 1\n}");
}

TEST(YamlJson, PlainScalarsAreTypedQuotedOnesStayStrings) {
    json j = zonegen::yaml_text_to_json(
        "name: x\nport: 53\nratio: 0.3\non: true\nnothing: ~\nquoted: \"53\"\n"
        "list: [a, 1]\nmap: {k: v}\n",
        "t.yaml");
    EXPECT_EQ(j["name"], "x");
    EXPECT_EQ(j["port"], 53);
    EXPECT_DOUBLE_EQ(j["ratio"].get<double>(), 0.3);
    EXPECT_EQ(j["on"], true);
    EXPECT_TRUE(j["nothing"].is_null());
    EXPECT_EQ(j["quoted"], "53");
    EXPECT_EQ(j["list"], json::array({"a", 1}));
    EXPECT_EQ(j["map"]["k"], "v");
    EXPECT_THROW(zonegen::yaml_text_to_json("a: [", "bad.yaml"), zonegen::InputError);
}

TEST(ZoneFileOrigin, AFileOfAnotherZoneIsRefusedWhenAsked) {
    std::string text = "$ORIGIN other.example.\n@ 300 SOA ns1 h 1 2 3 4 5\n";
    zonegen::ReadOptions ro;
    ro.origin = Name::parse("mine.example.");
    // Without the flag, --origin wins (validate's long-standing behaviour).
    EXPECT_NO_THROW(zonegen::read_zone_text(text, "f.zone", ro));
    ro.refuse_other_origin = true;
    try {
        zonegen::read_zone_text(text, "f.zone", ro);
        FAIL() << "a zone file of another zone was read";
    } catch (const zonegen::InputError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("other.example."), std::string::npos) << m;
        EXPECT_NE(m.find("mine.example."), std::string::npos) << m;
    }
    ro.origin = Name::parse("other.example.");
    EXPECT_NO_THROW(zonegen::read_zone_text(text, "f.zone", ro));
}

TEST(ZoneFileOrigin, FallbackOnlyWhenTheFileNamesNoZone) {
    zonegen::ReadOptions ro;
    ro.fallback = Name::parse("fallback.example.");
    auto r = zonegen::read_zone_text("$ORIGIN own.example.\n@ 300 A 192.0.2.1\n", "a", ro);
    EXPECT_EQ(r.zone.origin().to_string(), "own.example.");
    r = zonegen::read_zone_text("@ 300 A 192.0.2.1\n", "b", ro);
    EXPECT_EQ(r.zone.origin().to_string(), "fallback.example.");
}

TEST(InterruptWatch, TakesTheSignalInItsOwnThreadAndRestoresTheMask) {
    sigset_t before, after;
    pthread_sigmask(SIG_SETMASK, nullptr, &before);
    {
        zonegen::InterruptWatch watch("finishing (unit test)");
        EXPECT_EQ(watch.signal(), 0);
        ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);  // blocked here: the watch's thread takes it
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!watch.signal() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        EXPECT_EQ(watch.signal(), SIGTERM);
        EXPECT_EQ(zonegen::signal_name(watch.signal()), "SIGTERM");
    }
    pthread_sigmask(SIG_SETMASK, nullptr, &after);
    EXPECT_EQ(sigismember(&after, SIGTERM), sigismember(&before, SIGTERM));
    EXPECT_EQ(sigismember(&after, SIGINT), sigismember(&before, SIGINT));
}

}  // namespace
