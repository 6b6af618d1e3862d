"""Critical points, convexity and pictures from Python.

``critical_points(f, box)`` and ``plot(f, box, ...)`` take an expression (or
a string), whose work then happens in compiled code, or a Python function of
a 1-D array (traced with nabla's functions). A box is a list of (lo, hi)
pairs, one per variable (alphabetical order for an expression), or one
(lo, hi), in a list or not, for every variable. ``plot``
returns an ``SVG`` (a str that Jupyter shows as a picture).
"""

import warnings

import numpy as np

from . import _checks, _nabla, _symbolic, _transforms


class SVG(str):
    """SVG text; Jupyter renders it."""

    def _repr_svg_(self):
        return str(self)

    def save(self, path):
        with open(path, "w", encoding="utf-8") as out:
            out.write(self)


def _box(box, n, default=(-3.0, 3.0)):
    box = [default] * n if box is None else list(box)  # (a generator of pairs too)
    if len(box) == 2 and all(np.ndim(b) == 0 for b in box):
        box = [box]  # one (lo, hi), not in a list: for every variable
    if any(np.ndim(b) == 0 for b in box):
        raise ValueError(f"a box is (lo, hi) or a list of (lo, hi) pairs, not {box!r}")
    box = [tuple(map(float, b)) for b in box]
    for b in box:
        if len(b) != 2:
            raise ValueError(f"a box interval is a pair (lo, hi), not {b}")
    if len(box) == 1 and n > 1:
        box = box * n
    if len(box) != n:
        raise ValueError(f"the box has {len(box)} intervals for {n} variables")
    return np.array([b[0] for b in box]), np.array([b[1] for b in box])


def _callables(f):
    return (lambda x: float(f(np.asarray(x)))), _transforms.grad(f), _transforms.hessian(f)


def critical_points(f, box=None, *, n=None, vars=None, starts=400):
    """Critical points of f in the box, each with .x, .f, .kind ("minimum",
    "maximum", "saddle", "inconclusive"), .eigenvalues of the Hessian and
    .set_extent (0 for an isolated point; else how far the connected set of
    critical points it stands for, such as a circle of minima, reaches) and
    .flat (f exactly flat around it as computed: a plateau, or where f or
    its slope underflowed; such a point is "inconclusive").
    The kind comes from the Hessian's eigenvalues, and where the Hessian is
    singular from f's values on small spheres around the point (a numeric
    verdict; "inconclusive" when they are within rounding). A polynomial in
    one variable gets every real one (companion matrix).

    An expression's variables are in alphabetical order, or in the order of
    vars (which names each of them once): the box's dimensions and each
    point's x follow it. For a Python function the box gives the number of
    variables, or n does; with n, a single (lo, hi) stands for every
    variable, as it does for an expression.

    starts: how many Newton runs start spread over the box. When the points
    found are half as many or more, others may lie between the starts: a
    RuntimeWarning says so (400 starts find 977 of the 1301 critical points
    of sin(4x) sin(4y) over -10:10, 4000 all)."""
    starts = _checks.integer(starts, "critical_points", "starts")
    if not 1 <= starts <= 1_000_000:
        raise ValueError(f"critical_points: starts must be between 1 and 1000000, not {starts}")
    if isinstance(f, (_nabla.Expr, str)):
        e = _symbolic._expr(f)
        names = _symbolic._names(vars, e)
        lo, hi = _box(box, len(names), (-10.0, 10.0))
        return _dense_warned(_nabla.critical_points_expr(e, names, lo, hi, starts), starts)
    if vars is not None:
        raise ValueError("critical_points: vars orders an expression's variables; a Python function takes x as "
                         "one array")
    if box is None and n is None:
        raise ValueError("critical_points of a Python function needs the box (one (lo, hi) per variable)")
    if n is not None:
        n = _checks.integer(n, "critical_points", "n")
        if n < 1:
            raise ValueError(f"critical_points: n, the number of variables, must be at least 1, not {n}")
    lo, hi = _box(box, n if n is not None else len(box), (-10.0, 10.0))
    return _dense_warned(_nabla.critical_points_callables(*_callables(f), lo, hi, starts), starts)


def _dense_warned(points, starts):
    """The points, with a warning when they are as dense as the starts."""
    if 2 * len(points) >= starts:
        warnings.warn(f"critical_points: {len(points)} points from {starts} starts: where they lie this densely "
                      f"others may lie between the starts, unfound; starts={min(10 * starts, 1_000_000)} looks "
                      "closer", RuntimeWarning, stacklevel=3)
    return points


def convexity(f, box, samples=256):
    """(verdict, smallest Hessian eigenvalue seen, witness point, samples)
    from the Hessian sampled over the box."""
    samples = _checks.integer(samples, "convexity", "samples")
    if isinstance(f, (_nabla.Expr, str)):
        compiled = _symbolic.Compiled(f)
        lo, hi = _box(box, len(compiled.vars))
        return _nabla.convexity_program(compiled.program, lo, hi, samples)
    lo, hi = _box(box, len(box))
    return _nabla.convexity_callables(*_callables(f), lo, hi, samples)


def plot(f, box=None, *, gradient=False, paths=None, x0=None, critical=False, title=None, labels=None,
         width=860, height=640, **minimize_options):
    """The contours of f: R^2 -> R over the box, with gradient arrows
    (gradient=True), critical points (critical=True) and optimizer paths:
    paths is a list of method names (run from x0 with minimize_options), or
    of (name, points) pairs."""
    from ._optimize import _method_name, _reads, _unread, minimize
    if isinstance(f, (_nabla.Expr, str)):
        compiled = _symbolic.Compiled(f)
        if len(compiled.vars) != 2:
            raise ValueError(f"plot draws functions of two variables; this one has {compiled.vars}")
        value, grad, names = compiled.program, None, compiled.vars
        title = title if title is not None else str(_symbolic._expr(f))
    else:
        value, grad, names = (lambda x: float(f(np.asarray(x)))), _transforms.grad(f), ["x", "y"]
        title = title or ""
    lo, hi = _box(box, 2)
    if not isinstance(f, (_nabla.Expr, str)):
        try:
            value(0.5 * (lo + hi))
        except IndexError:
            raise ValueError("plot draws functions of two variables; this one reads x[2] or beyond") from None
    drawn = []
    # Each path gets the options its method reads (lr for gd, not lbfgs); an
    # option that no path reads is refused, as minimize refuses it.
    methods = [_method_name(p, "plot") for p in paths or [] if isinstance(p, str)]
    if minimize_options and not methods:
        raise TypeError(f"plot: {', '.join(minimize_options)} would have no effect: minimize options are for "
                        "paths named by method (paths=['gd', ...] with x0)")
    unread = _unread(methods, minimize_options) if methods else None
    if unread is not None:
        raise ValueError(f"plot: {unread[0]} has no effect on the paths {methods}: {unread[1]}")
    for p in paths or []:
        if isinstance(p, str):
            if x0 is None:
                raise ValueError("plot: paths by method name need x0")
            name = _method_name(p, "plot")
            read = {key: value for key, value in minimize_options.items() if _reads(name, key)}
            r = minimize(f, x0, method=p, trace=True, **read)
            drawn.append((p, np.array([it["x"] for it in r.trace])))
        else:
            drawn.append((str(p[0]), _checks.reals(p[1], "plot", f"path {str(p[0])!r}").reshape(-1, 2)))
    points = critical_points(f, list(zip(lo, hi))) if critical else []
    x_label, y_label = labels or names
    width, height = _checks.integer(width, "plot", "width"), _checks.integer(height, "plot", "height")
    return SVG(_nabla.contour_plot(value, grad, lo, hi, drawn, points, gradient, title, x_label, y_label,
                                   width, height))


def loss_plot(series, title="", log_y=True, x_label="iteration", y_label="loss"):
    """Loss curves: series is {name: values} or a list of (name, values)."""
    items = series.items() if isinstance(series, dict) else series
    return SVG(_nabla.loss_plot([(str(k), [float(v) for v in vals]) for k, vals in items], title, log_y,
                                x_label, y_label))
