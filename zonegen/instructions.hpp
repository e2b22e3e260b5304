// The migration procedure for a customer (the provider's guide, sections 4-1 to 4-4):
// every step in order with its actor, what to do for this domain, its duration and its
// expected date on the business-day calendar; the name servers (and glue) to set; what
// to ask the registrar; and, for pattern B, ready-to-paste primary configuration.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/calendar.hpp"
#include "zonegen/migrate.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/schedule.hpp"
#include "zonegen/spec.hpp"

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

struct Snippet {
    std::string server;  // BIND, NSD, Knot, PowerDNS
    std::string text;
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
    std::vector<std::string> transfer_notes;      // registrar: transfer — AuthCode, e-mail...
    std::optional<std::string> customer_records;  // B, C: the records to add
    std::vector<Snippet> snippets;                // B: primary configuration
    std::vector<std::string> before_switch, after_switch;
    std::vector<std::string> holidays_provisional;  // equinoxes used that are not announced
    std::optional<Migration> migration;             // import_from: what is kept, replaced, dropped
};

// Throws InputError for a transfer of a TLD the profile cannot take over.
Instructions build_instructions(const Spec& spec, const Profile& profile, const std::string& lang,
                                const Date& start, std::optional<std::string> customer_records,
                                std::optional<Migration> migration = std::nullopt);

nlohmann::json instructions_json(const Instructions& in);
std::string instructions_text(const Instructions& in, bool markdown);

}  // namespace zonegen
