#include "zonegen/journal.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <mutex>
#include <stdexcept>

#include "zonegen/errors.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/utf8.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

// Every journal append of this process, whatever Journal object makes it: flock orders the
// processes, this the threads of one (and it guards the scan cache and Journal::held_).
std::mutex& append_mutex() {
    static std::mutex m;
    return m;
}

std::string quoted(const std::string& path) {
    return printable(path);
}

// ---- who and when --------------------------------------------------------------------------

std::string utc_text(std::chrono::system_clock::time_point t, bool compact) {
    std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, compact ? "%Y%m%dT%H%M%S" : "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!compact) return buf;
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()) %
                  std::chrono::seconds(1);
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%06lldZ", static_cast<long long>(micros.count()));
    return std::string(buf) + frac;
}

std::string now_text() {
    return utc_text(std::chrono::system_clock::now(), false);
}

std::uint32_t random32() {
    std::uint32_t v = 0;
    if (::getrandom(&v, sizeof v, 0) == static_cast<ssize_t>(sizeof v)) return v;
    if (std::FILE* f = std::fopen("/dev/urandom", "rbe")) {
        std::size_t n = std::fread(&v, sizeof v, 1, f);
        std::fclose(f);
        if (n == 1) return v;
    }
    auto t = std::chrono::steady_clock::now().time_since_epoch().count();
    return static_cast<std::uint32_t>(t) ^ static_cast<std::uint32_t>(::getpid() * 2654435761u);
}

// The login name of the effective uid, or the uid's number when it has none.
std::string user_name() {
    uid_t uid = ::geteuid();
    std::vector<char> buf(16384);
    struct passwd pw {};
    struct passwd* res = nullptr;
    if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &res) == 0 && res && res->pw_name)
        return res->pw_name;
    return std::to_string(uid);
}

json actor() {
    const char* a = std::getenv("ZONEGEN_ACTOR");
    return a && *a ? json(std::string(a)) : json(nullptr);
}

std::optional<gid_t> group_id(const std::string& name) {
    std::vector<char> buf(16384);
    struct group gr {};
    struct group* res = nullptr;
    int rc;
    while ((rc = ::getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &res)) == ERANGE &&
           buf.size() < (1u << 24))
        buf.resize(buf.size() * 2);
    if (rc != 0 || !res) return std::nullopt;
    return res->gr_gid;
}

std::optional<gid_t> configured_gid(const JournalConfig& c) {
    if (c.group.empty()) return std::nullopt;
    if (auto g = group_id(c.group)) return g;
    throw InputError("journal_group: no group '" + printable(c.group) + "' on this system");
}

// ---- the secret guard ----------------------------------------------------------------------

bool secret_key(const std::string& key) {
    std::string k;
    for (char c : key)
        if (c != '_' && c != '-')
            k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (k.size() > 4 && k.ends_with("file")) return false;  // secret_file: a path
    if (k == "key") return true;  // PowerDNS's name for a TSIG key's secret
    for (const char* w : {"secret", "password", "passwd", "privatekey", "apikey", "token"})
        if (k.find(w) != std::string::npos) return true;
    return false;
}

bool secret_text(const std::string& s) {
    return s.find("PRIVATE KEY-----") != std::string::npos ||
           s.find("Private-key-format:") != std::string::npos;
}

std::optional<std::string> find_secret(const json& j, const std::string& at) {
    if (j.is_string() && secret_text(j.get_ref<const std::string&>())) return at;
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) {
            std::string here = at.empty() ? k : at + "." + k;
            if (secret_key(k) && !v.is_null()) return here;
            if (auto p = find_secret(v, here)) return p;
        }
    }
    if (j.is_array())
        for (std::size_t i = 0; i < j.size(); ++i)
            if (auto p = find_secret(j[i], at + "[" + std::to_string(i) + "]")) return p;
    return std::nullopt;
}

void refuse_secrets(const json& j, const std::string& what) {
    if (auto p = find_secret(j, what))
        throw std::logic_error("the journal never records a secret, and " + *p +
                               " looks like one: nothing was written");
}

// ---- the file ------------------------------------------------------------------------------

constexpr int kOpenFlags = O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;

// Why an existing journal is refused, or "". To write to it: group write only for the group
// journal_group names, and it belongs to this user, root, or that group.
std::string file_problem(const struct stat& st, std::optional<gid_t> gid, bool writing) {
    if (!S_ISREG(st.st_mode)) return "not a regular file";
    if (st.st_mode & S_IWOTH)
        return "writable by others (mode " + octal_mode(st.st_mode) + "): chmod o-w it";
    if (!writing) return "";
    bool our_group = gid && st.st_gid == *gid;
    if ((st.st_mode & S_IWGRP) && !our_group)
        return "writable by its group (gid " + std::to_string(st.st_gid) + ", mode " +
               octal_mode(st.st_mode) + ") while journal_group does not name that group";
    if (st.st_uid != ::geteuid() && st.st_uid != 0 && !our_group)
        return "owned by another user (uid " + std::to_string(st.st_uid) +
               ") and not shared through journal_group";
    return "";
}

[[noreturn]] void open_failed(const std::string& path, int err) {
    if (err == ELOOP)
        throw InputError("journal " + quoted(path) +
                         ": a symbolic link (refused: name the file itself)");
    if (err == EISDIR || err == ENXIO)
        throw InputError("journal " + quoted(path) + ": not a regular file (refused)");
    throw BackendError("journal " + quoted(path) + ": cannot open it: " + std::strerror(err));
}

void check_open_file(int fd, const std::string& path, std::optional<gid_t> gid, bool writing) {
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw BackendError("journal " + quoted(path) + ": " + std::strerror(errno));
    std::string why = file_problem(st, gid, writing);
    if (!why.empty()) throw InputError("journal " + quoted(path) + ": " + why + " (refused)");
}

std::string directory_of(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// A new journal goes into a directory others cannot write to, or a sticky one.
void check_directory(const std::string& path) {
    struct stat st {};
    std::string dir = directory_of(path);
    if (::stat(dir.c_str(), &st) != 0) return;  // the open says what is wrong
    if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
        throw InputError("journal " + quoted(path) + ": its directory may be written by others " +
                         "without the sticky bit (mode " + octal_mode(st.st_mode) + "; refused)");
}

void sync_directory(const std::string& path) {
    int d = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) return;
    ::fsync(d);
    ::close(d);
}

// Mode 0600, or 0660 and the group; the directory entry made durable.
void set_up_new_file(int fd, const std::string& path, std::optional<gid_t> gid) {
    if (gid && ::fchown(fd, static_cast<uid_t>(-1), *gid) != 0) {
        int err = errno;
        ::unlink(path.c_str());
        throw InputError("journal " + quoted(path) + ": cannot give it to journal_group (gid " +
                         std::to_string(*gid) + "): " + std::strerror(err) +
                         " (is this user a member of the group?)");
    }
    if (::fchmod(fd, gid ? 0660 : 0600) != 0) {
        int err = errno;
        ::unlink(path.c_str());
        throw BackendError("journal " + quoted(path) + ": " + std::strerror(err));
    }
    sync_directory(path);
}

// The journal open for appending (and reading, for the scan), created when absent.
FileDescriptor open_for_append(const std::string& path, std::optional<gid_t> gid) {
    const int flags = O_RDWR | O_APPEND | kOpenFlags;
    for (int attempt = 0; attempt < 3; ++attempt) {
        FileDescriptor fd(::open(path.c_str(), flags));
        if (fd) {
            check_open_file(fd.get(), path, gid, true);
            return fd;
        }
        if (errno != ENOENT) open_failed(path, errno);
        check_directory(path);
        fd = FileDescriptor(::open(path.c_str(), flags | O_CREAT | O_EXCL, 0600));
        if (fd) {
            set_up_new_file(fd.get(), path, gid);
            return fd;
        }
        if (errno != EEXIST) open_failed(path, errno);
    }
    throw BackendError("journal " + quoted(path) + ": created and removed again while opening it");
}

// flock(LOCK_EX) for the scope: the other processes' appends wait.
class FileLock {
  public:
    FileLock(int fd, const std::string& path) : fd_(fd) {
        while (::flock(fd_, LOCK_EX) != 0)
            if (errno != EINTR)
                throw BackendError("journal " + quoted(path) +
                                   ": cannot lock it: " + std::strerror(errno));
    }
    ~FileLock() { ::flock(fd_, LOCK_UN); }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

  private:
    int fd_;
};

bool ends_with_newline(int fd, off_t size) {
    char last = '\n';
    return size == 0 || (::pread(fd, &last, 1, size - 1) == 1 && last == '\n');
}

// Appends `line` (one JSON document) with one write() — a second only if the kernel took
// part of it — and fsync. A torn tail left by a crash is ended first, so the new line stays
// whole; a failed append is cut off again. Call with the FileLock held.
void append_line(int fd, const std::string& path, std::string line) {
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw BackendError("journal " + quoted(path) + ": " + std::strerror(errno));
    if (!ends_with_newline(fd, st.st_size)) line.insert(0, "\n");
    line += '\n';
    std::size_t done = 0;
    int err = 0;
    while (done < line.size()) {
        ssize_t n = ::write(fd, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            err = n < 0 ? errno : EIO;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    if (!err && ::fsync(fd) != 0) err = errno;
    if (err) {
        if (done > 0 && ::ftruncate(fd, st.st_size) != 0) { /* the reader skips a torn line */
        }
        throw BackendError("journal " + quoted(path) + ": cannot write it: " + std::strerror(err));
    }
}

std::string line_text(const ordered_json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// ---- a record's head -----------------------------------------------------------------------

// What a reader needs of most lines: the top-level "id", "event" and, for an intent, "zone".
// The writer puts them first, so the parse stops there and never builds the large "before".
struct RecordHead {
    std::string id, event, zone;
    bool has_id = false, has_event = false, has_zone = false;
    bool known() const { return has_id && has_event && (event != "intent" || has_zone); }
};

// nlohmann's SAX interface, reading RecordHead and stopping once it is known. A line that is
// not an object, or ends before that, leaves it unknown.
class HeadReader {
  public:
    explicit HeadReader(RecordHead& h) : h_(h) {}
    bool null() { return value(); }
    bool boolean(bool) { return value(); }
    bool number_integer(json::number_integer_t) { return value(); }
    bool number_unsigned(json::number_unsigned_t) { return value(); }
    bool number_float(json::number_float_t, const std::string&) { return value(); }
    bool binary(json::binary_t&) { return value(); }
    bool string(std::string& v) {
        if (depth_ == 1 && key_ == "id") h_.id = v, h_.has_id = true;
        if (depth_ == 1 && key_ == "event") h_.event = v, h_.has_event = true;
        if (depth_ == 1 && key_ == "zone") h_.zone = v, h_.has_zone = true;
        return value();
    }
    bool start_object(std::size_t) { return ++depth_ > 0; }
    bool end_object() {
        --depth_;
        return value();
    }
    bool start_array(std::size_t) { return depth_++ > 0; }  // a line must be an object
    bool end_array() {
        --depth_;
        return value();
    }
    bool key(std::string& k) {
        if (depth_ == 1) key_ = k;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
        return false;
    }

  private:
    // After a value: go on unless the head is known (or the line was not an object).
    bool value() { return depth_ > 0 && !h_.known(); }
    RecordHead& h_;
    int depth_ = 0;
    std::string key_;
};

RecordHead read_head(std::string_view line) {
    RecordHead h;
    HeadReader reader(h);
    json::sax_parse(line, &reader);
    return h;
}

// ---- who is still running ------------------------------------------------------------------

// The byte far beyond any journal's end that stands for an entry while its apply runs.
off_t lock_offset(const std::string& id) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (unsigned char c : id) h = (h ^ c) * 1099511628211ull;
    return static_cast<off_t>((std::uint64_t{1} << 61) + (h & ((std::uint64_t{1} << 40) - 1)));
}

struct flock lock_request(const std::string& id) {
    struct flock fl {};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = lock_offset(id);
    fl.l_len = 1;
    return fl;
}

void hold(int fd, const std::string& id) {
    struct flock fl = lock_request(id);
    ::fcntl(fd, F_OFD_SETLK, &fl);  // without it, the entry only reads as ended sooner
}

// Whether some open file description (of any process, this one included) holds the entry's
// byte. When that cannot be told, the run is taken to be alive.
bool in_flight(int fd, const std::string& id) {
    struct flock fl = lock_request(id);
    if (::fcntl(fd, F_OFD_GETLK, &fl) != 0) return true;
    return fl.l_type != F_UNLCK;
}

// ---- the scan for intents without a completion ---------------------------------------------

// What this process knows of a journal file: how far it has read, and the intents seen
// without a completion (id -> zone).
struct ScanState {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t offset = 0;
    std::map<std::string, std::string> open;
};

std::map<std::string, ScanState>& scan_cache() {
    static std::map<std::string, ScanState> cache;
    return cache;
}

void scan_line(std::string_view text, ScanState& s) {
    RecordHead h = read_head(text);
    if (!h.known()) return;
    if (h.event == "intent")
        s.open[h.id] = h.zone;
    else if (h.event == "done" || h.event == "failed" || h.event == "interrupted")
        s.open.erase(h.id);
}

// Reads what was appended since the last scan (all of it for a file not seen before).
ScanState& scan(int fd, const std::string& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw BackendError("journal " + quoted(path) + ": " + std::strerror(errno));
    ScanState& s = scan_cache()[path];
    if (s.dev != st.st_dev || s.ino != st.st_ino || st.st_size < s.offset)
        s = ScanState{st.st_dev, st.st_ino, 0, {}};
    std::string buf;
    char chunk[65536];
    for (off_t at = s.offset; at < st.st_size;) {
        ssize_t n = ::pread(fd, chunk, sizeof chunk, at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        buf.append(chunk, static_cast<std::size_t>(n));
        at += n;
    }
    std::size_t start = 0;
    for (std::size_t nl = buf.find('\n'); nl != std::string::npos; nl = buf.find('\n', start)) {
        scan_line(std::string_view(buf).substr(start, nl - start), s);
        start = nl + 1;
    }
    s.offset += static_cast<off_t>(start);  // a torn tail is read again, ended, next time
    return s;
}

// Appends an "interrupted" line for each intent of `zone` whose run has ended without a
// completion; returns their ids.
std::vector<std::string> mark_interrupted(int fd, const std::string& path, const std::string& zone,
                                          const std::string& new_id) {
    std::vector<std::string> ids;
    for (const auto& [id, z] : scan(fd, path).open) {
        bool same_zone = false;
        try {
            same_zone = Name::parse(z.ends_with('.') ? z : z + ".").to_string() == zone;
        } catch (const NameError&) {
        }
        if (same_zone && !in_flight(fd, id)) ids.push_back(id);
    }
    for (const auto& id : ids) {
        ordered_json line = {
            {"id", id}, {"event", "interrupted"}, {"time", now_text()}, {"noticed_by", new_id}};
        append_line(fd, path, line_text(line));
    }
    return ids;
}

// ---- reading -------------------------------------------------------------------------------

// The journal's text; "" when there is no file.
std::string read_journal(const std::string& path) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | kOpenFlags));
    if (!fd) {
        if (errno == ENOENT) return "";
        open_failed(path, errno);
    }
    check_open_file(fd.get(), path, std::nullopt, false);
    std::string text;
    char chunk[65536];
    for (;;) {
        ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw BackendError("journal " + quoted(path) +
                               ": cannot read it: " + std::strerror(errno));
        if (n == 0) break;
        text.append(chunk, static_cast<std::size_t>(n));
    }
    return text;
}

bool zone_is(const std::string& z, const Name& zone, const std::string& zone_text) {
    if (z == zone_text) return true;  // as the writer writes it
    try {
        return Name::parse(z.ends_with('.') ? z : z + ".") == zone;
    } catch (const NameError&) {
        return false;
    }
}

json entry_of(const json& intent) {
    json e = json::object();
    for (const char* k :
         {"id", "time", "user", "actor", "command", "zone", "target", "before", "steps"})
        e[k] = intent.contains(k) ? intent[k] : json(nullptr);
    e["status"] = "open";
    e["result"] = nullptr;
    e["finished"] = nullptr;
    return e;
}

void complete(json& e, const json& record, const std::string& event) {
    // A completion outranks an "interrupted" written while its run was thought dead.
    if (event == "interrupted" && e["status"] != "open") return;
    e["status"] = event;
    e["finished"] = record.contains("time") ? record["time"] : json(nullptr);
    if (event != "interrupted") e["result"] = record.contains("result") ? record["result"] : json();
}

// The zone's entries, a line at a time. Only the lines of the zone's intents and of their
// completions are parsed whole; the others' heads say enough.
struct EntryReader {
    const Name& zone;
    std::string zone_text;
    std::vector<json> out;
    std::map<std::string, std::size_t> index;  // id -> its entry in out

    // False for a line that is not a journal record.
    bool read(std::string_view line) {
        RecordHead h = read_head(line);
        if (!h.known()) return false;
        auto it = index.find(h.id);
        bool intent = h.event == "intent" && it == index.end() && zone_is(h.zone, zone, zone_text);
        bool completion = it != index.end() &&
                          (h.event == "done" || h.event == "failed" || h.event == "interrupted");
        if (!intent && !completion) return true;
        json j = json::parse(line, nullptr, false);
        if (!j.is_object()) return false;
        if (intent) {
            index[h.id] = out.size();
            out.push_back(entry_of(j));
        } else {
            complete(out[it->second], j, h.event);
        }
        return true;
    }
};

void warn(std::vector<std::string>* warnings, const std::string& msg) {
    if (warnings)
        warnings->push_back(msg);
    else
        std::cerr << "zonegen: warning: " << msg << "\n";
}

}  // namespace

// ---- public --------------------------------------------------------------------------------

std::optional<std::string> journal_secret_path(const json& j) {
    return find_secret(j, "");
}

std::string new_journal_id() {
    static std::mutex m;
    static pid_t pid = 0;
    static std::uint32_t random = 0, counter = 0;
    std::lock_guard<std::mutex> g(m);
    if (pid != ::getpid()) {  // first use, or a forked child: a suffix of its own
        pid = ::getpid();
        random = random32();
        counter = 0;
    }
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "-%08x%04x", random, ++counter & 0xffffu);
    return utc_text(std::chrono::system_clock::now(), true) + suffix;
}

JournalConfig journal_config(const Profile& profile, const std::string& cli_path) {
    JournalConfig c{cli_path.empty() ? profile.journal : cli_path, profile.journal_group};
    if (!c.path.empty() && !c.group.empty() && !group_id(c.group))
        throw InputError("profile " + profile.source + ": journal_group: no group '" +
                         printable(c.group) + "' on this system");
    return c;
}

Journal::Journal(JournalConfig config) : config_(std::move(config)) {}

Journal::~Journal() = default;

std::string Journal::begin(const JournalIntent& in, std::vector<std::string>* interrupted) {
    if (!enabled()) return "";
    refuse_secrets(in.before, "before");
    refuse_secrets(in.steps, "steps");
    auto gid = configured_gid(config_);
    std::lock_guard<std::mutex> g(append_mutex());
    FileDescriptor fd = open_for_append(config_.path, gid);
    FileLock lock(fd.get(), config_.path);
    std::string id = new_journal_id(), zone = in.zone.to_string();
    auto ended = mark_interrupted(fd.get(), config_.path, zone, id);
    if (interrupted) interrupted->insert(interrupted->end(), ended.begin(), ended.end());
    ordered_json line = {
        {"id", id},          {"event", "intent"},     {"time", now_text()}, {"user", user_name()},
        {"actor", actor()},  {"command", in.command}, {"zone", zone},       {"target", in.target},
        {"steps", in.steps}, {"before", in.before}};
    append_line(fd.get(), config_.path, line_text(line));
    hold(fd.get(), id);
    held_[id] = std::move(fd);
    return id;
}

void Journal::finish(const std::string& id, bool ok, const json& result) {
    if (id.empty() || !enabled()) return;
    refuse_secrets(result, "result");
    ordered_json line = {
        {"id", id}, {"event", ok ? "done" : "failed"}, {"time", now_text()}, {"result", result}};
    std::lock_guard<std::mutex> g(append_mutex());
    FileDescriptor fd;
    if (auto it = held_.find(id); it != held_.end()) {
        fd = std::move(it->second);
        held_.erase(it);
    } else {
        fd = open_for_append(config_.path, configured_gid(config_));
    }
    FileLock lock(fd.get(), config_.path);
    append_line(fd.get(), config_.path, line_text(line));
}  // closing the descriptor ends the entry's in-flight lock

std::vector<json> Journal::entries(const Name& zone, std::vector<std::string>* warnings) const {
    if (!enabled()) return {};
    std::string text = read_journal(config_.path);
    EntryReader reader{zone, zone.to_string(), {}, {}};
    std::size_t start = 0, line_no = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        std::string_view line = std::string_view(text).substr(start, nl - start);
        start = nl + 1;
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        if (!reader.read(line))
            warn(warnings, "journal " + quoted(config_.path) + " line " + std::to_string(line_no) +
                               ": not a journal record (a torn write?): skipped");
    }
    return std::move(reader.out);
}

}  // namespace zonegen
