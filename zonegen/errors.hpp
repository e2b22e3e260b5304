// Operational failures are exceptions; main() turns each into one message and an exit code.
// Findings about a zone are values (see finding.hpp), not exceptions.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "zonegen/finding.hpp"

namespace zonegen {

enum class ExitCode : int {
    ok = 0,
    invalid = 1,   // the zone is invalid DNS; for verify: a problem was found
    usage = 2,     // usage or input error
    backend = 3,   // PowerDNS or an AXFR peer failed
    unsafe = 4,    // refused as unsafe without --force
    changes = 10,  // plan/diff --detailed-exitcode: there are changes
};

class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
    virtual ExitCode code() const = 0;
    // The "kind" of contract.md's JSON error object.
    virtual const char* kind() const = 0;
};

// A bad command line (unknown flag, missing argument).
class UsageError : public Error {
  public:
    using Error::Error;
    ExitCode code() const override { return ExitCode::usage; }
    const char* kind() const override { return "usage"; }
};

// Input that cannot be read as what it should be: an unreadable file, a spec with an unknown
// key, a value that does not parse. The message names the key (and the line).
class InputError : public Error {
  public:
    using Error::Error;
    ExitCode code() const override { return ExitCode::usage; }
    const char* kind() const override { return "input"; }
};

// Well-formed input whose zone is invalid DNS: carries the findings.
class InvalidZoneError : public Error {
  public:
    InvalidZoneError(std::string message, std::vector<Finding> findings)
        : Error(std::move(message)), findings_(std::move(findings)) {}
    ExitCode code() const override { return ExitCode::invalid; }
    const char* kind() const override { return "invalid"; }
    const std::vector<Finding>& findings() const { return findings_; }

  private:
    std::vector<Finding> findings_;
};

class BackendError : public Error {
  public:
    using Error::Error;
    ExitCode code() const override { return ExitCode::backend; }
    const char* kind() const override { return "backend"; }
};

// A zone's creation found the zone there already (PowerDNS's 409): exit 3, and with
// `batch --assume-new` the zone is then read and planned as usual.
class ZoneExistsError : public BackendError {
  public:
    using BackendError::BackendError;
};

// Standard output cannot be written (a full disk, a closed pipe): exit 3, the message on
// stderr only, since stdout is what failed.
class StdoutError : public Error {
  public:
    using Error::Error;
    ExitCode code() const override { return ExitCode::backend; }
    const char* kind() const override { return "output"; }
};

class UnsafeError : public Error {
  public:
    using Error::Error;
    ExitCode code() const override { return ExitCode::unsafe; }
    const char* kind() const override { return "unsafe"; }
};

// What an exception that is not an Error (a bug, not an input problem) is reported as, said
// plainly; `what` is null for one that is not even a std::exception.
inline InputError internal_error(const char* what) {
    return InputError(std::string("internal error: ") + (what ? what : "an unknown exception"));
}

}  // namespace zonegen
