// The progress bar of training (see progress.hpp).
#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace nabla::nn::detail {

Progress::Progress(bool wanted, long epochs, long batches)
    : active_(wanted && isatty(STDERR_FILENO) == 1),
      epochs_(epochs),
      batches_(std::max(1L, batches)),
      every_(std::max(1L, batches / 40)) {}

void Progress::batch(long epoch, long done, double running_loss) const {
  if (!active_ || (done % every_ != 0 && done != batches_)) return;
  constexpr int width = 30;
  const int filled = static_cast<int>(width * done / batches_);
  std::string bar(static_cast<std::size_t>(filled), '=');
  bar.resize(width, ' ');
  std::fprintf(stderr, "\repoch %ld/%ld [%s] loss %.4g ", epoch, epochs_, bar.c_str(), running_loss);
  std::fflush(stderr);
}

void Progress::epoch(long epoch, double train_loss, const std::string& validation) const {
  if (!active_) return;
  std::fprintf(stderr, "\r\033[Kepoch %ld/%ld  loss %.6g%s\n", epoch, epochs_, train_loss,
               validation.c_str());
  std::fflush(stderr);
}

}  // namespace nabla::nn::detail
