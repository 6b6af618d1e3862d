// write_file_atomically on targets that are not regular files: a FIFO, a
// pipe reached through /proc/self/fd (what /dev/stdout is), and a character
// device. They are written in place and stay what they were; renaming a
// temporary file over them replaced the node with a regular file (the
// command line's pictures, and model checkpoints). Regular files and links
// to them are replaced whole, the links kept.
#include "nabla/core/files.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "nabla/core/errors.hpp"

namespace nabla {
namespace {

namespace fs = std::filesystem;

/// A fresh folder of the test's own, removed at the end.
class FileOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "nabla_files.XXXXXX").string();
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
  write_file_atomically(fifo, "<svg/>\n");
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(read_available(reader), "<svg/>\n");
  ::close(reader);
}

TEST_F(FileOutput, PipeThroughProcSelfFdIsWritten) {
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  const std::string link = path("out.svg");  // as /dev/stdout -> /proc/self/fd/1
  fs::create_symlink("/proc/self/fd/" + std::to_string(ends[1]), link);
  write_file_atomically(link, "<svg/>\n");
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
    write_file_atomically(full, "<svg/>\n");
    ADD_FAILURE() << "writing to a full device succeeded";
  } catch (const WriteError& e) {
    EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_character_file(full));
}

TEST_F(FileOutput, FolderIsAnError) {
  fs::create_directory(path("folder"));
  EXPECT_THROW(write_file_atomically(path("folder"), "<svg/>\n"), WriteError);
  EXPECT_TRUE(fs::is_directory(path("folder")));
}

std::string contents(const std::string& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_F(FileOutput, RegularFileIsReplacedWholeAndALinkIsWrittenThrough) {
  const std::string file = path("model.nbl"), link = path("latest.nbl");
  write_file_atomically(file, "first");
  ASSERT_EQ(::chmod(file.c_str(), 0640), 0);
  fs::create_symlink("model.nbl", link);
  write_file_atomically(link, "second");
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(contents(file), "second");
  EXPECT_EQ(fs::status(file).permissions() & fs::perms::mask, fs::perms(0640));  // the mode it had
  std::size_t entries = 0;  // and no temporary file left beside it
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder_)) ++entries;
  EXPECT_EQ(entries, 2U);
}

TEST_F(FileOutput, MissingFolderIsAnError) {
  EXPECT_THROW(write_file_atomically(path("no/such/folder/file"), "x"), IoError);
}

}  // namespace
}  // namespace nabla
