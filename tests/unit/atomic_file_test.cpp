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
