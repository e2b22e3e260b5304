#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "zonegen/error_json.hpp"

using namespace zonegen;

TEST(ErrorJson, EachKindIsContractsDocument) {
    EXPECT_EQ(error_json(UsageError("--x: unknown")).dump(),
              R"({"error":{"kind":"usage","message":"--x: unknown"}})");
    EXPECT_EQ(error_json(InputError("spec.yaml:3: domain: bad")).dump(),
              R"({"error":{"kind":"input","message":"spec.yaml:3: domain: bad"}})");
    EXPECT_EQ(error_json(BackendError("PowerDNS: 500")).dump(),
              R"({"error":{"kind":"backend","message":"PowerDNS: 500"}})");
    EXPECT_EQ(error_json(UnsafeError("over the limits")).dump(),
              R"({"error":{"kind":"unsafe","message":"over the limits"}})");
}

TEST(ErrorJson, AnInvalidZoneCarriesItsFindings) {
    Finding f{"cname-and-other-data",
              Severity::error,
              "www.example.com.",
              std::nullopt,
              "CNAME beside other data",
              12,
              "z.zone"};
    auto j = error_json(InvalidZoneError("the zone is invalid", {f}));
    EXPECT_EQ(j["error"]["kind"], "invalid");
    EXPECT_EQ(j["error"]["message"], "the zone is invalid");
    ASSERT_EQ(j["error"]["findings"].size(), 1u);
    EXPECT_EQ(j["error"]["findings"][0]["check"], "cname-and-other-data");
    EXPECT_EQ(j["error"]["findings"][0]["line"], 12);
    EXPECT_TRUE(j["error"]["findings"][0]["type"].is_null());
    // Invalid without findings still has the member (an empty list).
    EXPECT_TRUE(error_json(InvalidZoneError("x", {}))["error"]["findings"].is_array());
}

TEST(ErrorJson, ABugIsAnInternalInputError) {
    EXPECT_EQ(error_json(internal_error("bad_alloc")).dump(),
              R"({"error":{"kind":"input","message":"internal error: bad_alloc"}})");
    EXPECT_EQ(error_json(internal_error(nullptr)).dump(),
              R"({"error":{"kind":"input","message":"internal error: an unknown exception"}})");
}
