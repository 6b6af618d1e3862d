// Whole-or-nothing writes (see file_output.hpp). The temporary file comes from
// mkstemp in the target's own folder, so it is new (never PATH.tmp of the
// user's) and the rename stays on one file system; it gets the mode the
// target has, or a new file's mode. A target that exists and is not a
// regular file (a device, a FIFO, /dev/stdout) is opened and written as a
// shell redirect would: renaming over it would replace the node itself.
#include "file_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "common.hpp"

namespace nabla::cli {
namespace {

namespace fs = std::filesystem;

/// The file that writing `path` replaces: `path` with its symbolic links
/// followed, to a target that need not exist yet.
fs::path final_target(const std::string& path) {
  fs::path p = path;
  for (int links = 0; links < 40; ++links) {  // more is a loop, as for open(2)
    std::error_code error;
    if (!fs::is_symlink(fs::symlink_status(p, error))) return p;
    const fs::path target = fs::read_symlink(p, error);
    if (error) break;
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  throw UsageError("cannot write '" + path + "': too many levels of symbolic links");
}

/// The target's mode if it exists, else that of a new file (0666 less the umask).
mode_t mode_for(const fs::path& target) {
  struct stat status {};
  if (::stat(target.c_str(), &status) == 0) return status.st_mode & 07777;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

bool write_all(int fd, const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno != EINTR) return false;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  return true;
}

/// Writes text into the existing non-regular file at path (opened through
/// its links, so /proc/self/fd/1 reaches a pipe too).
void write_in_place(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) throw UsageError("cannot write '" + path + "': " + std::strerror(errno));
  const bool written = write_all(fd, text);
  const int error = errno;
  if (::close(fd) != 0 || !written)
    throw UsageError("cannot write '" + path + "': " + std::strerror(written ? errno : error));
}

}  // namespace

void write_file(const std::string& path, const std::string& text) {
  struct stat status {};
  if (::stat(path.c_str(), &status) == 0 && !S_ISREG(status.st_mode)) {
    write_in_place(path, text);
    return;
  }
  const fs::path target = final_target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string temporary = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) throw UsageError("cannot write '" + path + "'");
  bool written = ::fchmod(fd, mode_for(target)) == 0 && write_all(fd, text);
  written = ::close(fd) == 0 && written;
  if (!written || std::rename(temporary.c_str(), target.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw UsageError("cannot write '" + path + "'");
  }
}

}  // namespace nabla::cli
