// zonegen-http.so: cpp-httplib behind HttpTransport. The only file that includes httplib.
#include <httplib.h>

#include "backends/http.hpp"

namespace zonegen {
namespace {

std::string error_name(httplib::Error e) {
    switch (e) {
        case httplib::Error::Connection:
            return "connection refused or unreachable";
        case httplib::Error::Read:
            return "no answer in time (read timeout)";
        case httplib::Error::Write:
            return "the connection broke while sending";
        case httplib::Error::ConnectionTimeout:
            return "connection timeout";
        case httplib::Error::SSLConnection:
            return "TLS connection failed";
        case httplib::Error::SSLServerVerification:
            return "TLS certificate not trusted";
        default:
            return httplib::to_string(e);
    }
}

class Httplib final : public HttpTransport {
  public:
    explicit Httplib(const HttpSettings& s) : http_(s.base) {
        http_.set_connection_timeout(s.connect_timeout_s, 0);
        http_.set_read_timeout(s.read_timeout_s, 0);
        http_.set_write_timeout(s.read_timeout_s, 0);
        httplib::Headers h;
        for (const auto& [k, v] : s.headers) h.emplace(k, v);
        http_.set_default_headers(std::move(h));
        http_.set_keep_alive(true);  // one connection for the many requests of a batch
    }
    bool valid() const { return http_.is_valid(); }

    // Nothing is thrown across the module's edge: the program may carry its own copy of the
    // C++ runtime.
    HttpReply send(const std::string& method, const std::string& p,
                   const std::string* body) override {
        try {
            return request(method, p, body);
        } catch (const std::exception& e) {
            HttpReply out;
            out.error = e.what();
            return out;
        } catch (...) {
            HttpReply out;
            out.error = "unknown failure in the HTTP client";
            return out;
        }
    }

  private:
    HttpReply request(const std::string& method, const std::string& p, const std::string* body) {
        httplib::Result r{nullptr, httplib::Error::Unknown};
        const char* json = "application/json";
        if (method == "GET")
            r = http_.Get(p);
        else if (method == "POST")
            r = http_.Post(p, body ? *body : std::string(), json);
        else if (method == "PATCH")
            r = http_.Patch(p, body ? *body : std::string(), json);
        else if (method == "PUT")
            r = body ? http_.Put(p, *body, json) : http_.Put(p);
        else if (method == "DELETE")
            r = http_.Delete(p);
        HttpReply out;
        if (!r) {
            out.error = error_name(r.error());
            return out;
        }
        out.status = r->status;
        out.body = std::move(r->body);
        return out;
    }

    httplib::Client http_;
};

}  // namespace
}  // namespace zonegen

extern "C" __attribute__((visibility("default"))) zonegen::HttpTransport* zonegen_http_open(
    const zonegen::HttpSettings* s, std::string* error) {
    try {
        auto t = std::make_unique<zonegen::Httplib>(*s);
        if (!t->valid()) {
            *error = "not a usable URL";
            return nullptr;
        }
        return t.release();
    } catch (const std::exception& e) {
        *error = e.what();
        return nullptr;
    } catch (...) {
        *error = "unknown failure in the HTTP client";
        return nullptr;
    }
}
