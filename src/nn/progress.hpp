// The training progress bar (private to src/nn): one line on stderr,
// redrawn with a carriage return, only when stderr is a terminal.
#pragma once

#include <string>

namespace nabla::nn::detail {

class Progress {
 public:
  /// Active when `wanted` and stderr is a terminal.
  Progress(bool wanted, long epochs, long batches);
  /// Redraws after some batches of `epoch` (1-based) with the running loss.
  void batch(long epoch, long done, double running_loss) const;
  /// Ends the epoch's line with its summary.
  void epoch(long epoch, double train_loss, const std::string& validation) const;
  bool active() const { return active_; }

 private:
  bool active_;
  long epochs_, batches_, every_;
};

}  // namespace nabla::nn::detail
