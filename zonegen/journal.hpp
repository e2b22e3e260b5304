// The journal of changes: an append-only JSON Lines file with one record per apply, written
// before the first write (the intent: who, what, where, the state before and the steps) and
// completed after it (done or failed, and the result). A crash in between leaves an intent
// without a completion, which the next begin() for the same zone marks "interrupted".
//
// Each line is written with one write() under flock(LOCK_EX) (and a mutex for the threads of
// one process), then fsync'd. While an apply runs, its process holds an open-file-description
// lock on a byte of the journal far beyond its end that stands for the entry's id: an intent
// whose byte nobody holds belongs to a run that ended without completing it. No secret is
// ever written: a value under a key named like key material is refused before it reaches
// the file (see journal_secret_path).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/name.hpp"
#include "zonegen/secure_file.hpp"

namespace zonegen {

struct Profile;

struct JournalConfig {
    std::string path;   // "": no journal
    std::string group;  // the profile's journal_group: new files 0660 and this group; "": 0600
};

// The journal of a run: --journal FILE if given, else the profile's `journal:`; the group is
// the profile's `journal_group:`. Throws InputError for a group unknown on this system.
JournalConfig journal_config(const Profile& profile, const std::string& cli_path);

struct JournalIntent {
    std::string command;  // "apply", "apply --plan", "batch apply", "rollback"
    Name zone;
    std::string target;     // where: "PowerDNS http://..." or the file path
    nlohmann::json before;  // every rrset and setting the steps touch
    nlohmann::json steps;   // the steps, as the plan shows them
};

class Journal {
  public:
    explicit Journal(JournalConfig config);  // no I/O yet
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;
    ~Journal();  // closes the in-flight locks of entries never finished: they read as ended

    bool enabled() const { return !config_.path.empty(); }
    const std::string& path() const { return config_.path; }

    // Appends the intent line ("id", "event": "intent", "time" (UTC, ISO 8601), "user",
    // "actor", "command", "zone", "target", "before", "steps") with fsync and returns its id
    // ("" when the journal is disabled: nothing is written). Before that, an earlier intent
    // for the same zone that has no completion and whose run has ended (a crash in between)
    // gets an "interrupted" line; its id goes to `interrupted`. Throws BackendError (naming
    // the file) when the journal cannot be written, InputError when the file is refused (a
    // symbolic link, not a regular file, writable by others) or the group cannot be given:
    // either way the caller applies nothing. Throws std::logic_error for a secret in
    // `before` or `steps` (a programming error), before anything is written.
    std::string begin(const JournalIntent& intent, std::vector<std::string>* interrupted = nullptr);

    // Appends {"id", "event": "done"|"failed", "time", "result"} with fsync and ends the
    // entry's in-flight lock. A no-op for id "". Throws as begin() does.
    void finish(const std::string& id, bool ok, const nlohmann::json& result);

    // The zone's entries, oldest first: each intent merged with what completed it — "id",
    // "time", "user", "actor", "command", "zone", "target", "before", "steps", "status"
    // ("done" | "failed" | "interrupted" | "open"), "result" (null unless done or failed) and
    // "finished" (the time of the completion or of the interrupted line, else null). A
    // missing file is an empty journal. A line that is not a journal record (a torn tail
    // after a power cut) is skipped with a warning: into `warnings`, or on stderr when it is
    // null. Other zones' lines are read only as far as their "id", "event" and "zone".
    std::vector<nlohmann::json> entries(const Name& zone,
                                        std::vector<std::string>* warnings = nullptr) const;

  private:
    JournalConfig config_;
    // id -> the descriptor holding the entry's in-flight lock (guarded by the process-wide
    // mutex of all journal appends).
    std::map<std::string, FileDescriptor> held_;
};

// Where `j` holds a secret ("before.rrsets[2].secret"), or nullopt: a key named like key
// material ("secret", "password", "private_key", "privatekey", "api_key", "token", or "key"
// alone, what PowerDNS calls a TSIG secret; case, '-' and '_' aside; a "..._file" key names
// a file and is allowed), or a string holding a PEM or BIND private key.
std::optional<std::string> journal_secret_path(const nlohmann::json& j);

// A new entry id: the UTC time to the microsecond, then 12 hex digits (random per process,
// then a counter): "20261207T101530.123456Z-3f9a2c1b0001". Ids sort by time and are unique
// across threads and processes.
std::string new_journal_id();

}  // namespace zonegen
