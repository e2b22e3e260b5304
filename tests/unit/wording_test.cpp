#include "zonegen/wording.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "zonegen/errors.hpp"

namespace zonegen {
namespace {

TEST(Mustache, InsertsValuesAndSections) {
    nlohmann::json ctx = {{"domain", "example.jp"},
                          {"mail", true},
                          {"web", false},
                          {"ns", {{{"name", "ns1"}}, {{"name", "ns2"}}}}};
    EXPECT_EQ(render_mustache("{{domain}}{{#mail}} M{{/mail}}{{^web}} noweb{{/web}}"
                              "{{#ns}} {{name}}{{/ns}}",
                              ctx, false, "t"),
              "example.jp M noweb ns1 ns2");
}

TEST(Mustache, StandaloneSectionLinesLeaveNoLine) {
    nlohmann::json ctx = {{"a", true}, {"b", false}};
    EXPECT_EQ(render_mustache("one\n{{#a}}\ntwo\n{{/a}}\n{{#b}}\nno\n{{/b}}\n  {{^b}}{{#a}}\n"
                              "three\n{{/a}}{{/b}}\nfour {{#a}}x{{/a}}\n",
                              ctx, false, "t"),
              "one\ntwo\nthree\nfour x\n");
    // A blank line after a section stays (the library alone would take it for standalone).
    EXPECT_EQ(render_mustache("{{#l}}\n- {{.}}\n{{/l}}\n\n{{#b}}\nno\n{{/b}}\nend\n",
                              {{"l", {"x", "y"}}, {"b", false}}, false, "t"),
              "- x\n- y\n\nend\n");
}

TEST(Mustache, EscapesOnlyForHtml) {
    nlohmann::json ctx = {{"x", "<a & 'b'>"}};
    EXPECT_EQ(render_mustache("{{x}}", ctx, false, "t"), "<a & 'b'>");
    EXPECT_EQ(render_mustache("{{x}}", ctx, true, "t"), "&lt;a &amp; &apos;b&apos;&gt;");
}

TEST(Mustache, UnknownNameIsAnErrorNamingIt) {
    try {
        render_mustache("{{domian}}", {{"domain", "x"}}, false, "file.yaml: k");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("file.yaml: k: unknown name '{{domian}}'"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Mustache, NamesAreLookedUpWhereTheyAreRendered) {
    // A key deeper in the view is not a top-level name.
    EXPECT_THROW(render_mustache("{{yours}}", {{"t", {{"yours", "x"}}}}, false, "t"), InputError);
    // An item's key, and an outer key, inside a list.
    EXPECT_EQ(render_mustache("{{#l}}{{n}}{{d}} {{/l}}",
                              {{"l", {{{"n", 1}}, {{"n", 2}}}}, {"d", "x"}}, false, "t"),
              "1x 2x ");
    // What is not rendered is not looked into: an empty list, a false section.
    EXPECT_EQ(render_mustache("{{#l}}{{nope}}{{/l}}{{#f}}{{nope}}{{/f}}ok",
                              {{"l", nlohmann::json::array()}, {"f", false}}, false, "t"),
              "ok");
    // A misspelt name in an item is found.
    EXPECT_THROW(render_mustache("{{#l}}{{m}}{{/l}}", {{"l", {{{"n", 1}}}}}, false, "t"),
                 InputError);
    // A section over a string looks further out.
    EXPECT_EQ(render_mustache("{{#a}}[{{a}}]{{/a}}", {{"a", "v"}}, false, "t"), "[v]");
}

TEST(Mustache, UnclosedSectionIsAnError) {
    EXPECT_THROW(render_mustache("{{#a}}x", {{"a", true}}, false, "t"), InputError);
    EXPECT_THROW(render_mustache("{{> part}}", nlohmann::json::object(), false, "t"), InputError);
}

TEST(Wording, BuiltInTextsInBothLanguages) {
    for (const char* lang : {"ja", "en"}) {
        Wording w("instructions", lang);
        EXPECT_TRUE(w.has("headings.steps")) << lang;
        EXPECT_NE(w.say("headings.title", {{"domain", "example.jp"}, {"ascii", nullptr}})
                      .find("example.jp"),
                  std::string::npos);
    }
}

class WordingOverride : public ::testing::Test {
  protected:
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("zonegen-wording-" + std::to_string(::getpid()));
    void SetUp() override { std::filesystem::create_directories(dir); }
    void TearDown() override { std::filesystem::remove_all(dir); }
    void write(const std::string& text) { std::ofstream(dir / "instructions.ja.yaml") << text; }
};

TEST_F(WordingOverride, ReplacesOnlyTheKeysItGives) {
    write("headings:\n  steps: お手続きの流れ\n");
    Wording w("instructions", "ja", dir.string());
    EXPECT_EQ(w.say("headings.steps", nlohmann::json::object()), "お手続きの流れ");
    EXPECT_EQ(w.say("headings.nameservers", nlohmann::json::object()),
              Wording("instructions", "ja").say("headings.nameservers", nlohmann::json::object()));
}

TEST_F(WordingOverride, UnknownKeyIsRefusedNamingTheFile) {
    write("headings:\n  stesp: x\n");
    try {
        Wording w("instructions", "ja", dir.string());
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'headings.stesp' is not a text"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("instructions.ja.yaml"), std::string::npos);
    }
}

TEST_F(WordingOverride, BrokenYamlNamesTheLine) {
    write("headings:\n  steps: [\n");
    EXPECT_THROW(Wording("instructions", "ja", dir.string()), InputError);
}

}  // namespace
}  // namespace zonegen
