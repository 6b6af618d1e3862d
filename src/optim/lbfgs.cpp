// L-BFGS without bounds: the two-loop direction (lbfgs_memory.hpp) in the
// shared line-search loop (Liu & Nocedal, Math. Programming 45, 1989).
#include "lbfgs_memory.hpp"
#include "search_loop.hpp"

namespace nabla::optim::detail {
namespace {

class Lbfgs final : public MemoryModel<LbfgsMemory> {
 public:
  Lbfgs(Eigen::Index n, int memory) : MemoryModel(n, memory) {}
  void direction(const Eigen::VectorXd&, const Eigen::VectorXd& g, Eigen::VectorXd& p) override {
    memory_.apply(g, p);
  }
};

}  // namespace

std::unique_ptr<DirectionModel> lbfgs_model(Eigen::Index n, int memory) {
  return std::make_unique<Lbfgs>(n, memory);
}

}  // namespace nabla::optim::detail
