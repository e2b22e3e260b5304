// The HTTP transport under the PowerDNS client.
//
// cpp-httplib is built into a module, zonegen-http.so, loaded on the first request. Linked
// into the program it would load OpenSSL, zlib and brotli into every zonegen process and
// run OpenSSL's initialisation: about 2 ms, most of a one-zone `validate` or `generate`,
// paid by every control-panel call whether it talks to PowerDNS or not.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace zonegen {

struct HttpSettings {
    std::string base;  // scheme://host[:port]
    int connect_timeout_s = 5;
    int read_timeout_s = 30;
    std::vector<std::pair<std::string, std::string>> headers;  // sent with every request
    // A larger answer is not read (HttpReply::error says so): a broken or hostile server
    // cannot make the client hold gigabytes.
    std::size_t max_body_bytes = std::size_t{256} << 20;
};

struct HttpReply {
    int status = 0;
    std::string body;
    std::string error;  // set when no HTTP answer came (refused, timeout, TLS); status is 0
};

class HttpTransport {
  public:
    virtual ~HttpTransport() = default;
    // method: GET, POST, PATCH, PUT or DELETE; body is sent as application/json when given.
    virtual HttpReply send(const std::string& method, const std::string& path,
                           const std::string* body) = 0;
};

// Throws InputError when `base` is not a usable URL, BackendError when the module cannot
// be loaded (the message names where it was looked for).
std::unique_ptr<HttpTransport> open_http(const HttpSettings& settings);

// The module's entry point (C linkage, looked up by name): a transport, or null with
// `error` set.
extern "C" using HttpOpenFn = HttpTransport * (*)(const HttpSettings* settings, std::string* error);
constexpr const char* kHttpOpenSymbol = "zonegen_http_open";
constexpr const char* kHttpModuleFile = "zonegen-http.so";

}  // namespace zonegen
