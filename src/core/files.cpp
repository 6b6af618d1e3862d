// Whole-or-nothing writes (see files.hpp). The temporary file comes from
// mkstemp in the target's own folder, so it is new (never PATH.tmp of the
// user's) and the rename stays on one file system. A target that exists and
// is not a regular file is opened and written as a shell redirect would:
// renaming over it would replace the node itself (a device, a FIFO, the pipe
// behind /dev/stdout).
#include "nabla/core/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "nabla/core/errors.hpp"

namespace nabla {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void cannot_write(const std::string& path, int error) {
  std::string what = "cannot write '";
  what.append(path).append("'");
  if (error != 0) what.append(": ").append(std::strerror(error));
  throw WriteError(what);
}

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
  cannot_write(path, ELOOP);
}

/// The target's mode if it exists, else that of a new file (0666 less the umask).
mode_t mode_for(const fs::path& target) {
  struct stat status {};
  if (::stat(target.c_str(), &status) == 0) return status.st_mode & 07777;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

bool write_all(int fd, std::string_view bytes) {
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno != EINTR) return false;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  return true;
}

/// Writes bytes into the existing non-regular file at path (opened through
/// its links, so /proc/self/fd/1 reaches a pipe too).
void write_in_place(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) cannot_write(path, errno);
  const bool written = write_all(fd, bytes);
  const int error = errno;
  if (::close(fd) != 0 || !written) cannot_write(path, written ? errno : error);
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes) {
  struct stat status {};
  if (::stat(path.c_str(), &status) == 0 && !S_ISREG(status.st_mode)) {
    write_in_place(path, bytes);
    return;
  }
  const fs::path target = final_target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string name = ".";  // appended piece by piece: GCC 12 warns falsely on a chain of + (bug 105329)
  name.append(target.filename().string()).append(".XXXXXX");
  std::string temporary = (folder / name).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) cannot_write(path, errno);
  bool written = ::fchmod(fd, mode_for(target)) == 0 && write_all(fd, bytes) && ::fsync(fd) == 0;
  int error = written ? 0 : errno;
  if (::close(fd) != 0 && written) {
    written = false;
    error = errno;
  }
  if (written && std::rename(temporary.c_str(), target.c_str()) != 0) {
    written = false;
    error = errno;
  }
  if (!written) {
    std::remove(temporary.c_str());
    cannot_write(path, error);
  }
}

}  // namespace nabla
