// SIGINT and SIGTERM as a request to stop, for long runs (batch). While an InterruptWatch
// lives, both signals are blocked in every thread created after it, and a thread of its
// own takes them with sigwait: no work is done in a signal handler. The first signal is
// recorded (and said on stderr); a second one ends the process at once, by the signal.
#pragma once

#include <signal.h>

#include <atomic>
#include <string>
#include <thread>

namespace zonegen {

class InterruptWatch {
  public:
    // `what`: the sentence printed on stderr at the first signal ("finishing ...").
    explicit InterruptWatch(std::string what);
    ~InterruptWatch();
    InterruptWatch(const InterruptWatch&) = delete;
    InterruptWatch& operator=(const InterruptWatch&) = delete;

    // 0, or the first signal received (SIGINT or SIGTERM).
    int signal() const { return signal_.load(); }

  private:
    void wait_loop();

    std::string what_;
    sigset_t old_mask_;
    std::atomic<int> signal_{0};
    std::atomic<bool> done_{false};
    std::thread waiter_;
};

// "SIGINT", "SIGTERM", or "signal N".
std::string signal_name(int sig);

}  // namespace zonegen
