// Migration from an existing zone (spec key import_from): the imported zone becomes the
// desired one, with the old provider's SOA/NS replaced by the pattern's, the web records
// (and, when mail is a service, the mail records) replaced by the managed server's, the
// server merged into an existing SPF, and everything else kept. Every decision is
// reported with its reason.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "zonegen/customer_zone.hpp"
#include "zonegen/generate.hpp"

namespace zonegen {

// Why a record is kept, replaced or dropped: a text of the wording (reasons.<key> in
// templates/instructions.<lang>.yaml), or the words a reason brings from where it is decided
// (the mail policy, the old hosts).
struct Why {
    std::string key;  // "": `words`
    Reason words;
};

struct MigrationItem {
    std::string action;  // kept | replaced | dropped | added
    Name owner;
    RRType type = 0;
    std::vector<std::string> before, after;  // wire rdata
    Why why;
};

struct Migration {
    std::vector<MigrationItem> items;  // pattern A
    bool dnssec = false;               // pattern A: the old zone is signed
    std::uint32_t longest_ttl = 0;     // pattern A: the old zone's longest TTL (its caches)
    // Patterns B and C: the customer's zone with our changes applied (customer_zone.hpp).
    bool customer_zone = false;
    std::vector<CustomerChange> customer_changes;
    std::uint32_t serial_before = 0, serial_after = 0;
};

Desired build_migrated(const Spec& spec, const Profile& profile, const Zone& imported,
                       const GenerateOptions& opts, Migration* report);

// The report (JSON: the reasons in English).
nlohmann::json migration_json(const Migration& m);
// The report in `w`'s words (migration, reasons.*).
std::string migration_text(const Migration& m, const Wording& w);

}  // namespace zonegen
