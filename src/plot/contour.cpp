// Marching squares and the choice of levels. A crossing lies on a grid edge,
// named by its lower-left grid point and direction, so the two cells sharing
// an edge meet at the same point and their segments join into polylines.
#include "nabla/plot/contour.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "nabla/core/errors.hpp"
#include "nabla/plot/ticks.hpp"

namespace nabla::plot {

Samples sample(const std::function<double(const Eigen::Vector2d&)>& f, double x0, double x1, double y0,
               double y1, int nx, int ny) {
  if (nx < 2 || ny < 2 || nx > 4096 || ny > 4096)
    throw DomainError("plot: a sampling grid needs 2 to 4096 points per side");
  Samples s{x0, x1, y0, y1, nx, ny, {}};
  s.values.resize(static_cast<std::size_t>(nx) * ny);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) s.values[static_cast<std::size_t>(j) * nx + i] = f({s.x(i), s.y(j)});
  return s;
}

namespace {

/// Edges of a cell: bottom, right, top, left.
enum Edge { kBottom, kRight, kTop, kLeft };

/// The segments of each case (bit 1: lower-left corner above the level, 2:
/// lower-right, 4: upper-right, 8: upper-left); cases 5 and 10 are the saddles,
/// listed here for a centre below the level (a, c isolated in 5; b, d in 10).
constexpr std::array<std::array<int, 4>, 16> kSegments{{{-1, -1, -1, -1},
                                                        {kLeft, kBottom, -1, -1},
                                                        {kBottom, kRight, -1, -1},
                                                        {kLeft, kRight, -1, -1},
                                                        {kRight, kTop, -1, -1},
                                                        {kLeft, kBottom, kRight, kTop},
                                                        {kBottom, kTop, -1, -1},
                                                        {kLeft, kTop, -1, -1},
                                                        {kLeft, kTop, -1, -1},
                                                        {kBottom, kTop, -1, -1},
                                                        {kBottom, kRight, kLeft, kTop},
                                                        {kRight, kTop, -1, -1},
                                                        {kLeft, kRight, -1, -1},
                                                        {kBottom, kRight, -1, -1},
                                                        {kLeft, kBottom, -1, -1},
                                                        {-1, -1, -1, -1}}};

struct Tracer {
  const Samples& s;
  double level;
  std::unordered_map<long long, Eigen::Vector2d> points;       // edge id -> crossing
  std::unordered_map<long long, std::array<int, 2>> incident;  // edge id -> segments
  std::vector<std::array<long long, 2>> segments;

  /// The id of a cell edge: 2 (j nx + i) for the horizontal edge from (i, j),
  /// + 1 for the vertical one.
  long long edge_id(int i, int j, int edge) const {
    const auto at = [&](int a, int b) { return 2 * (static_cast<long long>(b) * s.nx + a); };
    switch (edge) {
      case kBottom:
        return at(i, j);
      case kTop:
        return at(i, j + 1);
      case kLeft:
        return at(i, j) + 1;
      default:
        return at(i + 1, j) + 1;
    }
  }

  Eigen::Vector2d crossing(int i, int j, int edge) const {
    const bool horizontal = edge == kBottom || edge == kTop;
    const int i0 = edge == kRight ? i + 1 : i, j0 = edge == kTop ? j + 1 : j;
    const int i1 = horizontal ? i0 + 1 : i0, j1 = horizontal ? j0 : j0 + 1;
    const double a = s.value(i0, j0), b = s.value(i1, j1);
    const double t = std::clamp((level - a) / (b - a), 0.0, 1.0);
    return {s.x(i0) + t * (s.x(i1) - s.x(i0)), s.y(j0) + t * (s.y(j1) - s.y(j0))};
  }

  void add(int i, int j, int e1, int e2) {
    const std::array<long long, 2> ids{edge_id(i, j, e1), edge_id(i, j, e2)};
    points.emplace(ids[0], crossing(i, j, e1));
    points.emplace(ids[1], crossing(i, j, e2));
    const int index = static_cast<int>(segments.size());
    segments.push_back(ids);
    for (long long id : ids) {
      auto [it, fresh] = incident.try_emplace(id, std::array<int, 2>{-1, -1});
      it->second[it->second[0] < 0 ? 0 : 1] = index;
    }
  }

  void cell(int i, int j) {
    const double v[4] = {s.value(i, j), s.value(i + 1, j), s.value(i + 1, j + 1), s.value(i, j + 1)};
    int index = 0;
    for (int k = 0; k < 4; ++k) {
      if (!std::isfinite(v[k])) return;
      if (v[k] >= level) index |= 1 << k;
    }
    std::array<int, 4> edges = kSegments[static_cast<std::size_t>(index)];
    const bool centre_above = (v[0] + v[1] + v[2] + v[3]) / 4 >= level;
    if ((index == 5 || index == 10) && centre_above) edges = kSegments[static_cast<std::size_t>(15 - index)];
    for (int k = 0; k < 4 && edges[static_cast<std::size_t>(k)] >= 0; k += 2)
      add(i, j, edges[static_cast<std::size_t>(k)], edges[static_cast<std::size_t>(k) + 1]);
  }

  /// Follows segments from `start` through shared edges until none is left.
  std::vector<Eigen::Vector2d> walk(long long start, std::vector<bool>& used) {
    std::vector<Eigen::Vector2d> line{points.at(start)};
    long long at = start;
    for (;;) {
      int next = -1;
      for (int k : incident.at(at))
        if (k >= 0 && !used[static_cast<std::size_t>(k)]) next = k;
      if (next < 0) break;
      used[static_cast<std::size_t>(next)] = true;
      const auto& ids = segments[static_cast<std::size_t>(next)];
      at = ids[0] == at ? ids[1] : ids[0];
      line.push_back(points.at(at));
    }
    return line;
  }
};

}  // namespace

std::vector<std::vector<Eigen::Vector2d>> contour_lines(const Samples& samples, double level) {
  std::vector<std::vector<Eigen::Vector2d>> lines;
  if (samples.nx < 2 || samples.ny < 2 || !std::isfinite(level)) return lines;
  Tracer tracer{samples, level, {}, {}, {}};
  for (int j = 0; j + 1 < samples.ny; ++j)
    for (int i = 0; i + 1 < samples.nx; ++i) tracer.cell(i, j);
  std::vector<bool> used(tracer.segments.size(), false);
  // open lines first, from their ends (edges with one segment); then loops
  for (const auto& [id, cells] : tracer.incident)
    if (cells[1] < 0 && !used[static_cast<std::size_t>(cells[0])]) lines.push_back(tracer.walk(id, used));
  for (std::size_t k = 0; k < tracer.segments.size(); ++k)
    if (!used[k]) lines.push_back(tracer.walk(tracer.segments[k][0], used));
  return lines;
}

std::vector<double> automatic_levels(const Samples& samples, int count, LevelSpacing spacing) {
  std::vector<double> finite;
  for (double v : samples.values)
    if (std::isfinite(v)) finite.push_back(v);
  std::vector<double> levels;
  if (finite.empty() || count < 1) return levels;
  std::sort(finite.begin(), finite.end());
  const double lo = finite.front(), hi = finite.back();
  if (!(lo < hi)) return levels;
  if (spacing == LevelSpacing::Nice) {
    for (double t : nice_ticks(lo, hi, count + 2))
      if (t > lo && t < hi) levels.push_back(t);
    return levels;
  }
  for (int k = 0; k < count; ++k) {
    const double q = (k + 0.5) / count * static_cast<double>(finite.size() - 1);
    const double level = finite[static_cast<std::size_t>(std::lround(q))];
    if (level > lo && level < hi && (levels.empty() || level > levels.back())) levels.push_back(level);
  }
  return levels;
}

}  // namespace nabla::plot
