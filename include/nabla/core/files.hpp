// Whole-or-nothing file writes, shared by everything nabla writes to a path
// (model checkpoints, the command line's pictures and traces).
#pragma once

#include <string>
#include <string_view>

namespace nabla {

/// Writes bytes to path through a fresh temporary file beside it, synced and
/// renamed over it (a crash never leaves half a file, and no file of the
/// user's is taken for the temporary one); the file keeps the mode it had,
/// or gets a new file's. A symbolic link is written through: the link stays
/// and the file it names is replaced. An existing target that is not a
/// regular file (a device, a FIFO, /dev/stdout) is written in place instead,
/// as a shell redirect would, and stays what it is. Throws WriteError (an
/// IoError) when the path cannot be written.
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace nabla
