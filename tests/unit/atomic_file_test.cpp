#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "zonegen/atomic_file.hpp"
#include "zonegen/errors.hpp"

namespace {

std::string temp_dir() {
    char tmpl[] = "/tmp/zonegen-test-XXXXXX";
    return mkdtemp(tmpl);
}

std::string slurp(const std::string& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int entries(const std::string& dir) {
    int n = 0;
    DIR* d = opendir(dir.c_str());
    while (auto* e = readdir(d)) n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

}  // namespace

TEST(AtomicFile, ReplacesContentAndKeepsMode) {
    std::string dir = temp_dir(), f = dir + "/zone";
    zonegen::write_file_atomic(f, "old\n");
    chmod(f.c_str(), 0640);
    zonegen::write_file_atomic(f, "new\n");
    EXPECT_EQ(slurp(f), "new\n");
    struct stat st {};
    ASSERT_EQ(stat(f.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
    EXPECT_EQ(entries(dir), 1);  // no temporary file left behind
}

TEST(AtomicFile, FailureLeavesNothingBehind) {
    std::string dir = temp_dir();
    EXPECT_THROW(zonegen::write_file_atomic(dir + "/missing/zone", "x"), zonegen::InputError);
    mkdir((dir + "/sub").c_str(), 0755);
    EXPECT_THROW(zonegen::write_file_atomic(dir + "/sub", "x"),
                 zonegen::InputError);  // a directory
    EXPECT_EQ(entries(dir), 1);
}

namespace {

mode_t mode_of(const std::string& p) {
    struct stat st {};
    EXPECT_EQ(lstat(p.c_str(), &st), 0) << p;
    return st.st_mode;
}

// Sets the umask for one test and restores it.
class Umask {
  public:
    explicit Umask(mode_t m) : old_(umask(m)) {}
    ~Umask() { umask(old_); }

  private:
    mode_t old_;
};

}  // namespace

TEST(AtomicFile, NewFileIs0644LessTheUmask) {
    std::string dir = temp_dir();
    {
        Umask u(022);
        zonegen::write_file_atomic(dir + "/a", "x");
    }
    {
        Umask u(077);
        zonegen::write_file_atomic(dir + "/b", "x");
    }
    {
        Umask u(0);  // never more than 0644, whatever the umask allows
        zonegen::write_file_atomic(dir + "/c", "x");
    }
    EXPECT_EQ(mode_of(dir + "/a") & 07777, 0644u);
    EXPECT_EQ(mode_of(dir + "/b") & 07777, 0600u);
    EXPECT_EQ(mode_of(dir + "/c") & 07777, 0644u);
}

TEST(AtomicFile, ReplacedFileKeepsItsModeButNoSetIdOrStickyBits) {
    std::string dir = temp_dir(), f = dir + "/zone";
    zonegen::write_file_atomic(f, "old\n");
    ASSERT_EQ(chmod(f.c_str(), 07750), 0);
    zonegen::write_file_atomic(f, "new\n");
    EXPECT_EQ(slurp(f), "new\n");
    EXPECT_EQ(mode_of(f) & 07777, 0750u);
}

// Issue 14, item 7: the mode used to be stat()'s, through a symbolic link at the target, so a
// link to a set-user-ID, world-writable file of someone else's gave the new file those bits
// (reproduced before the change: the new file had mode 4777). Now the link is refused and
// neither it nor its target changes.
TEST(AtomicFile, SymlinkAtTheTargetIsRefusedAndItsTargetUntouched) {
    std::string dir = temp_dir(), target = dir + "/theirs", link = dir + "/zone";
    zonegen::write_file_atomic(target, "theirs\n");
    ASSERT_EQ(chmod(target.c_str(), 04777), 0);
    ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
    EXPECT_THROW(zonegen::write_file_atomic(link, "mine\n"), zonegen::InputError);
    EXPECT_TRUE(S_ISLNK(mode_of(link)));
    EXPECT_EQ(slurp(target), "theirs\n");
    EXPECT_EQ(mode_of(target) & 07777, 04777u);
    EXPECT_EQ(entries(dir), 2);  // no temporary file left behind
    // A dangling link is refused the same way (nothing is created where it points).
    ASSERT_EQ(symlink((dir + "/nowhere").c_str(), (dir + "/dangling").c_str()), 0);
    EXPECT_THROW(zonegen::write_file_atomic(dir + "/dangling", "x"), zonegen::InputError);
    EXPECT_NE(access((dir + "/nowhere").c_str(), F_OK), 0);
}

TEST(AtomicFile, DirectoryOthersMayWriteWithoutStickyBitIsRefused) {
    std::string dir = temp_dir();
    for (mode_t m : {0777, 0775, 0757, 02775}) {
        ASSERT_EQ(chmod(dir.c_str(), m), 0);
        EXPECT_THROW(zonegen::write_file_atomic(dir + "/zone", "x"), zonegen::InputError)
            << std::oct << m;
        EXPECT_EQ(entries(dir), 0) << std::oct << m;
    }
    // With the sticky bit (as /tmp) others cannot remove or replace the file: written.
    ASSERT_EQ(chmod(dir.c_str(), 01777), 0);
    zonegen::write_file_atomic(dir + "/zone", "x");
    EXPECT_EQ(slurp(dir + "/zone"), "x");
    EXPECT_EQ(entries(dir), 1);
}

TEST(AtomicFile, RelativePathAndPathsThatNameADirectory) {
    std::string dir = temp_dir();
    char cwd[4096];
    ASSERT_NE(getcwd(cwd, sizeof cwd), nullptr);
    ASSERT_EQ(chdir(dir.c_str()), 0);
    zonegen::write_file_atomic("zone", "rel\n");
    EXPECT_THROW(zonegen::write_file_atomic("sub/", "x"), zonegen::InputError);
    EXPECT_THROW(zonegen::write_file_atomic("..", "x"), zonegen::InputError);
    ASSERT_EQ(chdir(cwd), 0);
    EXPECT_EQ(slurp(dir + "/zone"), "rel\n");
    EXPECT_EQ(entries(dir), 1);
}
