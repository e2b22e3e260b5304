#include "zonegen/interrupt.hpp"

#include <pthread.h>

#include <iostream>

namespace zonegen {
namespace {

// SIGUSR1 only wakes the waiter when the watch ends.
sigset_t watched() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGUSR1);
    return s;
}

// Ends the process by `sig` itself, so the parent sees the signal.
[[noreturn]] void die_by(int sig) {
    ::signal(sig, SIG_DFL);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    pthread_sigmask(SIG_UNBLOCK, &s, nullptr);
    ::raise(sig);
    std::_Exit(128 + sig);
}

}  // namespace

std::string signal_name(int sig) {
    if (sig == SIGINT) return "SIGINT";
    if (sig == SIGTERM) return "SIGTERM";
    return "signal " + std::to_string(sig);
}

InterruptWatch::InterruptWatch(std::string what) : what_(std::move(what)) {
    sigset_t s = watched();
    pthread_sigmask(SIG_BLOCK, &s, &old_mask_);
    waiter_ = std::thread([this] { wait_loop(); });
}

InterruptWatch::~InterruptWatch() {
    done_ = true;
    pthread_kill(waiter_.native_handle(), SIGUSR1);
    waiter_.join();
    // A signal that came after the waiter stopped is still pending; it is delivered here.
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

void InterruptWatch::wait_loop() {
    sigset_t s = watched();
    for (;;) {
        int sig = 0;
        if (sigwait(&s, &sig) != 0) continue;
        if (sig == SIGUSR1) {
            if (done_) return;
            continue;
        }
        if (signal_.load()) die_by(sig);
        signal_ = sig;
        std::cerr << "\nzonegen: " << signal_name(sig) << ": " << what_
                  << " (a second signal stops at once)\n"
                  << std::flush;
    }
}

}  // namespace zonegen
