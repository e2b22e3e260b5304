#include "zonegen/journal.hpp"

#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "zonegen/errors.hpp"
#include "zonegen/profile.hpp"

namespace {

using json = nlohmann::json;
using zonegen::Journal;
using zonegen::JournalConfig;
using zonegen::JournalIntent;
using zonegen::Name;

std::string temp_dir() {
    char tmpl[] = "/tmp/zonegen-journal-XXXXXX";
    return mkdtemp(tmpl);
}

std::vector<std::string> lines_of(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

void append_raw(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::app);
    out << text;
}

JournalIntent intent(const std::string& zone, const std::string& command = "apply") {
    JournalIntent in;
    in.command = command;
    in.zone = Name::parse(zone);
    in.target = "PowerDNS http://127.0.0.1:8081";
    in.before = {{"rrsets", json::array({{{"name", "www." + zone}, {"type", "A"}}})}};
    in.steps = json::array({"+ www." + zone + " 3600 A 192.0.2.10"});
    return in;
}

mode_t mode_of(const std::string& p) {
    struct stat st {};
    EXPECT_EQ(lstat(p.c_str(), &st), 0) << p;
    return st.st_mode;
}

// A group this process may give a file to, other than its own when it can: root any group,
// another user one of its supplementary groups.
gid_t shareable_group(std::string& name) {
    std::vector<gid_t> candidates;
    if (geteuid() == 0) {
        for (const char* n : {"adm", "daemon", "users", "staff"})
            if (struct group* g = getgrnam(n)) candidates.push_back(g->gr_gid);
    } else {
        gid_t groups[256];
        int n = getgroups(256, groups);
        for (int i = 0; i < n; ++i)
            if (groups[i] != getegid()) candidates.push_back(groups[i]);
    }
    candidates.push_back(getegid());
    struct group* g = getgrgid(candidates.front());
    name = g ? g->gr_name : "";
    return candidates.front();
}

}  // namespace

// ---- ids -----------------------------------------------------------------------------------

TEST(JournalId, SortsByTimeAndIsUniqueAcrossThreads) {
    std::regex form(R"(\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{12})");
    std::vector<std::vector<std::string>> per(8);
    std::vector<std::thread> threads;
    for (auto& ids : per)
        threads.emplace_back([&ids] {
            for (int i = 0; i < 500; ++i) ids.push_back(zonegen::new_journal_id());
        });
    for (auto& t : threads) t.join();
    std::set<std::string> all;
    for (const auto& ids : per) {
        EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
        for (const auto& id : ids) {
            EXPECT_TRUE(std::regex_match(id, form)) << id;
            all.insert(id);
        }
    }
    EXPECT_EQ(all.size(), 4000u);
}

TEST(JournalId, ParallelBeginsFromThreadsWriteWholeLinesWithUniqueIds) {
    std::string path = temp_dir() + "/journal.jsonl";
    Journal j(JournalConfig{path, ""});
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&j, t] {
            for (int i = 0; i < 25; ++i) {
                auto id = j.begin(intent("t" + std::to_string(t) + ".example.com."));
                j.finish(id, true, {{"applied", true}});
            }
        });
    for (auto& t : threads) t.join();
    auto lines = lines_of(path);
    ASSERT_EQ(lines.size(), 400u);
    std::set<std::string> intents;
    for (const auto& l : lines) {
        json r = json::parse(l);  // every line whole
        if (r["event"] == "intent") intents.insert(r["id"].get<std::string>());
    }
    EXPECT_EQ(intents.size(), 200u);
    for (int t = 0; t < 8; ++t) {
        auto es = j.entries(Name::parse("t" + std::to_string(t) + ".example.com."));
        ASSERT_EQ(es.size(), 25u);
        for (const auto& e : es) EXPECT_EQ(e["status"], "done");
    }
}

TEST(JournalId, TwoProcessesShareOneJournal) {
    std::string path = temp_dir() + "/journal.jsonl";
    std::vector<pid_t> children;
    for (int c = 0; c < 3; ++c) {
        pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            Journal j(JournalConfig{path, ""});
            for (int i = 0; i < 40; ++i)
                j.finish(j.begin(intent("p" + std::to_string(c) + ".example.com.")), true, {});
            _exit(0);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    auto lines = lines_of(path);
    ASSERT_EQ(lines.size(), 240u);
    std::set<std::string> ids;
    for (const auto& l : lines)
        if (json r = json::parse(l); r["event"] == "intent") ids.insert(r["id"]);
    EXPECT_EQ(ids.size(), 120u);
}

// ---- the record ----------------------------------------------------------------------------

TEST(JournalRecord, IntentAndCompletionLines) {
    std::string path = temp_dir() + "/journal.jsonl";
    setenv("ZONEGEN_ACTOR", "panel-operator-17", 1);
    Journal j(JournalConfig{path, ""});
    EXPECT_TRUE(j.enabled());
    auto id = j.begin(intent("example.com.", "apply --plan"));
    unsetenv("ZONEGEN_ACTOR");
    j.finish(id, false, {{"error", {{"kind", "backend"}, {"message", "HTTP 500"}}}});
    auto lines = lines_of(path);
    ASSERT_EQ(lines.size(), 2u);
    // Written in this order, for the eye.
    EXPECT_EQ(lines[0].rfind("{\"id\":\"" + id + "\",\"event\":\"intent\",\"time\":", 0), 0u);
    json in = json::parse(lines[0]), done = json::parse(lines[1]);
    std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
    EXPECT_TRUE(std::regex_match(in["time"].get<std::string>(), iso));
    EXPECT_EQ(in["user"], getpwuid(geteuid())->pw_name);
    EXPECT_EQ(in["actor"], "panel-operator-17");
    EXPECT_EQ(in["command"], "apply --plan");
    EXPECT_EQ(in["zone"], "example.com.");
    EXPECT_EQ(in["target"], "PowerDNS http://127.0.0.1:8081");
    EXPECT_EQ(in["steps"], intent("example.com.").steps);
    EXPECT_EQ(in["before"], intent("example.com.").before);
    EXPECT_EQ(done["id"], id);
    EXPECT_EQ(done["event"], "failed");
    EXPECT_TRUE(std::regex_match(done["time"].get<std::string>(), iso));
    EXPECT_EQ(done["result"]["error"]["message"], "HTTP 500");

    auto es = j.entries(Name::parse("EXAMPLE.com."));  // names compare case-insensitively
    ASSERT_EQ(es.size(), 1u);
    EXPECT_EQ(es[0]["status"], "failed");
    EXPECT_EQ(es[0]["finished"], done["time"]);
    EXPECT_EQ(es[0]["result"], done["result"]);
    EXPECT_EQ(es[0]["actor"], "panel-operator-17");
    // Without ZONEGEN_ACTOR: null.
    j.finish(j.begin(intent("example.com.")), true, {});
    EXPECT_TRUE(j.entries(Name::parse("example.com."))[1]["actor"].is_null());
}

TEST(JournalRecord, DisabledWritesNothingAndMissingFileIsEmpty) {
    Journal off(JournalConfig{});
    EXPECT_FALSE(off.enabled());
    EXPECT_EQ(off.begin(intent("example.com.")), "");
    off.finish("", true, {});
    EXPECT_TRUE(off.entries(Name::parse("example.com.")).empty());
    std::string path = temp_dir() + "/none.jsonl";
    Journal j(JournalConfig{path, ""});
    EXPECT_TRUE(j.entries(Name::parse("example.com.")).empty());
    EXPECT_NE(access(path.c_str(), F_OK), 0);  // reading creates nothing
}

TEST(JournalRecord, EntriesAreTheZonesOnlyOldestFirst) {
    std::string path = temp_dir() + "/journal.jsonl";
    Journal j(JournalConfig{path, ""});
    auto a = j.begin(intent("example.com."));
    j.finish(a, true, {});
    auto other = j.begin(intent("example.net."));
    j.finish(other, true, {});
    auto b = j.begin(intent("example.com.", "rollback"));
    auto es = j.entries(Name::parse("example.com."));
    ASSERT_EQ(es.size(), 2u);
    EXPECT_EQ(es[0]["id"], a);
    EXPECT_EQ(es[0]["status"], "done");
    EXPECT_EQ(es[1]["id"], b);
    EXPECT_EQ(es[1]["status"], "open");  // still in flight
    EXPECT_TRUE(es[1]["result"].is_null() && es[1]["finished"].is_null());
    EXPECT_EQ(es[1]["command"], "rollback");
}

// ---- modes and the group -------------------------------------------------------------------

TEST(JournalFile, NewFileIs0600WhateverTheUmask) {
    std::string path = temp_dir() + "/journal.jsonl";
    mode_t old = umask(0);
    Journal(JournalConfig{path, ""}).begin(intent("example.com."));
    umask(old);
    EXPECT_EQ(mode_of(path) & 07777, 0600u);
}

TEST(JournalFile, WithAGroupNewFileIs0660AndTheGroups) {
    std::string name;
    gid_t gid = shareable_group(name);
    ASSERT_FALSE(name.empty());
    std::string path = temp_dir() + "/journal.jsonl";
    Journal(JournalConfig{path, name}).begin(intent("example.com."));
    struct stat st {};
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0660u);
    EXPECT_EQ(st.st_gid, gid);
    // The shared file is written again by the group's members.
    Journal(JournalConfig{path, name}).begin(intent("example.com."));
    EXPECT_EQ(lines_of(path).size(), 3u);  // two intents and the interrupted line of the first
}

TEST(JournalFile, UnknownGroupIsAnInputError) {
    zonegen::Profile p;
    p.source = "test profile";
    p.journal = "/tmp/x.jsonl";
    p.journal_group = "no-such-group-zonegen";
    try {
        zonegen::journal_config(p, "");
        FAIL() << "no error";
    } catch (const zonegen::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("journal_group"), std::string::npos) << e.what();
        EXPECT_EQ(e.code(), zonegen::ExitCode::usage);
    }
    std::string path = temp_dir() + "/journal.jsonl";
    Journal j(JournalConfig{path, "no-such-group-zonegen"});
    EXPECT_THROW(j.begin(intent("example.com.")), zonegen::InputError);
    EXPECT_NE(access(path.c_str(), F_OK), 0);
}

TEST(JournalFile, ConfigTakesTheOptionOverTheProfile) {
    zonegen::Profile p;
    EXPECT_TRUE(zonegen::journal_config(p, "").path.empty());  // none unless asked
    p.journal = "/var/lib/zonegen/journal.jsonl";
    EXPECT_EQ(zonegen::journal_config(p, "").path, "/var/lib/zonegen/journal.jsonl");
    EXPECT_EQ(zonegen::journal_config(p, "mine.jsonl").path, "mine.jsonl");
}

TEST(JournalFile, ProfileKeys) {
    std::string base = zonegen::default_profile_text();
    auto p = zonegen::parse_profile(base, "t");
    EXPECT_TRUE(p.journal.empty());
    EXPECT_TRUE(p.journal_group.empty());
    p = zonegen::parse_profile(base +
                                   "\njournal: /var/lib/zonegen/journal.jsonl\n"
                                   "journal_group: dnsops\n",
                               "t");
    EXPECT_EQ(p.journal, "/var/lib/zonegen/journal.jsonl");
    EXPECT_EQ(p.journal_group, "dnsops");
    for (const char* bad : {"journal: journal.jsonl", "journal: /var/lib/zonegen/",
                            "journal: /var/../etc/j", "journal_group: 'a:b'", "journal_group: ''"})
        EXPECT_THROW(zonegen::parse_profile(base + "\n" + bad + "\n", "t"), zonegen::InputError)
            << bad;
}

// ---- refusals ------------------------------------------------------------------------------

TEST(JournalFile, RefusesASymbolicLink) {
    std::string dir = temp_dir(), real = dir + "/real.jsonl", link = dir + "/journal.jsonl";
    Journal(JournalConfig{real, ""}).begin(intent("example.com."));
    ASSERT_EQ(symlink(real.c_str(), link.c_str()), 0);
    Journal j(JournalConfig{link, ""});
    EXPECT_THROW(j.begin(intent("example.com.")), zonegen::InputError);
    EXPECT_THROW(j.entries(Name::parse("example.com.")), zonegen::InputError);
    EXPECT_EQ(lines_of(real).size(), 1u);
    // Dangling: nothing is created through it either.
    std::string dangling = dir + "/dangling.jsonl";
    ASSERT_EQ(symlink((dir + "/nowhere").c_str(), dangling.c_str()), 0);
    EXPECT_THROW(Journal(JournalConfig{dangling, ""}).begin(intent("example.com.")),
                 zonegen::InputError);
    EXPECT_NE(access((dir + "/nowhere").c_str(), F_OK), 0);
}

TEST(JournalFile, RefusesWhatIsNotARegularFile) {
    std::string dir = temp_dir();
    Journal j(JournalConfig{dir, ""});
    EXPECT_THROW(j.begin(intent("example.com.")), zonegen::InputError);
    std::string fifo = dir + "/fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_THROW(Journal(JournalConfig{fifo, ""}).entries(Name::parse("example.com.")),
                 zonegen::InputError);
}

TEST(JournalFile, RefusesAFileOthersMayWrite) {
    std::string path = temp_dir() + "/journal.jsonl";
    Journal j(JournalConfig{path, ""});
    j.finish(j.begin(intent("example.com.")), true, {});
    ASSERT_EQ(chmod(path.c_str(), 0602), 0);
    EXPECT_THROW(j.begin(intent("example.com.")), zonegen::InputError);
    EXPECT_THROW(j.entries(Name::parse("example.com.")), zonegen::InputError);
    // Group write is for the group journal_group names.
    ASSERT_EQ(chmod(path.c_str(), 0620), 0);
    EXPECT_EQ(j.entries(Name::parse("example.com.")).size(), 1u);  // reading is fine
    EXPECT_THROW(j.begin(intent("example.com.")), zonegen::InputError);
    EXPECT_EQ(lines_of(path).size(), 2u);
}

TEST(JournalFile, CannotWriteIsABackendErrorNamingTheFile) {
    std::string path = temp_dir() + "/missing-dir/journal.jsonl";
    try {
        Journal(JournalConfig{path, ""}).begin(intent("example.com."));
        FAIL() << "no error";
    } catch (const zonegen::BackendError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        EXPECT_EQ(e.code(), zonegen::ExitCode::backend);
    }
}

// ---- a torn tail ---------------------------------------------------------------------------

TEST(JournalFile, TornLineIsSkippedWithAWarningAndTheNextAppendStaysWhole) {
    std::string path = temp_dir() + "/journal.jsonl";
    Journal j(JournalConfig{path, ""});
    auto first = j.begin(intent("example.com."));
    j.finish(first, true, {});
    append_raw(path, R"({"id":"20261207T101530.123456Z-000000000001","event":"inte)");
    std::vector<std::string> warnings;
    auto es = j.entries(Name::parse("example.com."), &warnings);
    ASSERT_EQ(es.size(), 1u);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("line 3"), std::string::npos) << warnings[0];
    auto second = j.begin(intent("example.com."));
    j.finish(second, true, {});
    warnings.clear();
    es = j.entries(Name::parse("example.com."), &warnings);
    ASSERT_EQ(es.size(), 2u);
    EXPECT_EQ(es[1]["id"], second);
    EXPECT_EQ(es[1]["status"], "done");
    EXPECT_EQ(warnings.size(), 1u);  // the torn line alone, ended by a newline
    auto lines = lines_of(path);
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(json::parse(lines[3])["id"], second);
    // Garbage in the middle is skipped too.
    append_raw(path, "not json at all\n[1,2]\n");
    warnings.clear();
    EXPECT_EQ(j.entries(Name::parse("example.com."), &warnings).size(), 2u);
    EXPECT_EQ(warnings.size(), 3u);
}

// ---- interrupted runs ----------------------------------------------------------------------

TEST(JournalInterrupted, AnIntentWhoseRunEndedIsMarkedOnTheNextBegin) {
    std::string path = temp_dir() + "/journal.jsonl";
    std::string crashed;
    {
        Journal j(JournalConfig{path, ""});
        crashed = j.begin(intent("example.com."));
        j.finish(j.begin(intent("example.net.")), true, {});
    }  // gone without finishing: as a crash would
    {
        Journal j(JournalConfig{path, ""});  // another zone: not its business
        std::vector<std::string> interrupted;
        j.finish(j.begin(intent("example.net."), &interrupted), true, {});
        EXPECT_TRUE(interrupted.empty());
    }
    Journal j(JournalConfig{path, ""});
    std::vector<std::string> interrupted;
    auto next = j.begin(intent("Example.COM."), &interrupted);
    ASSERT_EQ(interrupted.size(), 1u);
    EXPECT_EQ(interrupted[0], crashed);
    j.finish(next, true, {});
    auto es = j.entries(Name::parse("example.com."));
    ASSERT_EQ(es.size(), 2u);
    EXPECT_EQ(es[0]["id"], crashed);
    EXPECT_EQ(es[0]["status"], "interrupted");
    EXPECT_FALSE(es[0]["finished"].is_null());
    EXPECT_EQ(es[1]["status"], "done");
    // Marked once only.
    interrupted.clear();
    j.finish(j.begin(intent("example.com."), &interrupted), true, {});
    EXPECT_TRUE(interrupted.empty());
    int marks = 0;
    for (const auto& l : lines_of(path)) marks += json::parse(l)["event"] == "interrupted";
    EXPECT_EQ(marks, 1);
}

TEST(JournalInterrupted, AnIntentStillRunningIsLeftOpen) {
    std::string path = temp_dir() + "/journal.jsonl";
    Journal running(JournalConfig{path, ""});
    auto id = running.begin(intent("example.com."));
    // A second journal object (as a second process would) does not take it for a crash.
    Journal other(JournalConfig{path, ""});
    std::vector<std::string> interrupted;
    other.finish(other.begin(intent("example.com."), &interrupted), true, {});
    EXPECT_TRUE(interrupted.empty());
    running.finish(id, true, {});
    auto es = other.entries(Name::parse("example.com."));
    ASSERT_EQ(es.size(), 2u);
    EXPECT_EQ(es[0]["status"], "done");
}

TEST(JournalInterrupted, AChildProcessKilledInTheMiddleIsDetected) {
    std::string path = temp_dir() + "/journal.jsonl";
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        Journal j(JournalConfig{path, ""});
        j.begin(intent("example.com."));
        char c = 1;
        if (write(ready[1], &c, 1) != 1) _exit(1);
        pause();  // applying...
        _exit(0);
    }
    char c = 0;
    ASSERT_EQ(read(ready[0], &c, 1), 1);
    Journal j(JournalConfig{path, ""});
    std::vector<std::string> interrupted;
    j.finish(j.begin(intent("example.com."), &interrupted), true, {});
    EXPECT_TRUE(interrupted.empty());  // alive
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    j.finish(j.begin(intent("example.com."), &interrupted), true, {});
    EXPECT_EQ(interrupted.size(), 1u);  // dead
    close(ready[0]);
    close(ready[1]);
}

// ---- the secret guard ----------------------------------------------------------------------

TEST(JournalSecrets, KeysNamedLikeKeyMaterialAreRefusedBeforeAnyWrite) {
    std::string path = temp_dir() + "/journal.jsonl";
    Journal j(JournalConfig{path, ""});
    auto in = intent("example.com.");
    in.steps =
        json::array({{{"description", "TSIG key xfr."}, {"tsig", {{"secret", "c2VjcmV0"}}}}});
    try {
        j.begin(in);
        FAIL() << "no error";
    } catch (const std::logic_error& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("steps[0].tsig.secret"), std::string::npos) << what;
        EXPECT_EQ(what.find("c2VjcmV0"), std::string::npos) << what;  // never the value
    }
    EXPECT_NE(access(path.c_str(), F_OK), 0);  // nothing written, not even the file
    auto id = j.begin(intent("example.com."));
    EXPECT_THROW(j.finish(id, true, {{"pdns", {{"API-Key", "x"}}}}), std::logic_error);
    EXPECT_EQ(lines_of(path).size(), 1u);
}

TEST(JournalSecrets, WhatCountsAsASecret) {
    using zonegen::journal_secret_path;
    for (const char* k : {"secret", "tsig_secret", "Password", "private_key", "privatekey",
                          "api_key", "X-API-Key", "token", "key"})
        EXPECT_TRUE(journal_secret_path(json{{"a", {{k, "v"}}}})) << k;
    EXPECT_EQ(*journal_secret_path(json{{"a", json::array({1, {{"key", "v"}}})}}), "a[1].key");
    for (const char* k :
         {"secret_file", "key_file", "tsig_key", "keyname", "name", "kind", "algorithm", "content"})
        EXPECT_FALSE(journal_secret_path(json{{k, "v"}})) << k;
    // Values that are key material whatever their key.
    EXPECT_TRUE(journal_secret_path(json::array({"-----BEGIN PRIVATE KEY-----\nMIIE"})));
    EXPECT_TRUE(journal_secret_path(json{{"c", "Private-key-format: v1.3\nAlgorithm: 13"}}));
    // A DKIM public key in a TXT record is not a secret.
    EXPECT_FALSE(journal_secret_path(json{{"rdata", {"\"v=DKIM1; k=rsa; p=MIIBIjANBg\""}}}));
    EXPECT_FALSE(journal_secret_path(json{{"secret", nullptr}}));  // no value, nothing to leak
}
