// The lstm eval (ADBench's LSTM, diagonal weight "matrices"): l layers of b
// cells run over a sequence of c characters (one-hot rows of b); the loss
// is minus the mean log-likelihood of each next character under a
// log-softmax whose normalizer is log(2 + sum e^y) (ADBench's quirk).
// Parameters theta = [main (l x 2 x 4b), extra (3 x b)]; the state is data.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "ad_ops.hpp"
#include "nabla/core/functions.hpp"
#include "recorder.hpp"

namespace nabla::gradbench {

/// An LSTM problem: l layers, b cells, c characters.
struct LstmInput {
  std::size_t l = 0, b = 0, c = 0;
  std::vector<double> theta;     ///< 8bl main, then 3b extra
  std::vector<double> state;     ///< l x (hidden b, cell b)
  std::vector<double> sequence;  ///< c x b
};

/// The running state and one step's output (reused between runs).
template <class T>
struct LstmWork {
  std::vector<T> state, ypred;
  void resize(const LstmInput& in) {
    state.resize(in.state.size());
    ypred.resize(in.b);
  }
};

/// One layer on its input: the four gates and the new cell and hidden state.
/// The gates are `auto`: doubles on doubles, and on Vars expressions that
/// the two assignments record as two statements (of 10 and 4 arguments)
/// instead of six, with no adjoints of their own.
template <class T>
void lstm_layer(std::size_t b, const T* params, T* hidden, T* cell, const T* input) {
  using std::tanh;
  const T* weight = params;
  const T* bias = params + 4 * b;
  for (std::size_t i = 0; i < b; ++i) {
    const auto forget = sigmoid(input[i] * weight[i] + bias[i]);
    const auto ingate = sigmoid(hidden[i] * weight[b + i] + bias[b + i]);
    const auto outgate = sigmoid(input[i] * weight[2 * b + i] + bias[2 * b + i]);
    const auto change = tanh(hidden[i] * weight[3 * b + i] + bias[3 * b + i]);
    cell[i] = cell[i] * forget + ingate * change;
    hidden[i] = outgate * tanh(cell[i]);
  }
}

/// The loss of the whole sequence.
template <class T>
T lstm_objective(const LstmInput& in, const T* theta, LstmWork<T>& w) {
  using std::log;
  const std::size_t b = in.b;
  const T* extra = theta + 8 * b * in.l;
  for (std::size_t i = 0; i < in.state.size(); ++i) w.state[i] = in.state[i];
  T total(0.0);
  for (std::size_t t = 0; t + 1 < in.c; ++t) {
    const double* x = &in.sequence[t * b];
    for (std::size_t i = 0; i < b; ++i) w.ypred[i] = x[i] * extra[i];
    const T* layer_input = w.ypred.data();
    for (std::size_t layer = 0; layer < in.l; ++layer) {
      T* hidden = &w.state[2 * b * layer];
      lstm_layer(b, theta + 8 * b * layer, hidden, hidden + b, layer_input);
      layer_input = hidden;
    }
    for (std::size_t i = 0; i < b; ++i) w.ypred[i] = layer_input[i] * extra[b + i] + extra[2 * b + i];
    const T lse = log(sum_exp(w.ypred.data(), b) + 2.0);
    const double* gold = &in.sequence[(t + 1) * b];
    double gold_sum = 0;
    for (std::size_t i = 0; i < b; ++i) gold_sum += gold[i];
    // sum_i gold_i (ypred_i - lse)
    total += affine(0.0, w.ypred.data(), gold, b) - gold_sum * lse;
  }
  const double count = static_cast<double>((in.c > 0 ? in.c - 1 : 0) * b);
  return -total / count;
}

/// LSTM loss and gradient with workspaces kept between runs.
class Lstm {
 public:
  explicit Lstm(LstmInput input);
  double objective();
  const std::vector<double>& gradient();

 private:
  LstmInput in_;
  LstmWork<double> wd_;
  LstmWork<Var> wv_;
  std::vector<double> g_;
  ReverseGradient reverse_;
};

}  // namespace nabla::gradbench
