// Progress of a long run on a terminal: one line on stderr, redrawn at most
// ten times a second and erased at the end; nothing at all when stderr is not
// a terminal (a pipe, a file, a test), so output stays clean.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

namespace nabla::cli {

class Progress {
 public:
  /// Shown only when `err` is std::cerr and stderr is a terminal.
  explicit Progress(std::ostream& err)
      : err_(err), enabled_(&err == &std::cerr && isatty(fileno(stderr)) != 0) {}
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() {
    if (shown_) err_ << "\r\033[K" << std::flush;
  }

  /// Redraws the line (when enough time has passed since the last time).
  void update(const std::string& line) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (shown_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    shown_ = true;
    err_ << "\r\033[K" << line << std::flush;
  }

 private:
  std::ostream& err_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace nabla::cli
