#include "loader/support/read_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace lazylink {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/lazylink-read-file-XXXXXX";
  const char* dir = ::mkdtemp(tmpl);
  return dir ? dir : "";
}

void WriteText(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
}

TEST(ReadInputFile, ReadsARegularFileWhole) {
  const std::string dir = TempDir();
  WriteText(dir + "/a.bin", std::string("\0asm\1\0\0\0", 8));
  Expected<std::vector<uint8_t>> r = ReadInputFile(dir + "/a.bin", 8);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r->size(), 8u);
  EXPECT_EQ((*r)[1], 'a');
  ::unlink((dir + "/a.bin").c_str());
  ::rmdir(dir.c_str());
}

TEST(ReadInputFile, RefusesADirectory) {
  const std::string dir = TempDir();
  Expected<std::vector<uint8_t>> r = ReadInputFile(dir, 1 << 20);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Format(), dir + ": is a directory, not a regular file: give the path of a file");
  ::rmdir(dir.c_str());
}

TEST(ReadInputFile, RefusesAFifoWithoutWaitingForAWriter) {
  const std::string dir = TempDir();
  const std::string fifo = dir + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Expected<std::vector<uint8_t>> r = ReadInputFile(fifo, 1 << 20);  // would block if opened
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().Format().find("pipe: is a FIFO (named pipe), not a regular file"), std::string::npos)
      << r.error().Format();
  ::unlink(fifo.c_str());
  ::rmdir(dir.c_str());
}

TEST(ReadInputFile, RefusesADevice) {
  Expected<std::vector<uint8_t>> r = ReadInputFile("/dev/zero", 1 << 20);  // endless
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Format(), "/dev/zero: is a character device, not a regular file: give the path of a file");
}

TEST(ReadInputFile, RefusesAFileOverTheLimitAndTakesOneAtIt) {
  const std::string dir = TempDir();
  WriteText(dir + "/big", std::string(101, 'x'));
  Expected<std::vector<uint8_t>> r = ReadInputFile(dir + "/big", 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Format(),
            dir + "/big: larger than the limit of 100 bytes (set LAZYLINK_MAX_INPUT_BYTES to change it)");
  EXPECT_TRUE(ReadInputFile(dir + "/big", 101).ok());
  ::unlink((dir + "/big").c_str());
  ::rmdir(dir.c_str());
}

TEST(ReadInputFile, FilesReportingNoSizeStopAtTheLimit) {
  // /proc files have st_size 0 and any length: the read itself is bounded.
  Expected<std::vector<uint8_t>> r = ReadInputFile("/proc/self/maps", 16);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().Format().find("larger than the limit of 16 bytes"), std::string::npos);
}

TEST(ReadInputFile, MissingFileNamesIt) {
  Expected<std::vector<uint8_t>> r = ReadInputFile("/nonexistent/x.wasm", 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Format(), "/nonexistent/x.wasm: cannot open: No such file or directory");
}

TEST(MaxInputBytes, EnvironmentOverridesTheDefault) {
  ::unsetenv("LAZYLINK_MAX_INPUT_BYTES");
  EXPECT_EQ(MaxInputBytes(), kDefaultMaxInputBytes);
  ::setenv("LAZYLINK_MAX_INPUT_BYTES", "4096", 1);
  EXPECT_EQ(MaxInputBytes(), 4096u);
  ::setenv("LAZYLINK_MAX_INPUT_BYTES", "12x", 1);
  EXPECT_EQ(MaxInputBytes(), kDefaultMaxInputBytes);
  ::unsetenv("LAZYLINK_MAX_INPUT_BYTES");
}

}  // namespace
}  // namespace lazylink
