// write_file (cli/file_output.hpp) on targets that are not regular files,
// which a golden case cannot make: a FIFO, a pipe reached through
// /proc/self/fd (what /dev/stdout is), and a character device. They are
// written in place and stay what they were; renaming a temporary file over
// them replaced the node with a regular file.
#include "file_output.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>

#include "common.hpp"

namespace nabla::cli {
namespace {

namespace fs = std::filesystem;

/// A fresh folder of the test's own, removed at the end.
class FileOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "nabla_file_output.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
  }
  void TearDown() override { fs::remove_all(folder_); }
  std::string path(const std::string& name) const { return (folder_ / name).string(); }

  fs::path folder_;
};

/// Everything that can be read from fd now (it must not block).
std::string read_available(int fd) {
  std::string text;
  char buffer[256];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<std::size_t>(n));
  return text;
}

TEST_F(FileOutput, FifoIsWrittenAndStaysAFifo) {
  const std::string fifo = path("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);  // so that opening to write does not block
  ASSERT_GE(reader, 0);
  write_file(fifo, "<svg/>\n");
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(read_available(reader), "<svg/>\n");
  ::close(reader);
}

TEST_F(FileOutput, PipeThroughProcSelfFdIsWritten) {
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  const std::string link = path("out.svg");  // as /dev/stdout -> /proc/self/fd/1
  fs::create_symlink("/proc/self/fd/" + std::to_string(ends[1]), link);
  write_file(link, "<svg/>\n");
  ::close(ends[1]);
  EXPECT_EQ(read_available(ends[0]), "<svg/>\n");
  EXPECT_TRUE(fs::is_symlink(link));
  ::close(ends[0]);
}

TEST_F(FileOutput, FullDeviceIsAnErrorAndStaysADevice) {
  const std::string full = path("full");
  if (::mknod(full.c_str(), S_IFCHR | 0600, ::makedev(1, 7)) != 0)  // a /dev/full of its own
    GTEST_SKIP() << "cannot make a device node here (not root)";
  try {
    write_file(full, "<svg/>\n");
    ADD_FAILURE() << "writing to a full device succeeded";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_character_file(full));
}

TEST_F(FileOutput, FolderIsAnError) {
  fs::create_directory(path("folder"));
  EXPECT_THROW(write_file(path("folder"), "<svg/>\n"), UsageError);
  EXPECT_TRUE(fs::is_directory(path("folder")));
}

}  // namespace
}  // namespace nabla::cli
