// Reading the files zonegen is given (zonegen/input.hpp).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "zonegen/errors.hpp"
#include "zonegen/input.hpp"

using namespace zonegen;

namespace {

class Input : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/zonegen-input-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
    std::string file(const std::string& name, const std::string& text) {
        std::string p = dir_ + "/" + name;
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    std::string error_of(const std::string& path, std::size_t max = 64u << 20) {
        try {
            read_input(path, max);
        } catch (const InputError& e) {
            return e.what();
        }
        return "(read)";
    }
    std::string dir_;
};

}  // namespace

TEST_F(Input, ReadsTheWholeFileByteForByte) {
    std::string text("domain: example.com\n\0tail\r\n", 27);
    EXPECT_EQ(read_input(file("spec.yaml", text)), text);
    EXPECT_EQ(read_input(file("empty", "")), "");
}

TEST_F(Input, AMissingFileOrADirectoryIsAnInputErrorNamingThePath) {
    EXPECT_EQ(error_of(dir_ + "/none.yaml"),
              dir_ + "/none.yaml: cannot open: No such file or directory");
    EXPECT_EQ(error_of(dir_), dir_ + ": is a directory");
}

TEST_F(Input, AFileOverTheCapIsRefused) {
    std::string big(3u << 20, 'x');
    std::string p = file("big", big);
    EXPECT_EQ(error_of(p, 2u << 20), p + ": larger than 2 MiB");
    EXPECT_EQ(read_input(p, 3u << 20).size(), big.size());
}

TEST_F(Input, TheHeadIsTheFirstBytesOrTheWholeShortFile) {
    std::string p = file("zone", "$ORIGIN example.com.\n@ SOA ...\n");
    EXPECT_EQ(read_input_head(p, 8), "$ORIGIN ");
    EXPECT_EQ(read_input_head(p, 4096), "$ORIGIN example.com.\n@ SOA ...\n");
    EXPECT_THROW(read_input_head(dir_, 8), InputError);
    EXPECT_THROW(read_input_head(dir_ + "/none", 8), InputError);
}
