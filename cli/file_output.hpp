// Writing the files the verbs produce (SVG pictures, CSV traces) whole or not
// at all, without touching any other file of the user's.
#pragma once

#include <string>

namespace nabla::cli {

/// Writes text to path through a fresh temporary file beside it and a rename
/// (a crash never leaves half a file, and no file of the user's is taken for
/// the temporary one); a symbolic link is written through, so the link stays
/// and the file it names is replaced. An existing target that is not a
/// regular file (a device, a FIFO, /dev/stdout) is written in place instead,
/// as a shell redirect would, and stays what it is. A path that cannot be
/// written is a UsageError.
void write_file(const std::string& path, const std::string& text);

}  // namespace nabla::cli
