// The ba module: objective and sparse jacobian, each observation's 2 x 15
// block by one two-lane reverse sweep over a short per-observation tape.
#include "ba.hpp"

#include "json_io.hpp"
#include "module.hpp"
#include "nabla/core/errors.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

Ba::Ba(BaInput input) : in_(std::move(input)), reproj_(2 * in_.p), werr_(in_.p) {}

void Ba::objective() {
  for (std::size_t i = 0; i < in_.p; ++i) {
    const double* cam = &in_.cams[kBaCamera * static_cast<std::size_t>(in_.obs[2 * i])];
    const double* x = &in_.points[3 * static_cast<std::size_t>(in_.obs[2 * i + 1])];
    ba_reprojection(cam, x, in_.weights[i], &in_.feats[2 * i], &reproj_[2 * i]);
  }
  for (std::size_t i = 0; i < in_.p; ++i) werr_[i] = ba_weight_error(in_.weights[i]);
}

const SparseRows& Ba::jacobian() {
  constexpr int kInputs = kBaCamera + 4;
  constexpr std::size_t kBlock = 2 * kInputs;
  jac_.rows.resize(3 * in_.p + 1);
  jac_.cols.resize(kBlock * in_.p + in_.p);
  jac_.vals.resize(kBlock * in_.p + in_.p);
  const int point_col = kBaCamera * static_cast<int>(in_.n);
  const int weight_col = point_col + 3 * static_cast<int>(in_.m);
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  Var inputs[kInputs], err[2];
  for (std::size_t i = 0; i < in_.p; ++i) {
    const int c = in_.obs[2 * i], pt = in_.obs[2 * i + 1];
    tape.reset();  // one short tape per observation, its memory reused
    for (int j = 0; j < kBaCamera; ++j) inputs[j] = tape.input(in_.cams[kBaCamera * c + j]);
    for (int j = 0; j < 3; ++j) inputs[kBaCamera + j] = tape.input(in_.points[3 * pt + j]);
    inputs[kBaCamera + 3] = tape.input(in_.weights[i]);
    ba_reprojection(inputs, inputs + kBaCamera, inputs[kBaCamera + 3], &in_.feats[2 * i], err);
    adjoints_.assign(tape.statements() + 1, {0.0, 0.0});  // both rows in one sweep
    for (std::size_t r = 0; r < 2; ++r)
      if (err[r].is_active()) adjoints_[err[r].index()][r] = 1.0;
    tape.reverse_lanes(adjoints_.data());
    int* cols = &jac_.cols[kBlock * i];
    double* vals = &jac_.vals[kBlock * i];
    for (std::size_t r = 0; r < 2; ++r) {
      for (int j = 0; j < kInputs; ++j) {
        *cols++ = j < kBaCamera       ? kBaCamera * c + j
                  : j < kBaCamera + 3 ? point_col + 3 * pt + (j - kBaCamera)
                                      : weight_col + static_cast<int>(i);
        *vals++ = adjoints_[inputs[j].index()][r];
      }
      jac_.rows[2 * i + r + 1] = static_cast<int>(kBlock * i + kInputs * (r + 1));
    }
  }
  jac_.rows[0] = 0;
  using D1 = Dual<double, 1>;
  for (std::size_t i = 0; i < in_.p; ++i) {
    const std::size_t at = kBlock * in_.p + i;
    jac_.cols[at] = weight_col + static_cast<int>(i);
    jac_.vals[at] = ba_weight_error(D1::variable(in_.weights[i], 0)).tangent(0);
    jac_.rows[2 * in_.p + i + 1] = static_cast<int>(at + 1);
  }
  return jac_;
}

namespace {

BaInput read_input(const Json& input) {
  BaInput in;
  in.n = static_cast<std::size_t>(read_int(input, "n", 1, 1 << 24));
  in.m = static_cast<std::size_t>(read_int(input, "m", 1, 1 << 26));
  in.p = static_cast<std::size_t>(read_int(input, "p", 1, 1 << 26));
  if (2 * (kBaCamera + 4) * in.p + in.p > (std::size_t{1} << 31) - 1)
    throw DimensionError("ba: too many observations for 32-bit sparse indices");
  const std::vector<double> cam = read_vector(input, "cam", kBaCamera);
  const std::vector<double> x = read_vector(input, "x", 3);
  const double w = read_double(input, "w");
  const std::vector<double> feat = read_vector(input, "feat", 2);
  for (std::size_t i = 0; i < in.n; ++i) in.cams.insert(in.cams.end(), cam.begin(), cam.end());
  for (std::size_t i = 0; i < in.m; ++i) in.points.insert(in.points.end(), x.begin(), x.end());
  in.weights.assign(in.p, w);
  for (std::size_t i = 0; i < in.p; ++i) {
    in.feats.insert(in.feats.end(), feat.begin(), feat.end());
    in.obs.push_back(static_cast<int>(i % in.n));
    in.obs.push_back(static_cast<int>(i % in.m));
  }
  return in;
}

Evaluation run_objective(const Json& input) {
  Ba ba(read_input(input));
  auto times = repeat(read_runs(input), [&] { ba.objective(); });
  const auto& r = ba.reprojection();
  Json out{{"reproj_error", {{"elements", {r[0], r[1]}}, {"repeated", ba.input().p}}},
           {"w_err", {{"element", ba.weight_errors()[0]}, {"repeated", ba.input().p}}}};
  return {std::move(out), std::move(times)};
}

/// The eval's compressed form of the (replicated) Jacobian: the first 30
/// entries of rows, cols and vals (one observation's block) and the last one.
Json compressed(const SparseRows& j) {
  static constexpr std::size_t kBlock = 2 * (kBaCamera + 4);
  auto head_and_last = [](const auto& v) {
    using V = std::decay_t<decltype(v)>;
    V out(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(kBlock, v.size())));
    out.push_back(v.back());
    return out;
  };
  return Json{
      {"rows", head_and_last(j.rows)}, {"cols", head_and_last(j.cols)}, {"vals", head_and_last(j.vals)}};
}

Evaluation run_jacobian(const Json& input) {
  Ba ba(read_input(input));
  const SparseRows* j = nullptr;
  auto times = repeat(read_runs(input), [&] { j = &ba.jacobian(); });
  return {compressed(*j), std::move(times)};
}

}  // namespace

Module ba_module() { return Module{{{"objective", run_objective}, {"jacobian", run_jacobian}}}; }

}  // namespace nabla::gradbench
