#include "zonegen/batch.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "validators/checks.hpp"
#include "zonegen/atomic_file.hpp"
#include "zonegen/error_json.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/fleet_summary.hpp"
#include "zonegen/input.hpp"
#include "zonegen/interrupt.hpp"
#include "zonegen/location.hpp"
#include "zonegen/output.hpp"
#include "zonegen/render.hpp"
#include "zonegen/spec_paths.hpp"
#include "zonegen/tenancy.hpp"
#include "zonegen/yaml_util.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;

struct Outcome {
    int code = 0;
    json line;
    std::optional<FleetDomain> fleet;  // verify: what the summary keeps of the domain
};

struct Item {
    std::string source;              // for messages: file, file[i], or <stdin>:LINE
    std::string text;                // the spec document
    std::optional<Spec> spec;        // parsed before any work starts
    std::optional<Outcome> refused;  // refused before any work: unreadable, bad, duplicate
};

// Runs `f`, turning every failure into the domain's own error line: one domain never
// ends the batch, whatever it throws.
template <typename F>
Outcome guarded(const std::string& source, F&& f) {
    json line = {{"spec", source}};
    try {
        return f(line);
    } catch (const Error& e) {
        line.update(error_json(e));
        return {static_cast<int>(e.code()), line, std::nullopt};
    } catch (const std::exception& e) {
        line.update(error_json(internal_error(e.what())));
    } catch (...) {
        line.update(error_json(internal_error(nullptr)));
    }
    return {static_cast<int>(ExitCode::usage), line, std::nullopt};
}

bool is_dir(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Item refused_item(const std::string& source, const Error& e) {
    json line = {{"spec", source}};
    line.update(error_json(e));
    return {source, "", std::nullopt, Outcome{static_cast<int>(e.code()), line, std::nullopt}};
}

// A file, or a refusal naming it: a missing or unreadable input is that input's own line.
Item read_item(const std::string& path, std::size_t max_bytes) {
    try {
        return {path, read_input(path, max_bytes), std::nullopt, std::nullopt};
    } catch (const Error& e) {
        return refused_item(path, e);
    }
}

void collect_stdin(std::vector<Item>& out) {  // JSON Lines
    std::string all = read_input("-");
    std::size_t i = 0;
    int line = 1;
    while (i < all.size()) {
        std::size_t e = all.find('\n', i);
        if (e == std::string::npos) e = all.size();
        std::string l = all.substr(i, e - i);
        if (l.find_first_not_of(" \t\r") != std::string::npos)
            out.push_back({"<stdin>:" + std::to_string(line), l, std::nullopt, std::nullopt});
        i = e + 1;
        ++line;
    }
}

void collect_dir(const std::string& dir, std::vector<Item>& out) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
        out.push_back(refused_item(dir, InputError(dir + ": cannot read the directory")));
        return;
    }
    while (auto* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n.size() > 5 && (n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json")))
            names.push_back(dir + "/" + n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) out.push_back(read_item(n, 4u << 20));
}

// A file holding a YAML list of specs, or one spec.
void collect_file(const std::string& input, std::vector<Item>& out) {
    Item it = read_item(input, 64u << 20);
    YAML::Node root;
    try {
        if (!it.refused) root = YAML::Load(it.text);
    } catch (const YAML::Exception&) {
        // not YAML: the spec parser reports it
    }
    if (it.refused || !root.IsSequence()) {
        out.push_back(std::move(it));
        return;
    }
    for (std::size_t i = 0; i < root.size(); ++i) {
        YAML::Emitter em;
        em << root[i];
        out.push_back(
            {input + "[" + std::to_string(i) + "]", em.c_str(), std::nullopt, std::nullopt});
    }
}

void collect(const std::string& input, std::vector<Item>& out) {
    if (input == "-")
        collect_stdin(out);
    else if (is_dir(input))
        collect_dir(input, out);
    else
        collect_file(input, out);
}

void parse_all(std::vector<Item>& items, const Profile& profile) {
    for (auto& it : items) {
        if (it.refused) continue;
        Outcome o = guarded(it.source, [&](json&) {
            it.spec = parse_spec(it.text, it.source);
            read_dkim_keys(*it.spec, profile);
            return Outcome{};
        });
        if (o.code) it.refused = o;
    }
}

// The same domain twice would race (409s, a random winner): every copy is refused.
void refuse_duplicates(std::vector<Item>& items) {
    std::map<Name, std::vector<std::size_t>> by_domain;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].spec) by_domain[items[i].spec->domain].push_back(i);
    for (const auto& [domain, idx] : by_domain) {
        if (idx.size() < 2) continue;
        std::string where;
        for (std::size_t i : idx) where += (where.empty() ? "" : ", ") + items[i].source;
        InputError e("domain " + domain.to_string() + " appears " + std::to_string(idx.size()) +
                     " times in this batch (" + where +
                     "): every copy is refused; give each domain once");
        for (std::size_t i : idx) {
            json line = {{"spec", items[i].source}, {"zone", domain.to_string()}};
            line.update(error_json(e));
            items[i].refused = Outcome{static_cast<int>(e.code()), line, std::nullopt};
        }
    }
}

json generate_one(const Spec& spec, const Profile& profile, const BatchOptions& opts,
                  const ProvisionOptions& po, json& line) {
    GenerateOptions go;
    go.serial = po.serial;
    go.now = generation_time();
    Desired d = desired_for(spec, profile, go, po, nullptr);
    ValidateOptions vo;
    vo.fragment = d.fragment;
    vo.spec = &spec;
    vo.profile = &profile;
    add_new_findings(d.findings, validate_zone(d.zone, vo));
    if (count_errors(d.findings)) throw InvalidZoneError("the zone is invalid", d.findings);
    std::string text = generated_text(spec, profile, d);
    if (!opts.write_zones.empty()) {
        std::string name = spec.domain.to_string();
        name.pop_back();
        std::string path =
            opts.write_zones + "/" + name + (d.fragment ? ".fragment.zone" : ".zone");
        write_file_atomic(path, text);
        line["file"] = path;
    }
    return findings_json(d.findings);
}

// verify: exit 1 when a check is a problem, as `zonegen verify`.
Outcome verify_one(const Spec& spec, const Profile& profile, const BatchOptions& opts, json& line) {
    check_panel_spec(spec, profile);
    VerifyOptions vo = opts.verify;
    vo.trace = nullptr;
    VerifyResult r = verify_switch(spec, profile, vo);
    line["verify"] = verify_json(r);
    int code = r.problem() ? static_cast<int>(ExitCode::invalid) : 0;
    return {code, line, fleet_domain(spec.domain, r)};
}

Outcome run_one(const Item& it, const Profile& profile, const BatchOptions& opts) {
    if (it.refused) return *it.refused;
    return guarded(it.source, [&](json& line) {
        const Spec& spec = *it.spec;
        line["zone"] = spec.domain.to_string();
        if (opts.action == "verify") return verify_one(spec, profile, opts, line);
        ProvisionOptions po = opts.provision;
        po.trace = nullptr;
        if (opts.action == "generate") {
            line["findings"] = generate_one(spec, profile, opts, po, line);
            return Outcome{0, line, std::nullopt};
        }
        ProvisionPlan p = make_plan(spec, profile, po);
        if (po.assume_new && p.unsafe) {
            // Refused as a creation (the parent delegates it to us already, say): it may be
            // there after all. Read it and plan as usual; the same refusal if it is absent.
            po.assume_new = false;
            p = make_plan(spec, profile, po);
        }
        if (opts.action == "plan") {
            line["plan"] = plan_document(p);
        } else {
            try {
                line["apply"] = apply_plan(p, &spec, profile, po, false);
            } catch (const ZoneExistsError&) {
                if (!po.assume_new) throw;
                // Not new after all: read, planned and applied as any other.
                po.assume_new = false;
                p = make_plan(spec, profile, po);
                line["apply"] = apply_plan(p, &spec, profile, po, false);
            }
        }
        return Outcome{0, line, std::nullopt};
    });
}

// Prints the lines as domains finish, and the progress bar on a terminal.
class Printer {
  public:
    explicit Printer(std::size_t total) : total_(total), tty_(::isatty(2)) {}

    // False once standard output has failed: no one reads the results any more.
    bool line(const json& l) {
        std::lock_guard<std::mutex> lock(mutex_);
        std::cout << dump_json(l) << "\n" << std::flush;
        std::size_t n = ++done_;
        if (tty_) {
            std::size_t width = 30, filled = n * width / total_;
            std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ')
                      << "] " << n << "/" << total_ << std::flush;
        }
        return static_cast<bool>(std::cout);
    }
    void end() const {
        if (tty_) std::cerr << "\n";
    }

  private:
    std::mutex mutex_;
    std::size_t total_, done_ = 0;
    bool tty_;
};

json summary_json(const std::vector<Item>& items, const std::vector<int>& codes,
                  const std::vector<char>& started, int sig) {
    std::size_t ok = 0, failed = 0;
    json by_exit = json::object(), not_started = json::array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!started[i]) {
            not_started.push_back(items[i].source);
            continue;
        }
        (codes[i] ? failed : ok)++;
        std::string c = std::to_string(codes[i]);
        by_exit[c] = by_exit.value(c, 0) + 1;
    }
    json s = {{"total", items.size()}, {"ok", ok}, {"failed", failed}, {"by_exit", by_exit}};
    if (sig) s["interrupted"] = signal_name(sig);
    if (!not_started.empty()) s["not_started"] = not_started;
    return s;
}

// verify: the domains verified (not those refused, failed or not started), summed up.
json fleet_json(const std::vector<std::optional<FleetDomain>>& fleet) {
    std::vector<FleetDomain> verified;
    for (const auto& f : fleet)
        if (f) verified.push_back(*f);
    return fleet_summary_json(fleet_summary(verified));
}

void print_summary(const json& summary, int sig) {
    std::cout << dump_json(json{{"summary", summary}}) << "\n" << std::flush;
    std::cerr << "batch: " << summary["ok"] << " of " << summary["total"] << " succeeded, "
              << summary["failed"] << " failed";
    if (summary.contains("not_started"))
        std::cerr << ", " << summary["not_started"].size() << " not started";
    std::cerr << (sig ? " (" + signal_name(sig) + ")" : "") << "\n";
}

// A zone file holds one zone: domains applied to the same file would overwrite each other.
void refuse_shared_file_target(const BatchOptions& opts, std::size_t specs) {
    const std::string& t = opts.provision.target;
    if (opts.action == "generate" || opts.action == "verify" || specs < 2 ||
        location_kind(t) == LocationKind::pdns)
        return;
    throw UsageError("--target " + t + " is a zone file, which holds one zone: a batch of " +
                     std::to_string(specs) +
                     " specs cannot share it; nothing was done (use a pdns: target, or one "
                     "spec per run)");
}

}  // namespace

int run_batch(const BatchOptions& opts, const Profile& profile) {
    if (opts.action == "apply" && !opts.yes) throw UsageError("batch --action apply needs --yes");
    std::vector<Item> items;
    for (const auto& in : opts.inputs) collect(in, items);
    if (items.empty()) throw UsageError("batch: no specs");
    refuse_shared_file_target(opts, items.size());
    // From here on a signal stops the batch cleanly; while the inputs were read (stdin may
    // be a terminal) it ended it at once, with nothing started.
    InterruptWatch watch("finishing the domains in flight, starting no more");
    parse_all(items, profile);
    refuse_duplicates(items);
    // One journal for every worker (its appends are serialised); each apply with steps
    // writes its entry.
    Journal journal(opts.journal);
    BatchOptions run = opts;
    if (journal.enabled()) run.provision.journal = &journal;
    run.provision.journal_command = "batch apply";

    std::atomic<std::size_t> next{0};
    std::atomic<bool> stdout_ok{true};
    std::vector<int> codes(items.size(), 0);
    std::vector<char> started(items.size(), 0);
    std::vector<std::optional<FleetDomain>> fleet(items.size());
    Printer printer(items.size());
    auto worker = [&] {
        while (!watch.signal() && stdout_ok) {
            std::size_t i = next++;
            if (i >= items.size()) return;
            started[i] = 1;
            Outcome o = run_one(items[i], profile, run);
            o.line["exit"] = o.code;
            codes[i] = o.code;
            fleet[i] = std::move(o.fleet);
            if (!printer.line(o.line)) stdout_ok = false;
        }
    };
    int jobs = std::max(1, std::min<int>(opts.jobs, static_cast<int>(items.size())));
    std::vector<std::thread> pool;
    for (int j = 0; j < jobs; ++j) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
    // Inputs refused before any work have their lines even when a signal came first.
    for (std::size_t i = 0; i < items.size() && stdout_ok; ++i) {
        if (started[i] || !items[i].refused) continue;
        started[i] = 1;
        codes[i] = items[i].refused->code;
        json line = items[i].refused->line;
        line["exit"] = codes[i];
        stdout_ok = printer.line(line);
    }
    printer.end();
    int sig = watch.signal();
    json summary = summary_json(items, codes, started, sig);
    if (opts.action == "verify") summary.update(fleet_json(fleet));
    print_summary(summary, sig);
    if (sig) return 128 + sig;
    return *std::max_element(codes.begin(), codes.end());
}

}  // namespace zonegen
