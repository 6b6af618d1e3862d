// The ht computation: the checks of a problem, the dependency analysis that
// tells each forward pass which bones and vertices it has to carry, the
// primal on doubles and the Jacobian's passes on nabla::Dual.
#include "ht.hpp"

#include <algorithm>
#include <string>

#include "nabla/core/errors.hpp"

namespace nabla::gradbench {

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw DimensionError("ht: " + what);
}

/// The fingers whose parameters pose bone b itself (bit k: finger k).
std::uint32_t own_fingers(std::size_t b) {
  std::uint32_t bits = 0;
  for (int row = 0; row < 3; ++row) {
    const int t = ht_theta_index(b, row);
    if (t >= kHtGlobal) bits |= 1u << ((t - kHtGlobal) / 4);
  }
  return bits;
}

void check_model(const HtModel& m) {
  require(m.bones >= kHtMinBones, "the model has " + std::to_string(m.bones) +
                                      " bones; theta poses bones up to 20, so at least 21 are needed");
  require(m.vertices >= 1, "the model has no vertices");
  require(m.parents.size() == m.bones, "parents must have one entry per bone");
  for (std::size_t b = 0; b < m.bones; ++b)
    require(m.parents[b] >= -1 && m.parents[b] < static_cast<int>(b),
            "the parent of bone " + std::to_string(b) + " must be -1 or an earlier bone");
  require(m.base_relatives.size() == 16 * m.bones && m.inverse_base_absolutes.size() == 16 * m.bones,
          "each bone needs a 4 x 4 base relative and inverse base absolute");
  require(m.base_positions.size() == 4 * m.vertices, "base_positions must be vertices x 4");
  require(m.weights.size() == m.bones * m.vertices, "weights must be vertices x bones");
  require(m.triangles.size() % 3 == 0, "every triangle needs 3 vertices");
  for (int v : m.triangles)
    require(v >= 0 && static_cast<std::size_t>(v) < m.vertices, "a triangle names a vertex out of range");
}

void check_input(const HtInput& in) {
  check_model(in.model);
  require(in.theta.size() == kHtTheta, "theta must have 26 entries");
  require(in.points.size() == 3 * in.n(), "points must be n x 3 for n correspondences");
  require(in.us.empty() || in.us.size() == 2 * in.n(), "us must be empty or n x 2");
  const std::size_t range = in.complicated() ? in.model.triangles.size() / 3 : in.model.vertices;
  for (int c : in.correspondences)
    require(c >= 0 && static_cast<std::size_t>(c) < range, std::string("a correspondence names a ") +
                                                               (in.complicated() ? "triangle" : "vertex") +
                                                               " out of range");
}

}  // namespace

Ht::Ht(HtInput input) : in_(std::move(input)) {
  check_input(in_);
  const HtModel& m = in_.model;
  weights_.start.assign(1, 0);
  for (std::size_t v = 0; v < m.vertices; ++v) {
    for (std::size_t b = 0; b < m.bones; ++b) {
      const double w = m.weights[v * m.bones + b];
      if (w == 0) continue;
      weights_.bone.push_back(static_cast<int>(b));
      weights_.weight.push_back(w);
    }
    weights_.start.push_back(weights_.bone.size());
  }
  std::vector<int> slot_of(m.vertices, -1);
  for (std::size_t i = 0; i < in_.n(); ++i) {
    const int c = in_.correspondences[i];
    for (int k = 0; k < (in_.complicated() ? 3 : 1); ++k) {
      const int v = in_.complicated() ? m.triangles[3 * static_cast<std::size_t>(c) + k] : c;
      if (slot_of[v] < 0) {
        slot_of[v] = static_cast<int>(needed_.size());
        needed_.push_back(v);
      }
      corr_slots_.push_back(slot_of[v]);
    }
  }
  plan();
  abs_.resize(12 * m.bones);
  transforms_.resize(12 * m.bones);
  abs4_.resize(12 * m.bones);
  transforms4_.resize(12 * m.bones);
  local_.resize(3 * needed_.size());
  posed_.resize(3 * needed_.size());
  posed4_.resize(3 * needed_.size() * kHtFingers);
  posed6_.resize(3 * needed_.size());
  rotation_.resize(9);
  err_.resize(3 * in_.n());
  jac_.resize(3 * in_.n() * columns());
}

void Ht::plan() {
  const HtModel& m = in_.model;
  bone_fingers_.resize(m.bones);
  for (std::size_t b = 0; b < m.bones; ++b)
    bone_fingers_[b] =
        own_fingers(b) | (m.parents[b] < 0 ? 0u : bone_fingers_[static_cast<std::size_t>(m.parents[b])]);
  slot_fingers_.assign(needed_.size(), 0);
  for (std::size_t s = 0; s < needed_.size(); ++s) {
    const auto v = static_cast<std::size_t>(needed_[s]);
    for (std::size_t e = weights_.start[v]; e < weights_.start[v + 1]; ++e)
      slot_fingers_[s] |= bone_fingers_[static_cast<std::size_t>(weights_.bone[e])];
  }
  for (int k = 0; k < kHtFingers; ++k) {
    const std::uint32_t bit = 1u << k;
    HtPass& pass = passes_[k];
    std::vector<char> read_bone(m.bones, 0), read_slot(needed_.size(), 0);
    for (std::size_t b = 0; b < m.bones; ++b)
      if ((bone_fingers_[b] & bit) != 0) pass.bones.push_back(static_cast<int>(b));
    for (std::size_t s = 0; s < needed_.size(); ++s) {
      if ((slot_fingers_[s] & bit) == 0) continue;
      pass.slots.push_back(static_cast<int>(s));
      const auto v = static_cast<std::size_t>(needed_[s]);
      for (std::size_t e = weights_.start[v]; e < weights_.start[v + 1]; ++e)
        read_bone[static_cast<std::size_t>(weights_.bone[e])] = 1;
    }
    for (std::size_t b = 0; b < m.bones; ++b)
      if (read_bone[b] && (bone_fingers_[b] & bit) == 0) pass.passive_bones.push_back(static_cast<int>(b));
    const int count = in_.complicated() ? 3 : 1;
    for (std::size_t i = 0; i < in_.n(); ++i) {
      const int* s = &corr_slots_[static_cast<std::size_t>(count) * i];
      bool depends = false;
      for (int c = 0; c < count; ++c)
        depends = depends || (slot_fingers_[static_cast<std::size_t>(s[c])] & bit) != 0;
      for (int c = 0; c < count && depends; ++c) read_slot[static_cast<std::size_t>(s[c])] = 1;
    }
    for (std::size_t s = 0; s < needed_.size(); ++s)
      if (read_slot[s] && (slot_fingers_[s] & bit) == 0) pass.passive_slots.push_back(static_cast<int>(s));
  }
}

const int* Ht::slots(std::size_t i, int& count) const {
  count = in_.complicated() ? 3 : 1;
  return &corr_slots_[static_cast<std::size_t>(count) * i];
}

void Ht::primal() {
  const HtModel& m = in_.model;
  const double* theta = in_.theta.data();
  for (std::size_t b = 0; b < m.bones; ++b) {
    double xzy[3], r[9];
    unsigned posed = 0;
    for (int row = 0; row < 3; ++row) {
      const int t = ht_theta_index(b, row);
      xzy[row] = t < 0 ? 0.0 : theta[t];
      if (t >= 0) posed |= 1u << row;
    }
    if (posed != 0) ht_euler(xzy, posed, r);
    const double* parent = m.parents[b] < 0 ? nullptr : &abs_[12 * static_cast<std::size_t>(m.parents[b])];
    ht_bone(m, b, posed != 0 ? r : nullptr, parent, &abs_[12 * b], &transforms_[12 * b]);
  }
  ht_angle_axis(theta, rotation_.data());
  for (std::size_t s = 0; s < needed_.size(); ++s) {
    ht_skin(m, weights_, static_cast<std::size_t>(needed_[s]), transforms_.data(), &local_[3 * s]);
    ht_global(rotation_.data(), theta + 3, &local_[3 * s], &posed_[3 * s]);
  }
  int count = 0;
  for (std::size_t i = 0; i < in_.n(); ++i) {
    const int* s = slots(i, count);
    const double* point = &in_.points[3 * i];
    if (count == 1)
      ht_residual(point, &posed_[3 * s[0]], &err_[3 * i]);
    else
      ht_residual(point, &in_.us[2 * i], &posed_[3 * s[0]], &posed_[3 * s[1]], &posed_[3 * s[2]],
                  &err_[3 * i]);
  }
}

const std::vector<double>& Ht::objective() {
  primal();
  return err_;
}

namespace {

/// Lane l of err[r] into row[r * columns + first + l] (row: the first of 3 rows).
template <class D>
void store(const D* err, std::size_t columns, std::size_t first, double* row) {
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t l = 0; l < static_cast<std::size_t>(D::lanes); ++l)
      row[r * columns + first + l] = err[r].tangent(l);
}

/// The residual of one correspondence on the posed vertices `posed` (3 per
/// slot), simple (1 slot) or complicated (3 slots and u).
template <class Out, class U, class V>
void residual(const double* point, const U* u, const int* s, int count, const V* posed, Out* err) {
  if (count == 1)
    ht_residual(point, &posed[3 * s[0]], err);
  else
    ht_residual(point, u, &posed[3 * s[0]], &posed[3 * s[1]], &posed[3 * s[2]], err);
}

}  // namespace

void Ht::global_pass() {
  D6 pose[kHtGlobal], r[9];
  for (std::size_t l = 0; l < kHtGlobal; ++l) pose[l] = D6::variable(in_.theta[l], l);
  ht_angle_axis(pose, r);
  for (std::size_t s = 0; s < needed_.size(); ++s) ht_global(r, pose + 3, &local_[3 * s], &posed6_[3 * s]);
}

void Ht::finger_pass(int k) {
  const HtModel& m = in_.model;
  const HtPass& pass = passes_[k];
  const int seeded = kHtGlobal + 4 * k;  // theta[seeded + l] is lane l
  for (int bone : pass.passive_bones) {
    const auto b = static_cast<std::size_t>(bone);
    for (std::size_t e = 0; e < 12; ++e) transforms4_[12 * b + e] = D4(transforms_[12 * b + e]);
  }
  for (int bone : pass.bones) {
    const auto b = static_cast<std::size_t>(bone);
    D4 xzy[3], r[9];
    unsigned posed = 0;
    for (int row = 0; row < 3; ++row) {
      const int t = ht_theta_index(b, row);
      const double value = t < 0 ? 0.0 : in_.theta[static_cast<std::size_t>(t)];
      xzy[row] = t >= seeded && t < seeded + 4 ? D4::variable(value, static_cast<std::size_t>(t - seeded))
                                               : D4(value);
      if (t >= 0) posed |= 1u << row;
    }
    if (posed != 0) ht_euler(xzy, posed, r);
    const D4* rotation = posed != 0 ? r : nullptr;
    const auto p = static_cast<std::size_t>(m.parents[b]);
    if (m.parents[b] >= 0 && (bone_fingers_[p] & (1u << k)) != 0)
      ht_bone(m, b, rotation, &abs4_[12 * p], &abs4_[12 * b], &transforms4_[12 * b]);
    else  // a root, or a parent this pass leaves passive
      ht_bone(m, b, rotation, m.parents[b] < 0 ? nullptr : &abs_[12 * p], &abs4_[12 * b],
              &transforms4_[12 * b]);
  }
  D4* posed =
      posed4_.data() + 3 * needed_.size() * static_cast<std::size_t>(k);  // empty for no correspondences
  for (int slot : pass.passive_slots) {
    const auto s = static_cast<std::size_t>(slot);
    for (std::size_t e = 0; e < 3; ++e) posed[3 * s + e] = D4(posed_[3 * s + e]);
  }
  for (int slot : pass.slots) {
    const auto s = static_cast<std::size_t>(slot);
    D4 local[3];
    ht_skin(m, weights_, static_cast<std::size_t>(needed_[s]), transforms4_.data(), local);
    ht_global(rotation_.data(), in_.theta.data() + 3, local, &posed[3 * s]);
  }
}

void Ht::residual_rows() {
  const std::size_t columns = this->columns(), first = in_.complicated() ? 2 : 0;
  int count = 0;
  for (std::size_t i = 0; i < in_.n(); ++i) {
    const int* s = slots(i, count);
    const double* point = &in_.points[3 * i];
    const double* u = in_.complicated() ? &in_.us[2 * i] : nullptr;
    double* row = &jac_[3 * i * columns];
    if (count == 3) {  // its own u0, u1: the first two columns
      const D2 u2[2] = {D2::variable(u[0], 0), D2::variable(u[1], 1)};
      D2 err[3];
      residual(point, u2, s, count, posed_.data(), err);
      store(err, columns, 0, row);
    }
    D6 err6[3];
    residual(point, u, s, count, posed6_.data(), err6);
    store(err6, columns, first, row);
    std::uint32_t depends = 0;
    for (int c = 0; c < count; ++c) depends |= slot_fingers_[static_cast<std::size_t>(s[c])];
    for (int k = 0; k < kHtFingers; ++k) {
      const std::size_t at = first + kHtGlobal + 4 * static_cast<std::size_t>(k);
      if ((depends & (1u << k)) == 0) {  // a structural zero
        for (std::size_t r = 0; r < 3; ++r) std::fill_n(&row[r * columns + at], 4, 0.0);
        continue;
      }
      D4 err4[3];
      residual(point, u, s, count, &posed4_[3 * needed_.size() * static_cast<std::size_t>(k)], err4);
      store(err4, columns, at, row);
    }
  }
}

const std::vector<double>& Ht::jacobian() {
  primal();
  global_pass();
  for (int k = 0; k < kHtFingers; ++k) finger_pass(k);
  residual_rows();
  return jac_;
}

}  // namespace nabla::gradbench
