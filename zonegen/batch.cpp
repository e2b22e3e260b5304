#include "zonegen/batch.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "validators/checks.hpp"
#include "zonegen/atomic_file.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/render.hpp"
#include "zonegen/yaml_util.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;

struct Item {
    std::string source;  // for messages: file, file[i], or <stdin>:LINE
    std::string text;    // the spec document
};

bool is_dir(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void collect(const std::string& input, std::vector<Item>& out) {
    if (input == "-") {  // JSON Lines
        std::string all = read_input("-");
        std::size_t i = 0;
        int line = 1;
        while (i < all.size()) {
            std::size_t e = all.find('\n', i);
            if (e == std::string::npos) e = all.size();
            std::string l = all.substr(i, e - i);
            if (l.find_first_not_of(" \t\r") != std::string::npos)
                out.push_back({"<stdin>:" + std::to_string(line), l});
            i = e + 1;
            ++line;
        }
        return;
    }
    if (is_dir(input)) {
        std::vector<std::string> names;
        if (DIR* d = ::opendir(input.c_str())) {
            while (auto* e = ::readdir(d)) {
                std::string n = e->d_name;
                if (n.size() > 5 &&
                    (n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json")))
                    names.push_back(input + "/" + n);
            }
            ::closedir(d);
        } else {
            throw InputError(input + ": cannot read the directory");
        }
        std::sort(names.begin(), names.end());
        for (const auto& n : names) out.push_back({n, read_input(n, 4u << 20)});
        return;
    }
    std::string text = read_input(input, 64u << 20);
    // A YAML list of specs, or one spec.
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception&) {
        out.push_back({input, text});  // let the spec parser report it
        return;
    }
    if (root.IsSequence()) {
        for (std::size_t i = 0; i < root.size(); ++i) {
            YAML::Emitter em;
            em << root[i];
            out.push_back({input + "[" + std::to_string(i) + "]", em.c_str()});
        }
    } else {
        out.push_back({input, text});
    }
}

}  // namespace

int run_batch(const BatchOptions& opts, const Profile& profile) {
    if (opts.action == "apply" && !opts.yes) throw UsageError("batch --action apply needs --yes");
    std::vector<Item> items;
    for (const auto& in : opts.inputs) collect(in, items);
    if (items.empty()) throw UsageError("batch: no specs");
    std::mutex out_mutex;
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<int> worst{0};
    std::vector<int> codes(items.size(), 0);
    const bool tty = ::isatty(2);

    auto one = [&](const Item& it) -> std::pair<int, json> {
        json line = {{"spec", it.source}};
        try {
            Spec spec = parse_spec(it.text, it.source);
            line["zone"] = spec.domain.to_string();
            ProvisionOptions po = opts.provision;
            po.trace = nullptr;
            if (opts.action == "generate") {
                GenerateOptions go;
                go.serial = po.serial;
                go.now = generation_time();
                Desired d = desired_for(spec, profile, go, po, nullptr);
                ValidateOptions vo;
                vo.fragment = d.fragment;
                vo.spec = &spec;
                vo.profile = &profile;
                auto f = validate_zone(d.zone, vo);
                d.findings.insert(d.findings.end(), f.begin(), f.end());
                if (count_errors(d.findings))
                    throw InvalidZoneError("the zone is invalid", d.findings);
                std::string text = generated_text(spec, profile, d);
                if (!opts.write_zones.empty()) {
                    std::string name = spec.domain.to_string();
                    name.pop_back();
                    std::string path =
                        opts.write_zones + "/" + name + (d.fragment ? ".fragment.zone" : ".zone");
                    write_file_atomic(path, text);
                    line["file"] = path;
                }
                line["findings"] = findings_json(d.findings);
                return {0, line};
            }
            ProvisionPlan p = make_plan(spec, profile, po);
            if (opts.action == "plan") {
                line["plan"] = plan_document(p);
                return {0, line};
            }
            line["apply"] = apply_plan(p, &spec, profile, po, false);
            return {0, line};
        } catch (const Error& e) {
            json err = {{"kind", e.kind()}, {"message", e.what()}};
            if (auto* inv = dynamic_cast<const InvalidZoneError*>(&e))
                err["findings"] = findings_json(inv->findings());
            line["error"] = err;
            return {static_cast<int>(e.code()), line};
        } catch (const std::exception& e) {
            line["error"] = {{"kind", "input"},
                             {"message", std::string("internal error: ") + e.what()}};
            return {static_cast<int>(ExitCode::usage), line};
        }
    };

    auto worker = [&] {
        for (;;) {
            std::size_t i = next++;
            if (i >= items.size()) return;
            auto [code, line] = one(items[i]);
            line["exit"] = code;
            codes[i] = code;
            int w = worst.load();
            while (code > w && !worst.compare_exchange_weak(w, code)) {
            }
            std::lock_guard<std::mutex> lock(out_mutex);
            std::cout << line.dump() << "\n" << std::flush;
            std::size_t n = ++done;
            if (tty) {
                std::size_t width = 30, filled = n * width / items.size();
                std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ')
                          << "] " << n << "/" << items.size() << std::flush;
            }
        }
    };
    int jobs = std::max(1, std::min<int>(opts.jobs, static_cast<int>(items.size())));
    std::vector<std::thread> pool;
    for (int j = 0; j < jobs; ++j) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
    if (tty) std::cerr << "\n";
    std::size_t ok = std::count(codes.begin(), codes.end(), 0);
    json by_exit = json::object();
    for (int c : codes) by_exit[std::to_string(c)] = by_exit.value(std::to_string(c), 0) + 1;
    std::cout << json{{"summary",
                       {{"total", items.size()},
                        {"ok", ok},
                        {"failed", items.size() - ok},
                        {"by_exit", by_exit}}}}
                     .dump()
              << "\n";
    std::cerr << "batch: " << ok << " of " << items.size() << " succeeded, " << items.size() - ok
              << " failed\n";
    return worst.load();
}

}  // namespace zonegen
