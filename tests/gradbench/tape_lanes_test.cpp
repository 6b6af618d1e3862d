// BasicTape::reverse_lanes, the vector-mode reverse sweep ba's Jacobian
// blocks use: each lane must equal a scalar reverse() sweep seeded the same
// way, and a closed-form Jacobian, on long and short statements alike.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "nabla/ad/var.hpp"

namespace {

using nabla::Tape;
using nabla::TapeScope;
using nabla::Var;

TEST(TapeLanes, TwoLanesMatchClosedFormAndScalarSweeps) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const double a = 0.7, b = -1.3, c = 2.1;
  Var x = tape.input(a), y = tape.input(b), z = tape.input(c);
  Var f = sin(x * y) + z * z;  // df = (y cos(xy), x cos(xy), 2z)
  Var g = exp(x) * y / z;      // dg = (e^x y / z, e^x / z, -e^x y / z^2)
  std::vector<std::array<double, 2>> adj(tape.statements() + 1, {0.0, 0.0});
  adj[f.index()][0] = 1;
  adj[g.index()][1] = 1;
  tape.reverse_lanes(adj.data());
  const double jf[3] = {b * std::cos(a * b), a * std::cos(a * b), 2 * c};
  const double jg[3] = {std::exp(a) * b / c, std::exp(a) / c, -std::exp(a) * b / (c * c)};
  const Var in[3] = {x, y, z};
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(adj[in[i].index()][0], jf[i], 1e-14);
    EXPECT_NEAR(adj[in[i].index()][1], jg[i], 1e-14);
  }
  for (int lane = 0; lane < 2; ++lane) {
    tape.clear_adjoints();
    tape.adjoint(lane == 0 ? f : g) = 1;
    tape.reverse();
    for (int i = 0; i < 3; ++i) EXPECT_EQ(tape.adjoint(in[i]), adj[in[i].index()][lane]);
  }
}

TEST(TapeLanes, LongStatementsAndManyChunks) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const std::size_t n = 300;  // one statement of more than 255 arguments
  std::vector<Var> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = tape.input(0.01 * static_cast<double>(i + 1));
  std::vector<double> partials(n);
  std::vector<Tape::Index> indices(n);
  for (std::size_t i = 0; i < n; ++i) {
    partials[i] = static_cast<double>(i);
    indices[i] = x[i].index();
  }
  const Var s(0.0, tape.push(partials, indices));  // s = sum_i i x_i
  Var p = s;
  for (int k = 0; k < 5000; ++k) p = p * 1.0001;  // statements past the first chunk
  std::vector<std::array<double, 3>> adj(tape.statements() + 1, {0.0, 0.0, 0.0});
  adj[p.index()] = {1.0, 0.0, 0.0};
  adj[s.index()] = {0.0, 2.0, 0.0};
  tape.reverse_lanes(adj.data());
  const double chain = std::pow(1.0001, 5000);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_NEAR(adj[x[i].index()][0], static_cast<double>(i) * chain, 1e-9 * static_cast<double>(i + 1));
    EXPECT_EQ(adj[x[i].index()][1], 2.0 * static_cast<double>(i));
    EXPECT_EQ(adj[x[i].index()][2], 0.0);
  }
}

}  // namespace
