// The generic chain of plan and apply (zonegen/provision.cpp) on a fake target held in
// memory: desired zone -> diff -> safety -> steps -> writes -> reload -> settle, with no
// PowerDNS and no file. And the saved plan format.
#include <gtest/gtest.h>

#include "zonegen/errors.hpp"
#include "zonegen/provision.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;

// What the fake server holds, shared by every FakeTarget (apply --plan makes a new one).
struct FakeWorld {
    std::optional<Zone> zone;
    std::string account;
    std::vector<std::string> ran;  // the subjects of the steps run, in order
    int settled = 0;
};
FakeWorld world;

class FakeTarget final : public Target {
  public:
    std::string kind() const override { return "fake"; }
    std::string server() const override { return "fake:memory"; }
    std::string description() const override { return "the fake target"; }

    LiveZone load(const ZoneIntent& want) override { return live(want.zone); }

    std::vector<PlanStep> steps(const LiveZone& l, const ZoneIntent& want,
                                const Plan& records) override {
        std::vector<PlanStep> out;
        json account = want.account.value_or(l.account);
        json before = l.exists ? json{{"account", l.account}} : json(nullptr);
        json after = {{"account", account}};
        if (before != after) out.push_back(step("zone", before, after));
        if (!records.empty()) out.push_back(step("records", nullptr, nullptr));
        return out;
    }

    std::vector<std::string> settle_text(const ZoneIntent&) const override {
        return {"tell nobody"};
    }

    LiveZone check_plan(const Name& zone, Pattern, const std::vector<PlanStep>& steps) override {
        LiveZone l = live(zone);
        for (const auto& s : steps)
            if (s.subject == "zone" &&
                s.before != (l.exists ? json{{"account", l.account}} : json(nullptr)))
                throw UnsafeError("zone differs");
        return l;
    }

    void run(const Name& zone, const PlanStep& s, const Plan& records) override {
        world.ran.push_back(s.subject);
        if (s.subject == "zone") {
            if (!world.zone) world.zone = Zone(zone);
            world.account = s.after["account"].get<std::string>();
            return;
        }
        for (const auto& c : records.changes) {
            if (c.action == Action::remove)
                world.zone->erase(c.owner, c.type);
            else
                world.zone->set(c.owner, c.type, c.after->ttl, c.after->rdata);
        }
    }

    PlanStep restore_step(const Name&, const std::string& subject, const json& now,
                          const json& want, const Plan&) override {
        return step(subject, now, want);
    }

    Zone reload(const Name&) override { return *world.zone; }

    SettleReport settle(const Name&, Pattern, bool, const std::vector<PlanStep>&) override {
        ++world.settled;
        SettleReport r;
        r.serial_after = 7;
        return r;
    }

  private:
    PlanStep step(const std::string& subject, json before, json after) const {
        PlanStep s;
        s.subject = subject;
        s.server = server();
        s.text = "~ " + subject;
        s.before = std::move(before);
        s.after = std::move(after);
        s.requests = {"poke " + subject};
        return s;
    }

    static LiveZone live(const Name& zone) {
        LiveZone l;
        l.records = world.zone ? *world.zone : Zone(zone);
        l.exists = world.zone.has_value();
        l.role = l.exists ? Role::primary : Role::absent;
        l.rrsets = l.records.rrsets().size();
        l.account = world.account;
        return l;
    }
};

class PlanSteps : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        register_target("fake:",
                        [](const std::string&, Pattern, const Profile&, const ProvisionOptions&) {
                            return std::make_unique<FakeTarget>();
                        });
    }
    void SetUp() override { world = FakeWorld{}; }

    Spec spec_ = parse_spec(
        "domain: example.com\ndns_pattern: A\nregistrar: transfer\naccount: c1\n"
        "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\nservices: [web]\nmail: none\n",
        "t.yaml");
    Profile profile_ = load_profile("");
    ProvisionOptions opts() const {
        ProvisionOptions o;
        o.target = "fake:";
        o.serial = 1;
        return o;
    }
};

TEST_F(PlanSteps, TheGenericChainCreatesTheZoneAndAReplanIsEmpty) {
    ProvisionPlan p = make_plan(spec_, profile_, opts());
    ASSERT_EQ(p.steps.size(), 2u);
    EXPECT_EQ(p.steps[0].subject, "zone");
    EXPECT_EQ(p.steps[1].subject, "records");
    EXPECT_TRUE(p.has_changes());
    EXPECT_FALSE(p.unsafe);
    json d = apply_plan(p, &spec_, profile_, opts(), false);
    EXPECT_EQ(d["applied"], true);
    EXPECT_EQ(d["steps_run"], 2);
    EXPECT_EQ(d["serial_after"], 7);
    EXPECT_EQ(world.ran, (std::vector<std::string>{"zone", "records"}));
    EXPECT_EQ(world.settled, 1);
    ASSERT_TRUE(world.zone);
    EXPECT_TRUE(world.zone->find(Name::parse("www.example.com."), rrtype::A));
    EXPECT_EQ(world.account, "c1");

    ProvisionPlan again = make_plan(spec_, profile_, opts());
    EXPECT_FALSE(again.has_changes()) << plan_text_full(again);
    EXPECT_TRUE(again.plan.empty());
    json d2 = apply_plan(again, &spec_, profile_, opts(), false);
    EXPECT_EQ(d2["applied"], false);
    EXPECT_EQ(world.settled, 2);  // settling is not a change: it runs on every apply
}

TEST_F(PlanSteps, ASavedPlanRunsExactlyItsStepsAndOnlyWhileTheyStillHold) {
    (void)apply_plan(make_plan(spec_, profile_, opts()), &spec_, profile_, opts(), false);
    world.zone->erase(Name::parse("www.example.com."), rrtype::A);
    world.ran.clear();
    json doc = plan_document(make_plan(spec_, profile_, opts()));
    EXPECT_EQ(doc["plan_version"], kPlanVersion);
    ASSERT_EQ(doc["steps"].size(), 1u);
    EXPECT_EQ(doc["steps"][0]["subject"], "records");
    EXPECT_EQ(doc["steps"][0]["requests"][0], "poke records");
    ProvisionPlan back = plan_from_document(json::parse(doc.dump()));
    ASSERT_EQ(back.steps.size(), 1u);
    json d = apply_plan(back, &spec_, profile_, opts(), true);
    EXPECT_EQ(d["applied"], true);
    EXPECT_EQ(world.ran, std::vector<std::string>{"records"});
    EXPECT_TRUE(world.zone->find(Name::parse("www.example.com."), rrtype::A));
    // The same plan again: its "before" no longer holds (the record is back).
    EXPECT_THROW(apply_plan(back, &spec_, profile_, opts(), true), UnsafeError);
}

TEST_F(PlanSteps, ThePlanTextListsEveryStepWithItsRequestsAndTheSettlePhase) {
    ProvisionPlan p = make_plan(spec_, profile_, opts());
    std::string t = plan_text_full(p);
    EXPECT_NE(t.find("  1. ~ zone\n       poke zone\n"), std::string::npos) << t;
    EXPECT_NE(t.find("  2. ~ records\n       poke records\n"), std::string::npos) << t;
    EXPECT_NE(t.find("after the writes (not changes"), std::string::npos) << t;
    EXPECT_NE(t.find("  - tell nobody\n"), std::string::npos) << t;
}

TEST_F(PlanSteps, AnOlderPlanFormatIsRefusedWithAClearMessage) {
    json doc = plan_document(make_plan(spec_, profile_, opts()));
    doc["plan_version"] = 1;
    try {
        (void)plan_from_document(doc);
        FAIL() << "accepted a format-1 plan";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("older zonegen"), std::string::npos) << e.what();
    }
    doc.erase("plan_version");
    EXPECT_THROW(plan_from_document(doc), InputError);
}

TEST_F(PlanSteps, AnEditedPlanCannotWriteOutsideItsZoneOrRepeatAStep) {
    json doc = plan_document(make_plan(spec_, profile_, opts()));
    json edited = doc;
    edited["changes"][0]["name"] = "www.victim.example.";
    EXPECT_THROW(plan_from_document(edited), InputError);
    edited = doc;
    edited["steps"].push_back(edited["steps"][0]);
    EXPECT_THROW(plan_from_document(edited), InputError);
    edited = doc;
    edited["role"]["after"] = "secondary";  // pattern A makes no secondary
    EXPECT_THROW(plan_from_document(edited), InputError);
}

TEST_F(PlanSteps, ThePlanWasMadeAgainstAnotherServer) {
    json doc = plan_document(make_plan(spec_, profile_, opts()));
    doc["server"] = "fake:elsewhere";
    ProvisionPlan back = plan_from_document(doc);
    EXPECT_THROW(apply_plan(back, &spec_, profile_, opts(), true), InputError);
}

TEST_F(PlanSteps, AnUnsafePlanRunsNothingWithoutForce) {
    (void)apply_plan(make_plan(spec_, profile_, opts()), &spec_, profile_, opts(), false);
    world.ran.clear();
    Spec c = spec_;
    c.pattern = Pattern::C;
    ProvisionPlan p = make_plan(c, profile_, opts());
    ASSERT_TRUE(p.unsafe);
    EXPECT_NE(p.unsafe->find("deletes the zone"), std::string::npos) << *p.unsafe;
    EXPECT_THROW(apply_plan(p, &c, profile_, opts(), false), UnsafeError);
    EXPECT_TRUE(world.ran.empty());
}

}  // namespace
}  // namespace zonegen
