// Armijo backtracking and the Moré–Thuente strong Wolfe line search (see
// line_search.hpp). Notation of the paper: [stx, sty] is the interval of
// uncertainty, stx the end with the least (modified) value, stp the trial.
#include "nabla/optim/line_search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nabla::optim {
namespace {

/// One end of the interval (or the trial): step, value, derivative.
struct End {
  double t, f, d;
};

/// The minimizer of the cubic interpolating (a.t, a.f, a.d) and (b.t, b.f, b.d)
/// (the root branch is the local minimizer; a negative radicand counts as 0).
double cubic_minimizer(const End& a, const End& b) {
  const double theta = 3 * (a.f - b.f) / (b.t - a.t) + a.d + b.d;
  const double s = std::max({std::abs(theta), std::abs(a.d), std::abs(b.d)});
  if (s == 0) return a.t;
  const double radicand = (theta / s) * (theta / s) - (a.d / s) * (b.d / s);
  double gamma = s * std::sqrt(std::max(0.0, radicand));
  if (b.t < a.t) gamma = -gamma;
  const double p = (gamma - a.d) + theta;
  const double q = ((gamma - a.d) + gamma) + b.d;
  if (q == 0) return a.t;
  return a.t + (p / q) * (b.t - a.t);
}

/// The minimizer of the quadratic with value and slope at a, value at b.
double quadratic_minimizer(const End& a, const End& b) {
  const double slope = (a.f - b.f) / (b.t - a.t);
  return a.t + (a.d / (slope + a.d)) / 2 * (b.t - a.t);
}

/// The minimizer of the quadratic with slopes at a and b (the secant step).
double secant_minimizer(const End& a, const End& b) { return b.t + (b.d / (b.d - a.d)) * (a.t - b.t); }

/// The trial-step selection and interval update of Moré–Thuente (their
/// four cases). x: best end, y: other end, p: the trial just evaluated.
double next_trial(End& x, End& y, const End& p, bool& bracketed, double stmin, double stmax) {
  const double sgnd = p.d * (x.d / std::abs(x.d));
  double next;
  if (p.f > x.f) {  // case 1: higher value; the minimum is bracketed
    const double c = cubic_minimizer(x, p);
    const double q = quadratic_minimizer(x, p);
    next = std::abs(c - x.t) < std::abs(q - x.t) ? c : c + (q - c) / 2;
    bracketed = true;
  } else if (sgnd < 0) {  // case 2: lower value, derivatives of opposite sign
    const double c = cubic_minimizer(p, x);
    const double s = secant_minimizer(x, p);
    next = std::abs(c - p.t) >= std::abs(s - p.t) ? c : s;
    bracketed = true;
  } else if (std::abs(p.d) < std::abs(x.d)) {  // case 3: lower value, same sign, smaller slope
    const double theta = 3 * (x.f - p.f) / (p.t - x.t) + x.d + p.d;
    const double s = std::max({std::abs(theta), std::abs(x.d), std::abs(p.d)});
    double gamma = s * std::sqrt(std::max(0.0, (theta / s) * (theta / s) - (x.d / s) * (p.d / s)));
    if (p.t > x.t) gamma = -gamma;
    const double r = ((gamma - p.d) + theta) / ((gamma + (x.d - p.d)) + gamma);
    double c;
    if (r < 0 && gamma != 0)
      c = p.t + r * (x.t - p.t);
    else
      c = p.t > x.t ? stmax : stmin;
    const double sec = secant_minimizer(x, p);
    if (bracketed) {
      next = std::abs(c - p.t) < std::abs(sec - p.t) ? c : sec;
      const double limit = p.t + 0.66 * (y.t - p.t);
      next = p.t > x.t ? std::min(limit, next) : std::max(limit, next);
    } else {
      next = std::abs(c - p.t) > std::abs(sec - p.t) ? c : sec;
      next = std::clamp(next, stmin, stmax);
    }
  } else if (bracketed) {  // case 4: lower value, same sign, no smaller slope
    next = cubic_minimizer(p, y);
  } else {
    next = p.t > x.t ? stmax : stmin;
  }
  if (p.f > x.f) {
    y = p;
  } else {
    if (sgnd < 0) y = x;
    x = p;
  }
  return next;
}

/// The state of a Moré–Thuente search between trials.
struct Search {
  End x{}, y{};  // best end and other end of the interval
  bool bracketed = false, stage_one = true;
  double stmin = 0, stmax = 0;  // where the next trial may go
  double width = 0, width_before = 0;
  double alpha_max = 0;  // lowered when a trial gives a non-finite value
};

/// Whether rounding errors or a step at a limit leave no progress to make.
bool stalled(const Search& s, const End& p, double ftest, double slope, const LineSearchParameters& prm) {
  return (s.bracketed && (p.t <= s.stmin || p.t >= s.stmax)) ||
         (s.bracketed && s.stmax - s.stmin <= 1e-15 * s.stmax) ||
         (p.t >= s.alpha_max && p.f <= ftest && p.d <= slope) ||
         (p.t <= prm.alpha_min && (p.f > ftest || p.d >= slope));
}

/// The next trial from the trial p just evaluated: on psi(t) = phi(t) - phi0 -
/// t slope while in stage one and p is no better than x yet above the
/// sufficient-decrease line, on phi otherwise. Updates the interval ends.
double choose_trial(Search& s, const End& p, double ftest, double slope) {
  if (!(s.stage_one && p.f <= s.x.f && p.f > ftest))
    return next_trial(s.x, s.y, p, s.bracketed, s.stmin, s.stmax);
  const auto to_psi = [slope](const End& e) { return End{e.t, e.f - e.t * slope, e.d - slope}; };
  const auto to_phi = [slope](const End& e) { return End{e.t, e.f + e.t * slope, e.d + slope}; };
  End xm = to_psi(s.x), ym = to_psi(s.y);
  const double next = next_trial(xm, ym, to_psi(p), s.bracketed, s.stmin, s.stmax);
  s.x = to_phi(xm);
  s.y = to_phi(ym);
  return next;
}

/// Safeguards the trial: a bisection when the interval does not shrink enough,
/// the new limits [stmin, stmax], the global limits; returns the trial.
double safeguard(Search& s, double stp, const LineSearchParameters& prm) {
  if (s.bracketed) {
    if (std::abs(s.y.t - s.x.t) >= 0.66 * s.width_before) stp = s.x.t + 0.5 * (s.y.t - s.x.t);
    s.width_before = s.width;
    s.width = std::abs(s.y.t - s.x.t);
    s.stmin = std::min(s.x.t, s.y.t);
    s.stmax = std::max(s.x.t, s.y.t);
  } else {
    s.stmin = stp + 1.1 * (stp - s.x.t);
    s.stmax = stp + 4 * (stp - s.x.t);
  }
  stp = std::clamp(stp, prm.alpha_min, s.alpha_max);
  if (s.bracketed && (stp <= s.stmin || stp >= s.stmax)) stp = s.x.t;
  return stp;
}

/// Whether the interval is narrow enough (xtol of MINPACK-2) to accept the
/// best end x, when that satisfies sufficient decrease.
bool accept_best_end(const Search& s, double phi0, double slope, const LineSearchParameters& prm) {
  return prm.xtol > 0 && s.bracketed && s.stmax - s.stmin <= prm.xtol * s.stmax && s.x.t > 0 &&
         s.x.f <= phi0 + s.x.t * slope;
}

}  // namespace

LineSearchResult more_thuente(const LineFunction& phi, double phi0, double dphi0, double alpha0,
                              const LineSearchParameters& prm) {
  LineSearchResult out;
  out.phi = phi0;
  out.dphi = dphi0;
  if (!(dphi0 < 0) || !(alpha0 > 0)) return out;
  const double slope = prm.c1 * dphi0;  // of the sufficient-decrease line
  Search s;
  s.x = s.y = End{0, phi0, dphi0};
  s.alpha_max = prm.alpha_max;
  s.width = prm.alpha_max - prm.alpha_min;
  s.width_before = 2 * s.width;
  double stp = std::clamp(alpha0, prm.alpha_min, s.alpha_max);
  s.stmax = stp + 4 * stp;  // of the first trial as clamped: extrapolation starts beyond it
  while (out.evaluations < prm.max_evaluations) {
    double f, d;
    if (!phi(stp, f, d)) {
      out.status = LineSearchStatus::OutOfBudget;
      break;
    }
    ++out.evaluations;
    if (!std::isfinite(f) || !std::isfinite(d)) {  // too far: shrink toward the best end
      s.alpha_max = stp;
      s.stmax = std::min(s.stmax, stp);
      stp = s.x.t + 0.5 * (stp - s.x.t);
      if (stp <= prm.alpha_min || stp == s.x.t) break;
      continue;
    }
    const double ftest = phi0 + stp * slope;
    if (f <= ftest && std::abs(d) <= prm.c2 * -dphi0) {
      out.status = LineSearchStatus::Converged;
      out.alpha = stp, out.phi = f, out.dphi = d;
      return out;
    }
    if (stp >= prm.alpha_max && f <= ftest && d <= slope) {
      // At the caller's step limit (the box's edge for L-BFGS-B), with
      // sufficient decrease and phi still falling: the best step allowed
      // (MINPACK-2 ends with its "stp = stpmax" warning, which L-BFGS-B takes).
      out.status = LineSearchStatus::Converged;
      out.alpha = stp, out.phi = f, out.dphi = d;
      return out;
    }
    if (s.stage_one && f <= ftest && d >= std::min(prm.c1, prm.c2) * dphi0) s.stage_one = false;
    const End p{stp, f, d};
    if (stalled(s, p, ftest, slope, prm)) break;
    stp = safeguard(s, choose_trial(s, p, ftest, slope), prm);
    if (accept_best_end(s, phi0, slope, prm)) {
      out.status = LineSearchStatus::Converged;
      out.alpha = s.x.t, out.phi = s.x.f, out.dphi = s.x.d;
      return out;
    }
    if (stp == s.x.t && s.x.t == 0) break;
  }
  if (out.status != LineSearchStatus::OutOfBudget) out.status = LineSearchStatus::Failed;
  out.alpha = s.x.t, out.phi = s.x.f, out.dphi = s.x.d;
  return out;
}

LineSearchResult armijo(const LineFunction& phi, double phi0, double dphi0, double alpha0,
                        const LineSearchParameters& prm) {
  LineSearchResult out;
  out.phi = phi0;
  out.dphi = dphi0;
  if (!(dphi0 < 0) || !(alpha0 > 0)) return out;
  double alpha = alpha0;
  while (out.evaluations < prm.max_evaluations && alpha >= prm.alpha_min) {
    double f, d;
    if (!phi(alpha, f, d)) {
      out.status = LineSearchStatus::OutOfBudget;
      return out;
    }
    ++out.evaluations;
    // f < phi0 too: a step whose decrease is below f's rounding (a first
    // trial of 1/|g| where f is 1e60) satisfies the test with equality.
    if (std::isfinite(f) && std::isfinite(d) && f <= phi0 + prm.c1 * alpha * dphi0 && f < phi0) {
      out.status = LineSearchStatus::Converged;
      out.alpha = alpha, out.phi = f, out.dphi = d;
      return out;
    }
    // Minimizer of the quadratic through phi0, dphi0 and phi(alpha), kept in [0.1, 0.5] alpha.
    double next = 0.5 * alpha;
    if (std::isfinite(f)) {
      const double q = -dphi0 * alpha * alpha / (2 * (f - phi0 - dphi0 * alpha));
      if (std::isfinite(q)) next = std::clamp(q, 0.1 * alpha, 0.5 * alpha);
    }
    alpha = next;
  }
  out.status = LineSearchStatus::Failed;
  return out;
}

}  // namespace nabla::optim
