// The migration procedure for a customer (the provider's guide, sections 4-1 to 4-4):
// every step in order with its actor, what to do for this domain, its duration and its
// expected date on the business-day calendar; the name servers (and glue) to set; what
// to ask the registrar; and, for pattern B, ready-to-paste primary configuration.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "backends/dnssec_ds.hpp"
#include "zonegen/calendar.hpp"
#include "zonegen/migrate.hpp"
#include "zonegen/primary_config.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/schedule.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/wording.hpp"

namespace zonegen {

struct Step {
    int n = 0;
    std::string id;          // stable, for programs and tests: ns_change, transfer_check...
    std::string guide_step;  // the guide's own label: "1", "4-1", "1-2"...; "" when added
    bool provider = false;   // actor: provider or customer
    std::string title, detail;
    std::optional<Duration> duration;
    std::optional<Date> date;               // expected earliest date; none where it cannot be known
    std::optional<Date> date_latest;        // expected latest date (== date when not a range)
    std::vector<CalendarWarning> warnings;  // closures and holiday runs its window crosses
};

struct Instructions {
    std::string lang;
    Name domain;
    std::string domain_unicode;
    Pattern pattern = Pattern::A;
    Registrar registrar = Registrar::transfer;
    int procedure = 1;
    std::vector<HostAddrs> nameservers;  // the delegation to set (glue where inside the domain)
    std::vector<Step> steps;
    std::string registrar_request;                // registrar: customer — the request to send
    std::vector<std::string> transfer_notes;      // registrar: transfer — how long it takes
    std::optional<std::string> customer_records;  // B, C: the records to add
    std::vector<Snippet> snippets;                // B: primary configuration, a new zone
    std::vector<Snippet> snippets_additions;      // B: what to add for an existing zone
    std::vector<std::string> before_switch, after_switch;
    std::vector<std::string> holidays_provisional;  // equinoxes used that are not announced
    std::optional<Migration> migration;             // import_from: what is kept, replaced, dropped
    // Our servers sign the zone (pattern A, dnssec): the DS the parent must publish, known once
    // PowerDNS has signed it (instructions --with-ds); empty until then.
    bool dnssec = false;
    std::vector<DsRecord> ds;
};

// Throws InputError for a transfer of a TLD the profile cannot take over.
// The words are `w`'s (Wording("instructions", lang, profile.texts_dir)).
Instructions build_instructions(const Spec& spec, const Profile& profile, const Wording& w,
                                const Date& start, std::optional<std::string> customer_records,
                                std::optional<Migration> migration = std::nullopt,
                                std::vector<DsRecord> ds = {});

// The same with the built-in words of `lang` ("ja" or "en") or the profile's texts_dir.
Instructions build_instructions(const Spec& spec, const Profile& profile, const std::string& lang,
                                const Date& start, std::optional<std::string> customer_records,
                                std::optional<Migration> migration = std::nullopt,
                                std::vector<DsRecord> ds = {});

nlohmann::json instructions_json(const Instructions& in);

// Words the text, the Markdown and the page share: a duration ("1～3営業日", "up to 48
// hours") and the DS line (none to register; with a signed old zone, the removal's step).
std::string duration_text(const Duration& d, const Wording& w);
// The duration a step shows beside its dates: none for the parallel period, whose detail
// states its least length (「少なくとも14日間」): a range there would read as "7 days may do".
std::optional<Duration> shown_duration(const Step& s);
std::string ds_line(const Instructions& in, const Wording& w);
std::string instructions_text(const Instructions& in, const Wording& w, bool markdown);
// With the built-in words of the instructions' language.
std::string instructions_text(const Instructions& in, bool markdown);

}  // namespace zonegen
