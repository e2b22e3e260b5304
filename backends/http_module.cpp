// zonegen-http.so: cpp-httplib behind HttpTransport. The only file that includes httplib.
#include <httplib.h>

#include <cstdint>
#include <cstdlib>

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
    explicit Httplib(const HttpSettings& s) : max_(s.max_body_bytes), http_(s.base) {
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
        httplib::Request req;
        req.method = method;
        req.path = p;
        if (body) {
            req.body = *body;
            req.set_header("Content-Type", "application/json");
        }
        // The body is read through a receiver that stops at the cap (a Content-Length over
        // it is refused before any of the body is read).
        std::string got;
        bool too_big = false;
        req.response_handler = [&](const httplib::Response& r) {
            if (r.has_header("Content-Length")) {
                auto n = std::strtoull(r.get_header_value("Content-Length").c_str(), nullptr, 10);
                if (n > max_) too_big = true;
            }
            return !too_big;
        };
        req.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
            if (got.size() + n > max_) {
                too_big = true;
                return false;
            }
            got.append(data, n);
            return true;
        };
        httplib::Result r = http_.send(req);
        HttpReply out;
        if (too_big) {
            out.error = "the answer is larger than the limit of " + std::to_string(max_ >> 20) +
                        " MiB (--pdns-max-response-mb): not read";
            return out;
        }
        if (!r) {
            out.error = error_name(r.error());
            return out;
        }
        out.status = r->status;
        out.body = got.empty() ? std::move(r->body) : std::move(got);
        return out;
    }

    std::size_t max_;
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
