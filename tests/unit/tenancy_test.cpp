// Tenancy: the account id's syntax, the TSIG key-name rule, the control panel's canonical
// domains, and the account rule for a live zone (zonegen/tenancy.hpp).
#include <gtest/gtest.h>

#include "zonegen/errors.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/provision.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/tenancy.hpp"

using namespace zonegen;

namespace {

const std::string kPatternB = R"(dns_pattern: B
registrar: customer
server: {name: sv1.example.net, ipv4: [192.0.2.10]}
customer_primary: [198.51.100.53]
customer_nameservers: [ns1.dns-host.example]
)";

Spec spec_b(const std::string& domain, const std::string& extra) {
    return parse_spec("domain: \"" + domain + "\"\n" + kPatternB + extra, "t.yaml");
}

std::string error_of(const std::string& text) {
    try {
        parse_spec(text, "t.yaml");
    } catch (const InputError& e) {
        return e.what();
    }
    return "(accepted)";
}

Profile profile_with(bool control_panel) {
    return parse_profile(default_profile_text() + (control_panel ? "control_panel: true\n" : ""),
                         "p.yaml");
}

// The exit code check_panel_spec gives (0: accepted).
int panel_exit(const Spec& s, bool control_panel) {
    try {
        check_panel_spec(s, profile_with(control_panel));
    } catch (const Error& e) {
        return static_cast<int>(e.code());
    }
    return 0;
}

int account_exit(const std::string& live, std::optional<std::string> want, bool panel) {
    try {
        check_account(Name::parse("example.com."), live, want, panel);
    } catch (const Error& e) {
        return static_cast<int>(e.code());
    }
    return 0;
}

}  // namespace

TEST(Account, Syntax) {
    for (std::string ok :
         std::vector<std::string>{"c", "C123", "cust-42", "a.b_c-d", "0", std::string(40, 'x')})
        EXPECT_FALSE(account_syntax_error(ok)) << ok;
    EXPECT_EQ(*account_syntax_error(""), "empty");
    EXPECT_EQ(*account_syntax_error(std::string(41, 'x')), "longer than 40 characters");
    for (std::string bad : std::vector<std::string>{"-x", ".x", "_x"})
        EXPECT_EQ(*account_syntax_error(bad), "does not start with a letter or digit") << bad;
    for (std::string bad : std::vector<std::string>{"a b", "a/b", "a\nb", "a@b", "aａ",
                                                    "a\xc2\xad"
                                                    "b",
                                                    "a*"})
        EXPECT_NE(account_syntax_error(bad)->find("other than ASCII letters"), std::string::npos)
            << bad;
}

TEST(Account, SpecKeyIsCheckedWithItsLine) {
    Spec s = spec_b("example.com", "account: cust-42\n");
    ASSERT_TRUE(s.account);
    EXPECT_EQ(*s.account, "cust-42");
    EXPECT_EQ(*spec_b("example.com", "account: 12345\n").account, "12345");
    EXPECT_FALSE(spec_b("example.com", "").account);
    EXPECT_EQ(error_of("domain: example.com\n" + kPatternB + "account: 'a b'\n"),
              "t.yaml:7: 'account': 'a b' is not an account id: holds a character other than "
              "ASCII letters, digits, '.', '_' and '-' (1 to 40 ASCII letters, digits, '.', '_' "
              "or '-', starting with a letter or digit)");
    EXPECT_NE(error_of("domain: example.com\n" + kPatternB + "account: [a]\n").find("'account'"),
              std::string::npos);
    EXPECT_NE(error_of("domain: example.com\n" + kPatternB + "account: ''\n").find("empty"),
              std::string::npos);
}

TEST(TsigKeyName, DerivedFromTheDomainWhenLeftOut) {
    Spec s = spec_b("Example.COM", "tsig: {algorithm: hmac-sha256, secret_file: /k}\n");
    ASSERT_TRUE(s.tsig);
    EXPECT_EQ(s.tsig->name.to_string(), "xfr.example.com.");
    EXPECT_EQ(default_tsig_name(Name::parse("example.co.jp.")).to_string(), "xfr.example.co.jp.");
}

TEST(TsigKeyName, BelongsToTheDomainOnlyWhenItIsTheDomainOrBelowIt) {
    const Name zone = Name::parse("example.co.jp.");
    EXPECT_TRUE(tsig_name_belongs_to(Name::parse("example.co.jp."), zone));
    EXPECT_TRUE(tsig_name_belongs_to(Name::parse("xfr.example.co.jp."), zone));
    EXPECT_TRUE(tsig_name_belongs_to(Name::parse("A.B.Example.CO.JP."), zone));
    EXPECT_FALSE(tsig_name_belongs_to(Name::parse("xfr-example."), zone));
    EXPECT_FALSE(tsig_name_belongs_to(Name::parse("xfr.other.co.jp."), zone));
    EXPECT_FALSE(tsig_name_belongs_to(Name::parse("notexample.co.jp."), zone));  // not a suffix
    EXPECT_FALSE(tsig_name_belongs_to(Name::parse("co.jp."), zone));
    EXPECT_FALSE(tsig_name_belongs_to(Name::parse("example.co.jp.evil."), zone));
}

TEST(TsigKeyName, ThePanelRefusesAKeyOfAnotherZoneTheEngineerMayKeepAnOldOne) {
    Spec other = spec_b("example.com",
                        "tsig: {name: xfr.victim.com, algorithm: hmac-sha256, secret_file: /k}\n");
    Spec legacy = spec_b("example.com",
                         "tsig: {name: xfr-example, algorithm: hmac-sha256, secret_file: /k}\n");
    Spec own = spec_b("example.com",
                      "tsig: {name: xfr.example.com, algorithm: hmac-sha256, secret_file: /k}\n");
    EXPECT_EQ(panel_exit(other, true), 2);
    EXPECT_EQ(panel_exit(legacy, true), 2);
    EXPECT_EQ(panel_exit(own, true), 0);
    EXPECT_EQ(panel_exit(other, false), 0);  // the engineer's CLI: checked live (exit 4)
    EXPECT_EQ(panel_exit(legacy, false), 0);
    try {
        check_panel_spec(other, profile_with(true));
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'tsig.name': the key xfr.victim.com. is not "
                                             "example.com. or a name below it"),
                  std::string::npos)
            << e.what();
    }
}

TEST(CanonicalDomain, EverySpellingMapsToOneDomainThePanelTakesOnlyOne) {
    const std::vector<std::string> spellings = {
        "ｖｉｃｔｉｍ．ｃｏｍ",  // full-width letters and full stop
        "vic\xc2\xad"
        "tim.com",  // a soft hyphen
        "vic\xe2\x80\x8b"
        "tim.com",  // a zero-width space
        "victim\xe3\x80\x82"
        "com",  // an ideographic full stop
        "VICTIM.COM",
        "Victim.com",   // upper case
        "victim.com.",  // a trailing dot
    };
    for (const auto& s : spellings) {
        Spec spec = spec_b(s, "");
        EXPECT_EQ(spec.domain.to_string(), "victim.com.") << s;
        EXPECT_EQ(panel_exit(spec, false), 0) << s;  // the engineer's friendly conversion
        EXPECT_EQ(panel_exit(spec, true), 2) << s;
    }
    EXPECT_EQ(panel_exit(spec_b("victim.com", ""), true), 0);
    EXPECT_EQ(panel_exit(spec_b("xn--eckwd4c7cu47r.com", ""), true), 0);
    EXPECT_EQ(panel_exit(spec_b("ドメイン例.com", ""), true), 2);
    EXPECT_EQ(canonical_spelling(Name::parse("xn--eckwd4c7cu47r.com.")), "xn--eckwd4c7cu47r.com");
    try {
        check_panel_spec(spec_b("vic\xc2\xad"
                                "tim.com",
                                ""),
                         profile_with(true));
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "t.yaml: 'domain': 'vic<U+00AD>tim.com' is not in canonical form: the control "
                  "panel's mode (control_panel: true) takes the domain exactly as 'victim.com' "
                  "(lower-case A-labels, no trailing dot)");
    }
}

TEST(ControlPanel, ProfileKey) {
    EXPECT_FALSE(profile_with(false).control_panel);
    EXPECT_TRUE(profile_with(true).control_panel);
    try {
        parse_profile(default_profile_text() + "control_panel: maybe\n", "p.yaml");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'control_panel'"), std::string::npos) << e.what();
    }
}

TEST(ControlPanel, AnAccountIsRequiredToTouchPowerDns) {
    EXPECT_NO_THROW(require_account(std::nullopt, profile_with(false), "s.yaml"));
    EXPECT_NO_THROW(require_account(std::string("c1"), profile_with(true), "s.yaml"));
    EXPECT_THROW(require_account(std::nullopt, profile_with(true), "s.yaml"), InputError);
}

TEST(Account, TheRuleForALiveZone) {
    // Same account: fine in both modes.
    EXPECT_EQ(account_exit("c1", "c1", false), 0);
    EXPECT_EQ(account_exit("c1", "c1", true), 0);
    // Another account's zone: exit 4 in both modes (no --force in play).
    EXPECT_EQ(account_exit("c1", "c2", false), 4);
    EXPECT_EQ(account_exit("c1", "c2", true), 4);
    EXPECT_EQ(account_exit("c1", "C1", true), 4);  // compared exactly
    // A zone without an account: the engineer adopts it (a plan step), the panel never.
    EXPECT_EQ(account_exit("", "c1", false), 0);
    EXPECT_EQ(account_exit("", "c1", true), 4);
    // No account in the spec (the engineer's CLI): nothing to check.
    EXPECT_EQ(account_exit("c1", std::nullopt, false), 0);
    try {
        check_account(Name::parse("victim.com."), "c1", std::string("c2"), true);
    } catch (const UnsafeError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("victim.com."), std::string::npos) << m;
        EXPECT_EQ(m.find("c1"), std::string::npos) << "names the other account: " << m;
    }
}
