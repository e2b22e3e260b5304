// The baseline for `zonegen batch --action apply`: a minimal HTTP client that sends
// precomputed requests to PowerDNS with N threads, one keep-alive connection each, and
// nothing else (no planning, no diff, no JSON beyond reading its input).
//
// Usage: bench_raw_client URL JOBS FILE
//   FILE: JSON Lines, one zone per line: [[METHOD, PATH, BODY-or-null, [OK STATUS...]], ...]
//   The API key comes from $PDNS_API_KEY. Prints {"zones":N,"requests":N,"failed":N,"seconds":S}.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Request {
    std::string method, path, body;
    bool has_body = false;
    std::vector<int> ok;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4 && argc != 5) {
        std::cerr << "usage: bench_raw_client URL JOBS FILE [keep-alive|close]\n";
        return 2;
    }
    const char* key = std::getenv("PDNS_API_KEY");
    if (!key) {
        std::cerr << "bench_raw_client: set PDNS_API_KEY\n";
        return 2;
    }
    std::string url = argv[1];
    int jobs = std::atoi(argv[2]);
    bool keep_alive = argc < 5 || std::string(argv[4]) != "close";
    std::vector<std::vector<Request>> zones;
    std::ifstream in(argv[3]);
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        std::vector<Request> reqs;
        for (const auto& r : nlohmann::json::parse(line)) {
            Request q;
            q.method = r[0].get<std::string>();
            q.path = r[1].get<std::string>();
            if (!r[2].is_null()) {
                q.body = r[2].is_string() ? r[2].get<std::string>() : r[2].dump();
                q.has_body = true;
            }
            q.ok = r[3].get<std::vector<int>>();
            reqs.push_back(std::move(q));
        }
        zones.push_back(std::move(reqs));
    }
    std::atomic<std::size_t> next{0}, requests{0}, failed{0};
    auto worker = [&] {
        httplib::Client c(url);
        c.set_keep_alive(keep_alive);
        c.set_default_headers({{"X-API-Key", key}, {"Accept", "application/json"}});
        for (;;) {
            std::size_t i = next++;
            if (i >= zones.size()) return;
            for (const auto& q : zones[i]) {
                const char* json = "application/json";
                httplib::Result r{nullptr, httplib::Error::Unknown};
                if (q.method == "GET")
                    r = c.Get(q.path);
                else if (q.method == "POST")
                    r = c.Post(q.path, q.body, json);
                else if (q.method == "PATCH")
                    r = c.Patch(q.path, q.body, json);
                else if (q.method == "PUT")
                    r = q.has_body ? c.Put(q.path, q.body, json) : c.Put(q.path);
                else if (q.method == "DELETE")
                    r = c.Delete(q.path);
                ++requests;
                bool good = false;
                if (r)
                    for (int s : q.ok) good |= r->status == s;
                if (!good) {
                    if (++failed <= 5)
                        std::cerr << q.method << " " << q.path << ": "
                                  << (r ? "HTTP " + std::to_string(r->status) + " " + r->body
                                        : httplib::to_string(r.error()))
                                  << "\n";
                }
            }
        }
    };
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int j = 0; j < jobs; ++j) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << nlohmann::json{{"zones", zones.size()},
                                {"requests", requests.load()},
                                {"failed", failed.load()},
                                {"seconds", s}}
                     .dump()
              << "\n";
    return failed ? 1 : 0;
}
