#include "zonegen/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <csignal>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>

#include "backends/pdns.hpp"
#include "backends/pdns_dnssec.hpp"
#include "backends/source.hpp"
#include "backends/zonefile.hpp"
#include "validators/checks.hpp"
#include "zonegen/atomic_file.hpp"
#include "zonegen/batch.hpp"
#include "zonegen/diff.hpp"
#include "zonegen/dkim.hpp"
#include "zonegen/dnssec.hpp"
#include "zonegen/domain.hpp"
#include "zonegen/error_json.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/history.hpp"
#include "zonegen/input.hpp"
#include "zonegen/instructions.hpp"
#include "zonegen/instructions_html.hpp"
#include "zonegen/journal.hpp"
#include "zonegen/mail_setup.hpp"
#include "zonegen/output.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/provision.hpp"
#include "zonegen/render.hpp"
#include "zonegen/rollback.hpp"
#include "zonegen/secret.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/spec_paths.hpp"
#include "zonegen/tenancy.hpp"
#include "zonegen/utf8.hpp"
#include "zonegen/verify.hpp"
#include "zonegen/version.hpp"
#include "zonegen/wording.hpp"
#include "zonegen/yaml_json.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;

// A command's zones live until the process ends, moments later. Freeing a large one node by
// node would cost about a fifth of a `validate` run, so those are left to the exit; a static
// pointer keeps them reachable, which leak checkers accept.
void leave_to_exit(Zone&& z) {
    if (z.record_count() < 10000) return;
    struct Kept {
        Zone zone;
        Kept* next;
    };
    static Kept* kept = nullptr;
    kept = new Kept{std::move(z), kept};
}

// Options every command takes.
struct Common {
    std::string profile;
    std::string format = "text";
    bool verbose = false;
    std::string journal;  // --journal FILE: see journal_config
};

void add_common(CLI::App* cmd, Common& c, const std::vector<std::string>& formats) {
    cmd->add_option("--profile", c.profile, "provider profile YAML (default: the built-in one)");
    cmd->add_option("--format", c.format, "output format")->check(CLI::IsMember(formats));
    cmd->add_flag("--verbose", c.verbose, "trace what zonegen does on stderr");
    cmd->add_option("--journal", c.journal,
                    "the journal of changes (apply, batch and rollback write it, history reads "
                    "it; default: the profile's journal:)");
}

void trace(const Common& c, const std::string& msg) {
    if (c.verbose) std::cerr << "zonegen: " << msg << "\n";
}

// --origin NAME (trailing dot optional).
std::optional<Name> origin_flag(const std::string& text) {
    if (text.empty()) return std::nullopt;
    try {
        return Name::parse_fqdn(text);
    } catch (const NameError& e) {
        throw UsageError(std::string("--origin: ") + e.what());
    }
}

void print_findings_text(const std::vector<Finding>& fs, std::ostream& os) {
    for (const auto& f : fs) os << finding_text(f) << "\n";
}

// ---- generate ---------------------------------------------------------------------------

struct GenerateArgs {
    Common common;
    std::string spec;
    std::string output = "-";
    std::optional<std::uint32_t> serial;
};

// The desired zone's findings with the validator's; an invalid zone stops here.
std::vector<Finding> checked_findings(const Spec& spec, const Profile& profile, const Desired& d,
                                      const Common& c) {
    ValidateOptions vo;
    vo.fragment = d.fragment;
    vo.spec = &spec;
    vo.profile = &profile;
    vo.file = spec.source;
    auto found = validate_zone(d.zone, vo);
    std::vector<Finding> findings = d.findings;
    add_new_findings(findings, std::move(found));
    trace(c, std::to_string(d.zone.record_count()) + " records, " +
                 std::to_string(findings.size()) + " findings");
    if (count_errors(findings) > 0)
        throw InvalidZoneError(
            "the zone for " + spec.domain.to_string() + " is invalid; nothing was written",
            findings);
    return findings;
}

// With import_from, what changed from the customer's zone (on stderr, beside the text).
void print_migration(const Common& c, const Spec& spec, const Migration& migration) {
    if (c.format != "json" && migration.customer_zone)
        std::cerr << "changes to the zone from " << spec.import_from << ":\n"
                  << customer_changes_text(migration.customer_changes, spec.domain,
                                           Wording::builtin("instructions", "en"));
    else if (c.format != "json" && !spec.import_from.empty())
        std::cerr << "migration from " << spec.import_from << ":\n"
                  << migration_text(migration, Wording::builtin("instructions", "en"));
}

json generate_json(const Spec& spec, const Desired& d, const std::string& text,
                   const Migration& migration, const std::vector<Finding>& findings) {
    json j = {{"zone", spec.domain.to_string()},
              {"dns_pattern", to_string(spec.pattern)},
              {"registrar", to_string(spec.registrar)},
              {"fragment", d.fragment},
              {"serial", d.fragment ? json(nullptr) : json(d.serial)},
              {"text", text},
              {"pdns", pdns_create_body(spec, d)},
              {"findings", findings_json(findings)}};
    if (migration.customer_zone)
        j["customer_changes"] = customer_changes_json(migration.customer_changes);
    else if (!spec.import_from.empty())
        j["migration"] = migration_json(migration);
    return j;
}

int cmd_generate(GenerateArgs& a) {
    Profile profile = load_profile(a.common.profile);
    trace(a.common, "profile: " + profile.source);
    Spec spec = load_spec(a.spec);
    read_dkim_keys(spec, profile);
    trace(a.common, "spec: " + spec.domain.to_string() + ", pattern " + to_string(spec.pattern));
    GenerateOptions go;
    go.serial = a.serial;
    go.now = generation_time();
    ProvisionOptions po;
    po.trace = [&](const std::string& m) { trace(a.common, m); };
    Migration migration;
    Desired d = desired_for(spec, profile, go, po, &migration);
    std::vector<Finding> findings = checked_findings(spec, profile, d, a.common);

    std::string text = generated_text(spec, profile, d);
    std::string out;
    print_migration(a.common, spec, migration);
    if (a.common.format == "zone") {
        out = text;
        print_findings_text(findings, std::cerr);
    } else if (a.common.format == "pdns-json") {
        out = dump_json(pdns_create_body(spec, d), 2) + "\n";
        print_findings_text(findings, std::cerr);
    } else {
        out = dump_json(generate_json(spec, d, text, migration, findings), 2) + "\n";
    }
    write_file_atomic(a.output, out);
    if (a.output != "-") trace(a.common, "wrote " + a.output);
    return 0;
}

// ---- validate ---------------------------------------------------------------------------

struct ValidateArgs {
    Common common;
    std::string file;
    std::string origin;
    std::string spec;
    std::string allow_include;
    bool fragment = false;
};

// Every finding names its file (zone-level ones too), in the order of the file's lines.
void sort_by_line(std::vector<Finding>& findings, const std::string& file) {
    for (auto& f : findings)
        if (f.file.empty()) f.file = file;
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& x, const Finding& y) {
        if (x.file != y.file) return x.file < y.file;
        return (x.line ? x.line : 0x7fffffff) < (y.line ? y.line : 0x7fffffff);
    });
}

void print_validation(const ValidateArgs& a, const Zone& zone,
                      const std::vector<Finding>& findings) {
    std::size_t errors = count_errors(findings), warnings = findings.size() - errors;
    if (a.common.format == "json") {
        json j = {{"zone", zone.origin().to_string()},
                  {"records", zone.record_count()},
                  {"errors", errors},
                  {"warnings", warnings},
                  {"findings", findings_json(findings)}};
        std::cout << dump_json(j, 2) << "\n";
    } else {
        print_findings_text(findings, std::cout);
        std::cout << a.file << ": " << zone.origin().to_string() << ": " << zone.record_count()
                  << " records, " << errors << " error" << (errors == 1 ? "" : "s") << ", "
                  << warnings << " warning" << (warnings == 1 ? "" : "s") << "\n";
    }
}

int cmd_validate(ValidateArgs& a) {
    ReadOptions ro;
    std::optional<Spec> spec;
    std::optional<Profile> profile;
    if (!a.spec.empty()) {
        profile = load_profile(a.common.profile);
        spec = load_spec(a.spec);
        read_dkim_keys(*spec, *profile);
        check_panel_spec(*spec, *profile);
        ro.origin = spec->domain;
    }
    if (auto o = origin_flag(a.origin)) ro.origin = o;
    // A file of another zone than the one asked for is one error, not a cascade of findings.
    ro.refuse_other_origin = ro.origin.has_value();
    ro.allow_include_dir = a.allow_include;
    trace(a.common, "reading " + a.file);
    ReadResult r = read_zone_file(a.file, ro);
    ValidateOptions vo;
    vo.fragment = a.fragment;
    vo.file = a.file;
    if (spec) {
        vo.spec = &*spec;
        vo.profile = &*profile;
    }
    auto found = validate_zone(r.zone, vo);
    std::vector<Finding> findings = std::move(r.findings);
    findings.insert(findings.end(), found.begin(), found.end());
    sort_by_line(findings, a.file);
    print_validation(a, r.zone, findings);
    std::size_t errors = count_errors(findings);
    leave_to_exit(std::move(r.zone));
    return errors ? static_cast<int>(ExitCode::invalid) : 0;
}

// ---- zone sources: diff and import -------------------------------------------------------

struct SourceArgs {
    std::string origin, allow_include, pdns_url, api_key_file;
    std::string tsig_name, tsig_algorithm = "hmac-sha256", tsig_secret_file;
    int timeout = 0;      // the profile's zone_transfer.max_seconds
    std::string account;  // pdns: sources: the zone must be this account's (tenancy.hpp)
};

void add_source_options(CLI::App* cmd, SourceArgs& a) {
    cmd->add_option("--origin", a.origin, "the zone's name (default: the file's $ORIGIN)");
    cmd->add_option("--allow-include", a.allow_include, "permit $INCLUDE of files under DIR");
    cmd->add_option("--pdns-url", a.pdns_url,
                    "PowerDNS API URL for pdns: (default: the profile's)");
    cmd->add_option("--pdns-api-key-file", a.api_key_file,
                    "file with the API key (default: $PDNS_API_KEY)");
    cmd->add_option("--tsig-name", a.tsig_name, "TSIG key name for axfr:// sources");
    cmd->add_option("--tsig-algorithm", a.tsig_algorithm, "TSIG algorithm (default hmac-sha256)");
    cmd->add_option("--tsig-secret-file", a.tsig_secret_file,
                    "file with the TSIG secret (base64), mode 0600");
    cmd->add_option("--timeout", a.timeout,
                    "seconds an AXFR may take in all, connecting to the last message (default: "
                    "the profile's zone_transfer.max_seconds, 10)")
        ->check(CLI::Range(1, 86400));
    cmd->add_option("--account", a.account,
                    "pdns: sources: read the zone only if PowerDNS keeps it for this account "
                    "(required with control_panel: true)");
}

SourceOptions source_options(const SourceArgs& a, const Common& c) {
    SourceOptions o;
    o.origin = origin_flag(a.origin);
    o.allow_include = a.allow_include;
    o.api_key_file = a.api_key_file;
    o.timeout_s = a.timeout;
    o.trace = [&c](const std::string& m) { trace(c, m); };
    if (!a.account.empty()) {
        if (auto why = account_syntax_error(a.account)) throw UsageError("--account: " + *why);
        o.account = a.account;
    }
    if (!a.tsig_name.empty() || !a.tsig_secret_file.empty()) {
        if (a.tsig_name.empty() || a.tsig_secret_file.empty())
            throw UsageError("TSIG needs both --tsig-name and --tsig-secret-file");
        TsigKey k;
        try {
            k.name = Name::parse_fqdn(a.tsig_name);
        } catch (const NameError& e) {
            throw UsageError(std::string("--tsig-name: ") + e.what());
        }
        k.algorithm = a.tsig_algorithm;
        k.secret = read_secret_file(a.tsig_secret_file, "TSIG secret");
        if (!is_base64(k.secret.view()))
            throw InputError("TSIG secret file " + printable(a.tsig_secret_file) +
                             " does not hold one line of base64 (its content is not shown)");
        o.tsig = std::move(k);
    }
    return o;
}

// Loads a source for diff/import: one with syntax errors is refused with its findings.
Zone load_source(const std::string& source, SourceOptions& o, const Common& c) {
    if (location_kind(source) == LocationKind::pdns) {
        Profile profile = load_profile(c.profile);
        o.control_panel = profile.control_panel;
        if (o.pdns_url.empty()) {
            o.pdns_url = profile.pdns_url;
            o.pdns_server_id = profile.pdns_server_id;
        }
    }
    if (location_kind(source) == LocationKind::axfr) {  // the profile's caps; in the control
        Profile profile = load_profile(c.profile);      // panel's mode, its network boundary
        o.max_records = profile.max_transfer_records;
        o.max_bytes = profile.max_transfer_bytes;
        if (o.timeout_s == 0) o.timeout_s = profile.max_transfer_seconds;
        if (profile.control_panel) o.customer_networks.emplace(profile);
        o.customer_key = "'" + printable(source) + "'";
    }
    LoadedZone r = load_zone_source(source, o);
    std::size_t errors = count_errors(r.findings);
    if (errors) {
        for (auto& f : r.findings) f.file = f.file.empty() ? source : f.file;
        throw InvalidZoneError(source + " does not parse (" + std::to_string(errors) + " errors)",
                               r.findings);
    }
    return std::move(r.zone);
}

struct DiffArgs {
    Common common;
    SourceArgs src;
    std::string old_source, new_source;
    bool detailed_exitcode = false;
};

int cmd_diff(DiffArgs& a) {
    SourceOptions o = source_options(a.src, a.common);
    o.pdns_url = a.src.pdns_url;
    Zone before = load_source(a.old_source, o, a.common);
    // NEW names its own zone (a leading $ORIGIN, pdns:ZONE, axfr://.../ZONE); OLD's is only
    // the fallback for a file without $ORIGIN, so two zones are never silently merged.
    o.fallback_origin = before.origin();
    Zone after = load_source(a.new_source, o, a.common);
    if (before.origin() != after.origin())
        throw UsageError("the two sources are different zones: " + before.origin().to_string() +
                         " and " + after.origin().to_string());
    Plan plan = diff_zones(before, after);
    leave_to_exit(std::move(before));
    leave_to_exit(std::move(after));
    if (a.common.format == "json")
        std::cout << dump_json(plan_json(plan), 2) << "\n";
    else
        std::cout << plan_text(plan);
    if (a.detailed_exitcode && !plan.empty()) return static_cast<int>(ExitCode::changes);
    return 0;
}

struct ImportArgs {
    Common common;
    SourceArgs src;
    std::string source, output = "-";
};

int cmd_import(ImportArgs& a) {
    SourceOptions o = source_options(a.src, a.common);
    o.pdns_url = a.src.pdns_url;
    Zone z = load_source(a.source, o, a.common);
    ValidateOptions vo;
    auto findings = validate_zone(z, vo);
    ZoneTextOptions zo;
    zo.header.push_back("zonegen import of " + z.origin().to_string() + ": " +
                        std::to_string(z.record_count()) + " records");
    if (const RRset* soa = z.find(z.origin(), rrtype::SOA)) zo.default_ttl = soa->ttl();
    std::string text = zone_text(z, zo);
    if (a.common.format == "json") {
        json j = {{"zone", z.origin().to_string()},
                  {"records", z.record_count()},
                  {"text", text},
                  {"findings", findings_json(findings)}};
        text = dump_json(j, 2) + "\n";
    } else {
        print_findings_text(findings, std::cerr);
    }
    write_file_atomic(a.output, text);
    trace(a.common, "wrote " + std::to_string(z.record_count()) + " records to " + a.output);
    return 0;
}

// ---- plan and apply ---------------------------------------------------------------------

struct ProvisionArgs {
    Common common;
    std::string spec, plan_file, out;
    ProvisionOptions opts;
    std::vector<std::string> parent_servers;  // as given; parsed into opts.parent_servers
    bool yes = false, detailed_exitcode = false;
};

void add_parent_server_option(CLI::App* cmd, ProvisionArgs& a) {
    cmd->add_option("--parent-server", a.parent_servers,
                    "a server of the parent zone, ADDR[:PORT], asked how it delegates the domain "
                    "before a zone is created or deleted (repeatable; default: the profile's "
                    "parent_servers, else found through the system resolver)")
        ->each([&a](const std::string& v) {
            auto e = parse_endpoint(v);
            if (!e)
                throw CLI::ValidationError("'" + v +
                                           "' is not ADDRESS, ADDRESS:PORT or [IPV6]:PORT (a "
                                           "parent server is named by its address)");
            a.opts.parent_servers.push_back(*e);
        });
}

void add_provision_options(CLI::App* cmd, ProvisionArgs& a) {
    cmd->add_option("--target", a.opts.target, "pdns: (default), pdns:ZONE, or a zone file");
    cmd->add_option("--pdns-url", a.opts.pdns_url,
                    "PowerDNS API URL (default: the profile's pdns.url)");
    cmd->add_option("--pdns-api-key-file", a.opts.api_key_file,
                    "file with the API key, mode 0600 (default: $PDNS_API_KEY)");
    cmd->add_flag(
        "--full", a.opts.full,
        "the zone is fully managed: delete rrsets the spec does not make (kept otherwise)");
    cmd->add_option("--pdns-timeout", a.opts.pdns_timeout_s,
                    "seconds to wait for each PowerDNS call (default 30)");
    cmd->add_option("--serial", a.opts.serial,
                    "SOA serial for a new zone or file (default: date-based)");
    cmd->add_option("--pdns-max-response-mb", a.opts.pdns_max_response_mb,
                    "refuse (exit 3) a PowerDNS answer larger than this (default 256)")
        ->check(CLI::Range(1, 4096));
    add_parent_server_option(cmd, a);
    add_common(cmd, a.common, {"text", "json"});
}

// Colour only on a terminal.
std::string coloured(const std::string& text) {
    if (!::isatty(1)) return text;
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t e = text.find('\n', i);
        if (e == std::string::npos) e = text.size();
        std::string line = text.substr(i, e - i);
        const char* c = line.rfind("+ ", 0) == 0   ? "\033[32m"
                        : line.rfind("- ", 0) == 0 ? "\033[31m"
                        : line.rfind("~ ", 0) == 0 ? "\033[33m"
                                                   : nullptr;
        out += c ? std::string(c) + line + "\033[0m" : line;
        if (e < text.size()) out += "\n";
        i = e + 1;
    }
    return out;
}

int cmd_plan(ProvisionArgs& a) {
    Profile profile = load_profile(a.common.profile);
    Spec spec = load_spec(a.spec);
    read_dkim_keys(spec, profile);
    a.opts.trace = [&](const std::string& m) { trace(a.common, m); };
    ProvisionPlan p = make_plan(spec, profile, a.opts);
    json doc = plan_document(p);
    if (!a.out.empty()) write_file_atomic(a.out, dump_json(doc, 2) + "\n");
    if (a.common.format == "json")
        std::cout << dump_json(doc, 2) << "\n";
    else
        std::cout << coloured(plan_text_full(p));
    if (a.detailed_exitcode && p.has_changes()) return static_cast<int>(ExitCode::changes);
    return 0;
}

std::string apply_summary(const json& d) {
    // Every field may be absent or null (a file target, pattern C, secondaries not asked).
    auto num = [&](const char* k) {
        return d.contains(k) && d[k].is_number() ? d[k].dump() : std::string("-");
    };
    auto str = [](const json& j, const char* k) {
        return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
    };
    std::string out;
    out += d.value("applied", false) ? "applied" : "nothing to apply";
    if (num("serial_before") != "-" || num("serial_after") != "-")
        out += "; serial " + num("serial_before") + " -> " + num("serial_after");
    if (d.contains("notified") && d["notified"].is_array() && !d["notified"].empty()) {
        out += "; notified";
        for (const auto& n : d["notified"])
            if (n.is_string()) out += " " + n.get<std::string>();
    }
    if (d.contains("secondaries") && d["secondaries"].is_array())
        for (const auto& s : d["secondaries"]) {
            const json& sync = s.contains("in_sync") ? s["in_sync"] : json();
            out += "; " + str(s, "name") +
                   (sync.is_boolean() ? (sync.get<bool>() ? " in sync" : " not in sync yet")
                                      : " not asked");
        }
    if (!str(d, "transfer").empty()) out += "; transfer " + str(d, "transfer");
    if (d.contains("findings") && d["findings"].is_array())
        for (const auto& f : d["findings"])
            out +=
                "\n" + str(f, "severity") + ": " + str(f, "message") + " (" + str(f, "check") + ")";
    return out + "\n";
}

int cmd_apply(ProvisionArgs& a) {
    Profile profile = load_profile(a.common.profile);
    a.opts.trace = [&](const std::string& m) { trace(a.common, m); };
    std::optional<Spec> spec;
    ProvisionPlan p;
    bool from_file = !a.plan_file.empty();
    if (from_file) {
        if (!a.spec.empty()) throw UsageError("give either SPEC or --plan FILE, not both");
        json doc;
        try {
            doc = json::parse(read_input(a.plan_file));
        } catch (const json::exception& e) {
            throw InputError(a.plan_file + ": not JSON: " + e.what());
        }
        p = plan_from_document(doc);
        a.opts.target = p.target;
    } else {
        if (a.spec.empty()) throw UsageError("apply needs SPEC or --plan FILE");
        spec = load_spec(a.spec);
        read_dkim_keys(*spec, profile);
        p = make_plan(*spec, profile, a.opts);
    }
    if (!a.yes) {
        if (a.common.format == "json")
            std::cout << dump_json(plan_document(p), 2) << "\n";
        else
            std::cout << coloured(plan_text_full(p, a.opts.force))
                      << "not applied: add --yes to apply\n";
        return 0;
    }
    Journal journal(journal_config(profile, a.common.journal));
    if (journal.enabled()) a.opts.journal = &journal;
    a.opts.journal_command = from_file ? "apply --plan" : "apply";
    json d = apply_plan(p, spec ? &*spec : nullptr, profile, a.opts, from_file);
    if (d.value("applied", false))
        note_done("applied to " +
                  (p.target_kind == "file" ? p.server : "pdns:" + p.zone.to_string()));
    if (a.common.format == "json")
        std::cout << dump_json(d, 2) << "\n";
    else
        std::cout << coloured(plan_text_full(p, a.opts.force)) << apply_summary(d);
    return 0;
}

// ---- instructions -------------------------------------------------------------------------

struct InstructionsArgs {
    Common common;
    std::string spec, lang = "ja", start, output = "-";
    bool with_ds = false;  // the DS from our PowerDNS (pdns_url, api_key_file)
    std::string pdns_url, api_key_file;
};

// --with-ds: the DS of the keys our PowerDNS signs the zone with.
std::vector<DsRecord> instructions_ds(const Spec& spec, const Profile& profile,
                                      const InstructionsArgs& a) {
    auto signing = dnssec_intent(spec, profile);
    if (!signing || !signing->sign)
        throw UsageError("--with-ds: " + spec.source +
                         " does not have our servers sign the zone (dnssec: true, pattern A)");
    PdnsConfig c;
    c.url = a.pdns_url.empty() ? profile.pdns_url : a.pdns_url;
    c.server_id = profile.pdns_server_id;
    c.api_key = read_api_key(a.api_key_file);
    c.trace = [&](const std::string& m) { trace(a.common, m); };
    PdnsClient client(std::move(c));
    return pdns_served_ds(client, spec.domain, spec.account, profile.control_panel);
}

int cmd_instructions(InstructionsArgs& a) {
    Profile profile = load_profile(a.common.profile);
    Spec spec = load_spec(a.spec);
    read_dkim_keys(spec, profile);
    if (spec.import_from.empty()) check_panel_spec(spec, profile);  // else in desired_for
    Date start;
    try {
        start = a.start.empty() ? Date::today() : Date::parse(a.start);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--start: ") + e.what());
    }
    std::optional<Migration> migration;
    if (!spec.import_from.empty()) {
        ProvisionOptions po;
        po.trace = [&](const std::string& m) { trace(a.common, m); };
        GenerateOptions go;
        go.now = generation_time();
        Migration m;
        Desired d = desired_for(spec, profile, go, po, &m);
        // An MX elsewhere (mx-external) and the like stop the procedure as they stop generate.
        if (count_errors(d.findings))
            throw InvalidZoneError("the zone for " + spec.domain.to_string() +
                                       " is invalid; no instructions were written",
                                   d.findings);
        migration = m;
    }
    const Wording words("instructions", a.lang, profile.texts_dir);
    std::optional<std::string> records;
    if (migration && migration->customer_zone) {
        records = customer_changes_text(migration->customer_changes, spec.domain, words);
    } else if (spec.pattern != Pattern::A) {
        GenerateOptions go;
        go.now = generation_time();
        Desired d = build_desired(spec, profile, go);
        records =
            records_text(spec, profile, d,
                         words.say("text.records_header", {{"domain", to_unicode(spec.domain)}}));
    }
    std::vector<DsRecord> ds;
    if (a.with_ds) ds = instructions_ds(spec, profile, a);
    Instructions in = build_instructions(spec, profile, words, start, records, migration, ds);
    std::string out;
    if (a.common.format == "json")
        out = dump_json(instructions_json(in), 2) + "\n";
    else if (a.common.format == "html")
        out =
            instructions_html(in, words, BusinessCalendar(profile.closed_days), profile.texts_dir);
    else
        out = instructions_text(in, words, a.common.format == "markdown");
    write_file_atomic(a.output, out);
    if (a.output != "-") trace(a.common, "wrote " + a.output);
    return 0;
}

// ---- mail-setup ---------------------------------------------------------------------------

struct MailSetupArgs {
    Common common;
    std::string spec, policy_out;
};

int cmd_mail_setup(MailSetupArgs& a) {
    Profile profile = load_profile(a.common.profile);
    Spec spec = load_spec(a.spec);
    read_dkim_keys(spec, profile);
    if (spec.import_from.empty()) check_panel_spec(spec, profile);  // else in desired_for
    if (!a.policy_out.empty() && !profile.mta_sts)
        throw UsageError(
            "--policy-out: the profile names no MTA-STS policy host "
            "(mail.mta_sts.policy_host)");
    ProvisionOptions po;
    po.trace = [&](const std::string& m) { trace(a.common, m); };
    GenerateOptions go;
    go.now = generation_time();
    Desired d = desired_for(spec, profile, go, po, nullptr);
    checked_findings(spec, profile, d, a.common);  // what generate refuses is refused here
    MailSetup m = mail_setup(spec, profile, d);
    if (!a.policy_out.empty() && !m.mta_sts)
        throw UsageError("--policy-out: mail is not a service of " + spec.source +
                         ": the domain gets no MTA-STS policy");
    if (!a.policy_out.empty()) write_file_atomic(a.policy_out, m.mta_sts->text);
    if (a.common.format == "json")
        std::cout << dump_json(mail_setup_json(m), 2) << "\n";
    else
        std::cout << mail_setup_text(m);
    return 0;
}

// ---- verify -------------------------------------------------------------------------------

struct VerifyArgs {
    Common common;
    std::string spec, old_server, parent_server, state, switched_at;
    int timeout_ms = 2000;
    int deadline_ms = 30000;
};

Endpoint endpoint_flag(const std::string& flag, const std::string& v) {
    std::string why;
    auto e = parse_endpoint(v, &why);
    if (!e) throw UsageError(flag + " '" + v + "': " + why);
    return *e;
}

int cmd_verify(VerifyArgs& a) {
    Profile profile = load_profile(a.common.profile);
    Spec spec = load_spec(a.spec);
    read_dkim_keys(spec, profile);
    check_panel_spec(spec, profile);
    VerifyOptions o;
    if (!a.old_server.empty()) o.old_server = endpoint_flag("--old-server", a.old_server);
    if (!a.parent_server.empty())
        o.parent_server = endpoint_flag("--parent-server", a.parent_server);
    o.state_file = a.state;
    if (!a.switched_at.empty()) {
        try {
            o.switched_at = parse_time(a.switched_at);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--switched-at: ") + e.what());
        }
    }
    o.timeout_ms = a.timeout_ms;
    o.deadline_ms = a.deadline_ms;
    o.now = std::time(nullptr);
    o.trace = [&](const std::string& m) { trace(a.common, m); };
    VerifyResult r = verify_switch(spec, profile, o);
    if (a.common.format == "json")
        std::cout << dump_json(verify_json(r), 2) << "\n";
    else
        std::cout << verify_text(r);
    return r.problem() ? static_cast<int>(ExitCode::invalid) : 0;
}

// ---- batch --------------------------------------------------------------------------------

struct BatchArgs {
    ProvisionArgs p;
    BatchOptions b;
    std::string switched_at;  // verify
};

// verify: its options, as `zonegen verify` takes them; --parent-server names one server.
void batch_verify_options(BatchArgs& a) {
    VerifyOptions& o = a.b.verify;
    const auto& parents = a.p.opts.parent_servers;
    if (parents.size() > 1)
        throw UsageError("batch --action verify asks one --parent-server; " +
                         std::to_string(parents.size()) + " were given");
    if (!parents.empty()) o.parent_server = parents.front();
    if (!a.switched_at.empty()) {
        try {
            o.switched_at = parse_time(a.switched_at);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--switched-at: ") + e.what());
        }
    }
    o.now = std::time(nullptr);
}

int cmd_batch(BatchArgs& a) {
    if (a.p.opts.assume_new && a.b.action != "apply")
        throw UsageError("--assume-new is for --action apply: a plan must read what is there");
    Profile profile = load_profile(a.p.common.profile);
    a.b.provision = a.p.opts;
    a.b.yes = a.p.yes;
    if (a.b.action == "apply") a.b.journal = journal_config(profile, a.p.common.journal);
    if (a.b.action == "verify") batch_verify_options(a);
    return run_batch(a.b, profile);
}

// ---- history ----------------------------------------------------------------------------

struct HistoryArgs {
    Common common;
    std::string zone;
};

struct RollbackArgs {
    ProvisionArgs p;
    std::string zone, to;
};

// rollback ZONE [--to ID]: a plan like any other (shown, saved with --out, applied with
// --yes), made from the journal; applying it is journaled too.
int cmd_rollback(RollbackArgs& a) {
    Profile profile = load_profile(a.p.common.profile);
    a.p.opts.trace = [&](const std::string& m) { trace(a.p.common, m); };
    JournalConfig cfg = journal_config(profile, a.p.common.journal);
    if (cfg.path.empty())
        throw UsageError(
            "rollback reads the journal of changes, and none is configured: give --journal "
            "FILE, or set journal: PATH in the profile");
    Journal journal(cfg);
    Name zone = history_zone(a.zone);
    std::optional<std::string> to;
    if (!a.to.empty()) to = a.to;
    ProvisionPlan p = make_rollback_plan(zone, journal.entries(zone), to, profile, a.p.opts);
    if (!a.p.out.empty()) write_file_atomic(a.p.out, dump_json(plan_document(p), 2) + "\n");
    if (!a.p.yes) {
        if (a.p.common.format == "json")
            std::cout << dump_json(plan_document(p), 2) << "\n";
        else
            std::cout << coloured(plan_text_full(p, a.p.opts.force))
                      << "not applied: add --yes to roll back\n";
        return 0;
    }
    a.p.opts.journal = &journal;
    a.p.opts.journal_command = "rollback";
    json d = apply_plan(p, nullptr, profile, a.p.opts, true);
    if (a.p.common.format == "json")
        std::cout << dump_json(d, 2) << "\n";
    else
        std::cout << coloured(plan_text_full(p, a.p.opts.force)) << apply_summary(d);
    return 0;
}

int cmd_history(const HistoryArgs& a) {
    Name zone = history_zone(a.zone);
    JournalConfig cfg = journal_config(load_profile(a.common.profile), a.common.journal);
    if (cfg.path.empty())
        throw UsageError(
            "history reads the journal of changes, and none is configured: give --journal FILE, "
            "or set journal: PATH in the profile");
    trace(a.common, "journal: " + cfg.path);
    auto entries = Journal(cfg).entries(zone);
    if (a.common.format == "json")
        std::cout << dump_json(history_json(entries), 2) << "\n";
    else
        std::cout << history_text(entries, zone, cfg.path);
    return 0;
}

// ---- dkim-keygen -------------------------------------------------------------------------

struct DkimKeygenArgs {
    Common common;
    std::string key_file;
    std::string type = "rsa";
    int bits = kDkimDefaultBits;
};

json dkim_keygen_json(const DkimKeygenArgs& a, const DkimKeyPair& k) {
    return {{"key_file", a.key_file},
            {"type", to_string(k.type)},
            {"bits", k.bits},
            {"record", k.record},
            {"spec", {{"dkim", {{"selector", "SELECTOR"}, {"key_file", a.key_file}}}}}};
}

// The private key goes to its file (0600, never over another); only the public record is
// printed, with what to do next.
int cmd_dkim_keygen(const DkimKeygenArgs& a) {
    DkimKeyType type = a.type == "ed25519" ? DkimKeyType::ed25519 : DkimKeyType::rsa;
    if (type == DkimKeyType::ed25519 && a.bits != kDkimDefaultBits)
        throw UsageError("--bits is for RSA keys: an Ed25519 key has 256 bits");
    DkimKeyPair k = generate_dkim_key(type, a.bits);
    write_new_secret_file(a.key_file, k.private_pem);
    trace(a.common, "wrote " + a.key_file + " (mode 0600)");
    if (a.common.format == "json") {
        std::cout << dump_json(dkim_keygen_json(a, k), 2) << "\n";
        return 0;
    }
    std::cout << "wrote the private key to " << printable(a.key_file) << " (mode 0600; not shown)\n"
              << "public record (published at SELECTOR._domainkey.DOMAIN):\n  " << k.record
              << "\nnext: give the mail server this key file, and put it in the spec:\n"
              << "  dkim:\n    selector: SELECTOR   # or the profile's mail.dkim_selector\n"
              << "    key_file: " << printable(a.key_file)
              << "   # under the profile's secrets_dir, like tsig.secret_file\n";
    return 0;
}

// ---- profile ----------------------------------------------------------------------------

int cmd_profile_show(const Common& c) {
    std::string text = default_profile_text(), source = "built-in";
    if (!c.profile.empty()) {
        load_profile(c.profile);  // validates it
        text = read_input(c.profile);
        source = c.profile;
    }
    if (c.format == "json")
        std::cout << dump_json(yaml_text_to_json(text, source), 2) << "\n";
    else
        std::cout << text;
    return 0;
}

int cmd_checks(const Common& c) {
    if (c.format == "json") {
        json arr = json::array();
        for (const auto& ch : check_table())
            arr.push_back(
                {{"check", ch.id}, {"severity", to_string(ch.severity)}, {"summary", ch.summary}});
        std::cout << dump_json(arr, 2) << "\n";
    } else {
        for (const auto& ch : check_table())
            std::cout << ch.id << "\t" << to_string(ch.severity) << "\t" << ch.summary << "\n";
    }
    return 0;
}

bool wants_json(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string s = argv[i];
        if ((s == "--format" && i + 1 < argc &&
             (std::string(argv[i + 1]) == "json" || std::string(argv[i + 1]) == "pdns-json")) ||
            s == "--format=json" || s == "--format=pdns-json")
            return true;
    }
    return false;
}

int report(const Error& e, bool as_json) {
    if (as_json && !dynamic_cast<const StdoutError*>(&e)) {
        std::cout << dump_json(error_json(e), 2) << "\n";
    } else {
        if (auto* inv = dynamic_cast<const InvalidZoneError*>(&e))
            print_findings_text(inv->findings(), std::cerr);
        std::cerr << "zonegen: " << e.what() << "\n";
    }
    return static_cast<int>(e.code());
}

// An option name that suggests a secret: --pdns-api-key, --tsig-secret, --password.
bool secret_like(std::string name) {
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (const char* w : {"key", "secret", "passw", "token"})
        if (name.find(w) != std::string::npos) return true;
    return false;
}

// The words of the command line never to be echoed: the value of an option whose name
// suggests a secret (--x=VALUE, or the word after --x).
std::vector<std::string> secret_values(int argc, char** argv) {
    std::vector<std::string> out;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a.size() < 2 || a[0] != '-') continue;
        auto eq = a.find('=');
        if (!secret_like(a.substr(0, eq))) continue;
        if (eq != std::string::npos)
            out.push_back(a.substr(eq + 1));
        else if (i + 1 < argc && argv[i + 1][0] != '-')
            out.push_back(argv[i + 1]);
    }
    return out;
}

// CLI11 repeats unexpected arguments whole (`--pdns-api-key=SECRET` included): only the
// names of unknown options are shown, never a value, nor a word right after one.
std::string unexpected_message(const std::vector<std::string>& extras) {
    std::string shown;
    std::size_t hidden = 0;
    bool after_option = false;
    for (const auto& x : extras) {
        bool option = x.size() > 1 && x[0] == '-';
        std::string word;
        if (option && x[1] == '-')
            word = x.substr(0, x.find('='));
        else if (option)
            word = x.substr(0, 2);
        else if (!after_option)
            word = x;
        if (word.empty())
            ++hidden;
        else
            shown += (shown.empty() ? "" : " ") + word;
        after_option = option;
    }
    std::string msg = "unexpected argument" + std::string(extras.size() > 1 ? "s" : "");
    if (!shown.empty()) msg += ": " + shown;
    if (hidden)
        msg +=
            " (and " + std::to_string(hidden) + " value" + (hidden > 1 ? "s" : "") + ", not shown)";
    if (shown.find("--pdns-api-key ") != std::string::npos || shown.ends_with("--pdns-api-key"))
        msg +=
            "; the API key is never taken on the command line: set PDNS_API_KEY or give "
            "--pdns-api-key-file FILE";
    return msg;
}

std::string parse_error_message(const CLI::ParseError& e, const CLI::App& app, int argc,
                                char** argv) {
    std::string msg = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) msg = unexpected_message(app.remaining(true));
    for (const auto& v : secret_values(argc, argv)) {
        if (v.size() < 4) continue;
        for (auto at = msg.find(v); at != std::string::npos; at = msg.find(v, at))
            msg.replace(at, v.size(), "(not shown)");
    }
    return msg;
}

// ---- the command line -------------------------------------------------------------------

// Every command's arguments, filled in while the command line is parsed; `run` is the
// command it chose.
struct Commands {
    GenerateArgs gen;
    ValidateArgs val;
    DiffArgs dif;
    ImportArgs imp;
    ProvisionArgs pl, ap;
    InstructionsArgs ins;
    MailSetupArgs mail;
    VerifyArgs ver;
    BatchArgs bat;
    HistoryArgs his;
    RollbackArgs rb;
    Common pc, cc;
    DkimKeygenArgs dk;
    std::function<int()> run;
};

void describe_app(CLI::App& app) {
    app.set_version_flag("--version", std::string("zonegen ") + kVersion);
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 success; 1 invalid zone; 2 usage or input error; 3 backend or network "
        "failure, or standard output cannot be written; 4 refused as unsafe; 10 changes "
        "(--detailed-exitcode); batch: 130/143 when interrupted by SIGINT/SIGTERM.");
}

void add_generate(CLI::App& app, Commands& c) {
    auto* g =
        app.add_subcommand("generate",
                           "the zone (A), or the customer's records (B, C; with import_from its "
                           "whole new zone) for a spec");
    g->add_option("spec", c.gen.spec, "customer spec (YAML or JSON; - for stdin)")->required();
    g->add_option("-o,--output", c.gen.output, "write to FILE atomically (default: stdout)");
    g->add_option("--serial", c.gen.serial,
                  "SOA serial (default: YYYYMMDD01 of today, or of SOURCE_DATE_EPOCH; B and C "
                  "with import_from: greater than the customer's, else its serial + 1)");
    add_common(g, c.gen.common, {"zone", "pdns-json", "json"});
    c.gen.common.format = "zone";
    g->callback([&c] { c.run = [&c] { return cmd_generate(c.gen); }; });
}

void add_validate(CLI::App& app, Commands& c) {
    auto* v =
        app.add_subcommand("validate", "check a zone file (and, with --spec, the pattern's rules)");
    v->add_option("file", c.val.file, "zone file (- for stdin)")->required();
    v->add_option("--origin", c.val.origin,
                  "the zone's name (default: the spec's domain, or the file's $ORIGIN)");
    v->add_option("--spec", c.val.spec, "customer spec: also check the DNS pattern's rules");
    v->add_option("--allow-include", c.val.allow_include,
                  "permit $INCLUDE of files under DIR (refused otherwise)");
    v->add_flag("--fragment", c.val.fragment,
                "the file holds records for another zone (B, C output): no SOA/NS checks");
    add_common(v, c.val.common, {"text", "json"});
    v->callback([&c] { c.run = [&c] { return cmd_validate(c.val); }; });
}

void add_diff(CLI::App& app, Commands& c) {
    auto* df = app.add_subcommand("diff", "the rrset changes that turn zone source OLD into NEW");
    df->add_option("old", c.dif.old_source, "zone file, pdns:[ZONE] or axfr://HOST[:PORT]/ZONE")
        ->required();
    df->add_option("new", c.dif.new_source, "zone file, pdns:[ZONE] or axfr://HOST[:PORT]/ZONE")
        ->required();
    df->add_flag("--detailed-exitcode", c.dif.detailed_exitcode,
                 "exit 10 when there are changes, 0 when none");
    add_source_options(df, c.dif.src);
    add_common(df, c.dif.common, {"text", "json"});
    df->callback([&c] { c.run = [&c] { return cmd_diff(c.dif); }; });
}

void add_import(CLI::App& app, Commands& c) {
    auto* im = app.add_subcommand("import", "write a zone source as a normalised master file");
    im->add_option("source", c.imp.source, "zone file, pdns:[ZONE] or axfr://HOST[:PORT]/ZONE")
        ->required();
    im->add_option("-o,--output", c.imp.output, "write to FILE atomically (default: stdout)");
    add_source_options(im, c.imp.src);
    add_common(im, c.imp.common, {"text", "json"});
    im->callback([&c] { c.run = [&c] { return cmd_import(c.imp); }; });
}

void add_plan(CLI::App& app, Commands& c) {
    auto* pls = app.add_subcommand("plan", "dry run: the changes apply would make at the target");
    pls->add_option("spec", c.pl.spec, "customer spec")->required();
    pls->add_option("--out", c.pl.out, "save the reviewed plan for apply --plan");
    pls->add_flag("--detailed-exitcode", c.pl.detailed_exitcode,
                  "exit 10 when there are changes, 0 when none");
    add_provision_options(pls, c.pl);
    pls->callback([&c] { c.run = [&c] { return cmd_plan(c.pl); }; });
}

void add_apply(CLI::App& app, Commands& c) {
    auto* aps =
        app.add_subcommand("apply", "apply the plan of SPEC (or a saved --plan) to the target");
    aps->add_option("spec", c.ap.spec, "customer spec");
    aps->add_option("--plan", c.ap.plan_file,
                    "apply exactly this reviewed plan (refused if the zone changed since)");
    aps->add_flag("--yes", c.ap.yes, "really apply (without it, only show the plan)");
    aps->add_flag("--force", c.ap.opts.force, "override the safety limits");
    aps->add_option("--wait-transfer", c.ap.opts.wait_transfer,
                    "B: require the first transfer within SECONDS, asking for it if not served "
                    "yet (exit 3 otherwise; default: a write waits up to 10 s, pending is fine)");
    aps->add_option("--wait-secondaries", c.ap.opts.wait_secondaries,
                    "A: wait at most SECONDS for our secondaries to serve the new serial "
                    "(default 10; 0: do not ask them)")
        ->check(CLI::Range(0, 3600));
    add_provision_options(aps, c.ap);
    aps->callback([&c] { c.run = [&c] { return cmd_apply(c.ap); }; });
}

void add_instructions(CLI::App& app, Commands& c) {
    auto* is = app.add_subcommand(
        "instructions", "the migration procedure: steps, dates, NS to set, configuration");
    is->add_option("spec", c.ins.spec, "customer spec")->required();
    is->add_option("--lang", c.ins.lang, "ja (default) or en")->check(CLI::IsMember({"ja", "en"}));
    is->add_option("--start", c.ins.start,
                   "the date the procedure starts, YYYY-MM-DD (default: today)");
    is->add_option("-o,--output", c.ins.output, "write to FILE atomically (default: stdout)");
    is->add_flag("--with-ds", c.ins.with_ds,
                 "dnssec: the DS for the registrar, from the keys our PowerDNS signs the zone "
                 "with (exit 4 while it does not sign it yet)");
    is->add_option("--pdns-url", c.ins.pdns_url,
                   "with --with-ds: our PowerDNS API (default: the "
                   "profile's pdns.url)");
    is->add_option("--pdns-api-key-file", c.ins.api_key_file,
                   "with --with-ds: the API key's file (default: $PDNS_API_KEY)");
    add_common(is, c.ins.common, {"text", "markdown", "json", "html"});
    is->callback([&c] { c.run = [&c] { return cmd_instructions(c.ins); }; });
}

void add_mail_setup(CLI::App& app, Commands& c) {
    auto* ms = app.add_subcommand(
        "mail-setup",
        "the provider's side of a domain's mail: the DMARC report authorisation record, the "
        "MTA-STS policy file");
    ms->add_option("spec", c.mail.spec, "customer spec")->required();
    ms->add_option("--policy-out", c.mail.policy_out,
                   "write the MTA-STS policy file (mta-sts.txt) to FILE atomically");
    add_common(ms, c.mail.common, {"text", "json"});
    ms->callback([&c] { c.run = [&c] { return cmd_mail_setup(c.mail); }; });
}

void add_verify(CLI::App& app, Commands& c) {
    auto* vs =
        app.add_subcommand("verify", "live checks of the switch, and what is safe to do next");
    vs->add_option("spec", c.ver.spec, "customer spec")->required();
    vs->add_option("--old-server", c.ver.old_server, "the old provider's server, ADDR[:PORT]");
    vs->add_option("--parent-server", c.ver.parent_server,
                   "a server of the parent zone, ADDR[:PORT]");
    vs->add_option("--state", c.ver.state,
                   "file remembering when the new delegation was first seen");
    vs->add_option("--switched-at", c.ver.switched_at,
                   "the switch time (2026-11-01T10:00:00Z, a date, or epoch seconds)");
    vs->add_option("--timeout-ms", c.ver.timeout_ms, "per-query timeout (default 2000)");
    vs->add_option("--deadline-ms", c.ver.deadline_ms,
                   "all of the run's queries (8 at a time) end within this (default 30000)")
        ->check(CLI::Range(1, 3600000));
    add_common(vs, c.ver.common, {"text", "json"});
    vs->callback([&c] { c.run = [&c] { return cmd_verify(c.ver); }; });
}

// verify's options that hold for many domains (--parent-server is the plan options' one).
void add_batch_verify_options(CLI::App* bs, Commands& c) {
    VerifyOptions& v = c.bat.b.verify;
    bs->add_option("--switched-at", c.bat.switched_at,
                   "verify: the switch time of every domain (2026-11-01T10:00:00Z, a date, or "
                   "epoch seconds)");
    bs->add_option("--timeout-ms", v.timeout_ms, "verify: per-query timeout (default 2000)")
        ->check(CLI::Range(1, 3600000));
    bs->add_option("--deadline-ms", v.deadline_ms,
                   "verify: all of a domain's queries (8 at a time) end within this (default "
                   "30000)")
        ->check(CLI::Range(1, 3600000));
}

void add_batch(CLI::App& app, Commands& c) {
    auto* bs =
        app.add_subcommand("batch", "many specs at once: one JSON line per domain, then a summary");
    bs->footer(
        "Each domain is its own JSON line (a missing or bad input included), then a summary. "
        "The same domain twice is refused for every copy. A zone-file --target holds one "
        "zone: plan and apply refuse it for more than one spec. verify: each domain as `zonegen "
        "verify` checks it (one --parent-server, not the profile's; --switched-at, --timeout-ms, "
        "--deadline-ms), the "
        "summary adds in_sync and, per server of ours, the zones served, missing, lagging "
        "and lame. SIGINT/SIGTERM: no new domain starts, those in flight finish, the summary "
        "lists the rest; exit 130/143.");
    bs->add_option("inputs", c.bat.b.inputs,
                   "spec files, directories, a YAML list of specs, or - (JSON Lines)")
        ->required();
    bs->add_option("--action", c.bat.b.action,
                   "generate, plan (default), apply, or verify (each domain's live checks; the "
                   "summary adds what each of our servers serves)")
        ->check(CLI::IsMember({"generate", "plan", "apply", "verify"}));
    bs->add_option("--jobs", c.bat.b.jobs, "domains processed at once (default 4)")
        ->check(CLI::Range(1, 256));
    bs->add_flag("--yes", c.bat.p.yes, "really apply (with --action apply)");
    bs->add_flag("--force", c.bat.p.opts.force, "override the safety limits");
    bs->add_flag("--assume-new", c.bat.p.opts.assume_new,
                 "apply: create each zone without reading it first (a wave of new customers); "
                 "one that exists is then read and planned as usual");
    bs->add_option("--write-zones", c.bat.b.write_zones,
                   "generate: write one zone file per domain into DIR");
    c.bat.p.opts.wait_secondaries = 0;
    bs->add_option("--wait-secondaries", c.bat.p.opts.wait_secondaries,
                   "apply, A: wait at most SECONDS per domain for our secondaries to serve the "
                   "new serial (default 0: not asked; run verify later)")
        ->check(CLI::Range(0, 3600));
    // B: a batch does not wait for first transfers (transfer "pending"; verify later).
    c.bat.p.opts.brief_transfer_wait_s = 0;
    bs->add_option("--wait-transfer", c.bat.p.opts.wait_transfer,
                   "apply, B: require each first transfer within SECONDS (exit 3 otherwise; "
                   "default: not waited for)");
    add_batch_verify_options(bs, c);
    add_provision_options(bs, c.bat.p);
    bs->callback([&c] { c.run = [&c] { return cmd_batch(c.bat); }; });
}

void add_journal_commands(CLI::App& app, Commands& c) {
    auto* rbs = app.add_subcommand(
        "rollback",
        "the plan that undoes the journal's last entry for ZONE, or every entry after --to ID");
    add_common(rbs, c.rb.p.common, {"text", "json"});
    rbs->add_option("ZONE", c.rb.zone, "the zone")->required();
    rbs->add_option("--to", c.rb.to, "the entry (zonegen history ZONE) whose state to return to");
    rbs->add_option("--pdns-url", c.rb.p.opts.pdns_url,
                    "PowerDNS API URL (default: the profile's pdns.url)");
    rbs->add_option("--pdns-api-key-file", c.rb.p.opts.api_key_file,
                    "file with the API key, mode 0600 (default: $PDNS_API_KEY)");
    rbs->add_option("--out", c.rb.p.out, "save the rollback plan (for apply --plan)");
    add_parent_server_option(rbs, c.rb.p);
    rbs->add_flag("--yes", c.rb.p.yes, "roll back now (else only show the plan)");
    rbs->add_flag("--force", c.rb.p.opts.force,
                  "override the safety limits (deleting a zone it created)");
    rbs->add_option("--wait-secondaries", c.rb.p.opts.wait_secondaries,
                    "seconds to wait until our secondaries serve the new serial (0: do not ask)");
    rbs->callback([&c] { c.run = [&c] { return cmd_rollback(c.rb); }; });

    auto* hs = app.add_subcommand("history", "the journal's entries for a zone, oldest first");
    hs->add_option("zone", c.his.zone, "the zone (as in a spec: case, trailing dot, IDN alike)")
        ->required();
    add_common(hs, c.his.common, {"text", "json"});
    hs->callback([&c] { c.run = [&c] { return cmd_history(c.his); }; });
}

void add_dkim_keygen(CLI::App& app, Commands& c) {
    auto* k = app.add_subcommand(
        "dkim-keygen",
        "make a DKIM key pair: the private key into KEY_FILE (mode 0600), the public record out");
    k->add_option("key_file", c.dk.key_file, "the private key's new file (never overwritten)")
        ->required();
    k->add_option("--type", c.dk.type, "rsa (default) or ed25519 (RFC 8463; publish beside RSA)")
        ->check(CLI::IsMember({"rsa", "ed25519"}));
    k->add_option("--bits", c.dk.bits, "RSA key size, 2048 (default) to 4096");
    add_common(k, c.dk.common, {"text", "json"});
    k->callback([&c] { c.run = [&c] { return cmd_dkim_keygen(c.dk); }; });
}

void add_profile_and_checks(CLI::App& app, Commands& c) {
    auto* p = app.add_subcommand("profile",
                                 "print the provider profile in use (the built-in one by default)");
    add_common(p, c.pc, {"text", "json"});
    p->callback([&c] { c.run = [&c] { return cmd_profile_show(c.pc); }; });

    auto* ch = app.add_subcommand("checks", "list the validator's checks with their severities");
    add_common(ch, c.cc, {"text", "json"});
    ch->callback([&c] { c.run = [&c] { return cmd_checks(c.cc); }; });
}

// Parses the command line: the exit code when that is all there is to do (help, version, a
// usage error), nullopt when a command is to run.
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, bool as_json) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        UsageError u(parse_error_message(e, app, argc, argv));
        if (as_json) return report(u, true);
        std::cerr << "zonegen: " << u.what()
                  << "\nRun 'zonegen --help' for the commands, 'zonegen COMMAND --help' for one.\n";
        return static_cast<int>(ExitCode::usage);
    }
    return std::nullopt;
}

// Runs the chosen command: every failure becomes its message (or JSON) and exit code.
int run_reporting(const std::function<int()>& run, bool as_json) {
    try {
        return run();
    } catch (const Error& e) {
        return report(e, as_json);
    } catch (const std::exception& e) {
        return report(internal_error(e.what()), as_json);
    } catch (...) {
        return report(internal_error(nullptr), as_json);
    }
}

int run_command(int argc, char** argv) {
    bool as_json = wants_json(argc, argv);
    CLI::App app{"zonegen: authoritative DNS for customer domains on a managed server"};
    describe_app(app);
    Commands c;
    add_generate(app, c);
    add_validate(app, c);
    add_diff(app, c);
    add_import(app, c);
    add_plan(app, c);
    add_apply(app, c);
    add_instructions(app, c);
    add_mail_setup(app, c);
    add_verify(app, c);
    add_batch(app, c);
    add_journal_commands(app, c);
    add_profile_and_checks(app, c);
    add_dkim_keygen(app, c);
    if (auto done = parse_command_line(app, argc, argv, as_json)) return *done;
    return run_reporting(c.run, as_json);
}

}  // namespace

int run_cli(int argc, char** argv) {
    // Any command may hold the API key or a TSIG secret: no core dump, no /proc/PID/mem.
    keep_secrets_out_of_dumps();
    // A reader that went away is a failed write (exit 3), not a death by SIGPIPE halfway
    // through a batch.
    ::signal(SIGPIPE, SIG_IGN);
    int code = run_command(argc, argv);
    // Output the caller never got is a failure (a full disk, a closed pipe), whatever the
    // command: exit 3, said once on stderr.
    std::string why = stdout_failure();
    if (why.empty()) return code;
    std::string done = done_note().empty() ? "" : done_note() + "; but ";
    std::cerr << "zonegen: " << done << "cannot write to standard output: " << why << "\n";
    return static_cast<int>(ExitCode::backend);
}

}  // namespace zonegen
