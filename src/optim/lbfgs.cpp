// L-BFGS without bounds: the two-loop direction (lbfgs_memory.hpp) in the
// shared line-search loop (Liu & Nocedal, Math. Programming 45, 1989).
#include "lbfgs_memory.hpp"
#include "search_loop.hpp"

namespace nabla::optim::detail {
namespace {

class Lbfgs final : public DirectionModel {
 public:
  Lbfgs(Eigen::Index n, int memory) : memory_(n, memory) {}
  void direction(const Eigen::VectorXd&, const Eigen::VectorXd& g, Eigen::VectorXd& p) override {
    memory_.apply(g, p);
  }
  void update(const Eigen::VectorXd& s, const Eigen::VectorXd& y) override { memory_.push(s, y); }
  bool reset() override {
    if (memory_.size() == 0) return false;
    memory_.clear();
    return true;
  }
  bool unscaled() const override { return memory_.size() == 0; }

 private:
  LbfgsMemory memory_;
};

}  // namespace

std::unique_ptr<DirectionModel> lbfgs_model(Eigen::Index n, int memory) {
  return std::make_unique<Lbfgs>(n, memory);
}

}  // namespace nabla::optim::detail
