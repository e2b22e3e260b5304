#include "backends/dnsask.hpp"

#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace zonegen {
namespace {

using Clock = std::chrono::steady_clock;

struct PktDeleter {
    void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

struct SockAddr {
    sockaddr_storage ss{};
    socklen_t len = 0;
};

bool to_sockaddr(const std::string& address, std::uint16_t port, SockAddr& out) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out.ss);
    if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        out.len = sizeof(sockaddr_in);
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.ss);
    if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        out.len = sizeof(sockaddr_in6);
        return true;
    }
    return false;
}

// The question in wire form, with a random id and EDNS0 (a 1232-octet UDP buffer).
std::string query_wire(const Name& name, RRType type, bool rd, std::uint16_t* id) {
    ldns_rdf* qname = ldns_dname_new_frm_str(name.to_string().c_str());
    if (!qname) return {};
    std::unique_ptr<ldns_pkt, PktDeleter> pkt(ldns_pkt_query_new(
        qname, static_cast<ldns_rr_type>(type), LDNS_RR_CLASS_IN, rd ? LDNS_RD : 0));
    if (!pkt) return {};
    ldns_pkt_set_random_id(pkt.get());
    ldns_pkt_set_edns_udp_size(pkt.get(), 1232);
    *id = ldns_pkt_id(pkt.get());
    std::uint8_t* wire = nullptr;
    std::size_t size = 0;
    if (ldns_pkt2wire(&wire, pkt.get(), &size) != LDNS_STATUS_OK) return {};
    std::string out(reinterpret_cast<const char*>(wire), size);
    std::free(wire);
    return out;
}

std::string errno_text(int e) {
    std::string s = std::strerror(e);
    if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

int ms_left(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// A reply to our question: long enough for a header, our id, the QR bit.
bool is_reply(const std::string& m, std::uint16_t id) {
    if (m.size() < 12) return false;
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(m[i]); };
    return ((b(0) << 8) | b(1)) == id && (b(2) & 0x80);
}

bool truncated(const std::string& m) {
    return m.size() >= 3 && (static_cast<unsigned char>(m[2]) & 0x02);
}

// Waits for `events` on `fd` until the deadline: 1 ready, 0 timed out, -1 error.
int wait_fd(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        int r = ::poll(&p, 1, ms_left(deadline));
        if (r < 0 && errno == EINTR) continue;
        return r > 0 ? 1 : r;
    }
}

struct Exchange {
    std::string reply;  // empty: none
    std::string error;
    bool timed_out = false;
};

Exchange timeout_of(int timeout_ms) {
    return {{}, "no answer within " + std::to_string(timeout_ms) + " ms", true};
}

Exchange over_udp(const SockAddr& sa, const std::string& q, std::uint16_t id, int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    Fd fd(::socket(sa.ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (fd.get() < 0) return {{}, errno_text(errno), false};
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&sa.ss), sa.len) < 0 ||
        ::send(fd.get(), q.data(), q.size(), 0) < 0)
        return {{}, errno_text(errno), false};
    std::string buf(65535, '\0');
    for (;;) {
        int w = wait_fd(fd.get(), POLLIN, deadline);
        if (w == 0) return timeout_of(timeout_ms);
        if (w < 0) return {{}, errno_text(errno), false};
        ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return {{}, errno_text(errno), false};  // an ICMP error: refused, unreachable
        }
        std::string m = buf.substr(0, static_cast<std::size_t>(n));
        if (is_reply(m, id)) return {m, {}, false};
    }
}

// Moves all of `n` octets to or from a non-blocking stream before the deadline.
bool stream_all(int fd, bool out, char* p, std::size_t n, Clock::time_point deadline,
                Exchange& ex) {
    while (n) {
        ssize_t k = out ? ::send(fd, p, n, MSG_NOSIGNAL) : ::recv(fd, p, n, 0);
        if (k > 0) {
            p += k;
            n -= static_cast<std::size_t>(k);
            continue;
        }
        if (k == 0) {
            ex.error = "the server closed the connection";
            return false;
        }
        if (errno != EAGAIN && errno != EINTR) {
            ex.error = errno_text(errno);
            return false;
        }
        int w = wait_fd(fd, out ? POLLOUT : POLLIN, deadline);
        if (w <= 0) {
            ex.error = w == 0 ? "no answer over TCP in time" : errno_text(errno);
            ex.timed_out = w == 0;
            return false;
        }
    }
    return true;
}

Exchange over_tcp(const SockAddr& sa, const std::string& q, std::uint16_t id, int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    Exchange ex;
    Fd fd(::socket(sa.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (fd.get() < 0) return {{}, errno_text(errno), false};
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&sa.ss), sa.len) < 0) {
        if (errno != EINPROGRESS) return {{}, errno_text(errno), false};
        int w = wait_fd(fd.get(), POLLOUT, deadline);
        if (w == 0) return timeout_of(timeout_ms);
        int err = 0;
        socklen_t len = sizeof err;
        if (w < 0 || ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err)
            return {{}, errno_text(err ? err : errno), false};
    }
    std::string msg;
    msg.push_back(static_cast<char>(q.size() >> 8));
    msg.push_back(static_cast<char>(q.size() & 0xff));
    msg += q;
    if (!stream_all(fd.get(), true, msg.data(), msg.size(), deadline, ex)) return ex;
    unsigned char len[2];
    if (!stream_all(fd.get(), false, reinterpret_cast<char*>(len), 2, deadline, ex)) return ex;
    std::string m((static_cast<std::size_t>(len[0]) << 8) | len[1], '\0');
    if (!stream_all(fd.get(), false, m.data(), m.size(), deadline, ex)) return ex;
    if (!is_reply(m, id)) return {{}, "a TCP reply that is not an answer to the question", false};
    return {m, {}, false};
}

}  // namespace

AskResult ask_server(const std::string& address, std::uint16_t port, const Name& name, RRType type,
                     bool recursion_desired, int timeout_ms) {
    AskResult r;
    SockAddr sa;
    if (!to_sockaddr(address, port, sa)) {
        r.error = "'" + address + "' is not an IP address";
        return r;
    }
    std::uint16_t id = 0;
    std::string q = query_wire(name, type, recursion_desired, &id);
    if (q.empty()) {
        r.error = "cannot build the question for " + name.to_string();
        return r;
    }
    Exchange ex = over_udp(sa, q, id, timeout_ms);
    if (!ex.reply.empty() && truncated(ex.reply)) ex = over_tcp(sa, q, id, timeout_ms);
    r.timed_out = ex.timed_out;
    if (ex.reply.empty()) {
        r.error = ex.error;
        return r;
    }
    r.answer = parse_dns_message(ex.reply);
    if (!r.answer.answered) r.error = "a reply that is not a DNS message";
    return r;
}

}  // namespace zonegen
