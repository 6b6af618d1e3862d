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

}  // namespace

LineSearchResult more_thuente(const LineFunction& phi, double phi0, double dphi0, double alpha0,
                              const LineSearchParameters& prm) {
  LineSearchResult out;
  out.phi = phi0;
  out.dphi = dphi0;
  if (!(dphi0 < 0) || !(alpha0 > 0)) return out;
  const double slope = prm.c1 * dphi0;  // of the sufficient-decrease line
  double alpha_max = prm.alpha_max;     // lowered when a trial gives a non-finite value
  bool bracketed = false, stage_one = true;
  End x{0, phi0, dphi0}, y{0, phi0, dphi0};
  double width = alpha_max - prm.alpha_min, width_before = 2 * width;
  double stmin = 0, stmax = alpha0 + 4 * alpha0;
  double stp = std::clamp(alpha0, prm.alpha_min, alpha_max);
  while (out.evaluations < prm.max_evaluations) {
    double f, d;
    if (!phi(stp, f, d)) {
      out.status = LineSearchStatus::OutOfBudget;
      break;
    }
    ++out.evaluations;
    if (!std::isfinite(f) || !std::isfinite(d)) {  // too far: shrink toward the best end
      alpha_max = stp;
      stmax = std::min(stmax, stp);
      stp = x.t + 0.5 * (stp - x.t);
      if (stp <= prm.alpha_min || stp == x.t) break;
      continue;
    }
    const double ftest = phi0 + stp * slope;
    if (f <= ftest && std::abs(d) <= prm.c2 * -dphi0) {
      out.status = LineSearchStatus::Converged;
      out.alpha = stp, out.phi = f, out.dphi = d;
      return out;
    }
    if (stage_one && f <= ftest && d >= std::min(prm.c1, prm.c2) * dphi0) stage_one = false;
    // Rounding errors, or the step is at a limit: stop with the best point.
    if ((bracketed && (stp <= stmin || stp >= stmax)) || (bracketed && stmax - stmin <= 1e-15 * stmax) ||
        (stp >= alpha_max && f <= ftest && d <= slope) || (stp <= prm.alpha_min && (f > ftest || d >= slope)))
      break;
    End p{stp, f, d};
    if (stage_one && f <= x.f && f > ftest) {  // work on psi(t) = phi(t) - phi0 - t slope
      End xm{x.t, x.f - x.t * slope, x.d - slope}, ym{y.t, y.f - y.t * slope, y.d - slope};
      End pm{p.t, p.f - p.t * slope, p.d - slope};
      stp = next_trial(xm, ym, pm, bracketed, stmin, stmax);
      x = {xm.t, xm.f + xm.t * slope, xm.d + slope};
      y = {ym.t, ym.f + ym.t * slope, ym.d + slope};
    } else {
      stp = next_trial(x, y, p, bracketed, stmin, stmax);
    }
    if (bracketed) {  // force a sufficient shrink of the interval, else bisect
      if (std::abs(y.t - x.t) >= 0.66 * width_before) stp = x.t + 0.5 * (y.t - x.t);
      width_before = width;
      width = std::abs(y.t - x.t);
      stmin = std::min(x.t, y.t);
      stmax = std::max(x.t, y.t);
    } else {
      stmin = stp + 1.1 * (stp - x.t);
      stmax = stp + 4 * (stp - x.t);
    }
    stp = std::clamp(stp, prm.alpha_min, alpha_max);
    if (bracketed && (stp <= stmin || stp >= stmax)) stp = x.t;
    if (stp == x.t && x.t == 0) break;
  }
  if (out.status != LineSearchStatus::OutOfBudget) out.status = LineSearchStatus::Failed;
  out.alpha = x.t, out.phi = x.f, out.dphi = x.d;
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
    if (std::isfinite(f) && std::isfinite(d) && f <= phi0 + prm.c1 * alpha * dphi0) {
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
