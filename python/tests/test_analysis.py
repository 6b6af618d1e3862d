"""Critical points, convexity and pictures from Python: the seeds'
answers, and SVG that parses."""

import warnings
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import nabla


def kinds(points):
    return [(p.kind, tuple(np.round(p.x, 9))) for p in points]


def test_seed_polynomial():
    points = nabla.critical_points("x^4 - 4*x^3 + 4*x^2")
    assert kinds(points) == [("minimum", (0.0,)), ("maximum", (1.0,)), ("minimum", (2.0,))]


def test_seed_saddle_by_expression_and_by_function():
    expected = [("saddle", (-1.0, 0.0)), ("minimum", (1.0, 0.0))]
    assert kinds(nabla.critical_points("x^3 - 3*x + y^2", [(-3, 3), (-3, 3)])) == expected
    f = lambda v: v[0] ** 3 - 3 * v[0] + v[1] ** 2
    assert kinds(nabla.critical_points(f, [(-3, 3), (-3, 3)])) == expected


def test_vars_order_an_expressions_box_and_points():
    # (x, y) = (1, -1) first in (y, x) order; the box's dimensions follow it
    f = "(x^2 - 1)^2 + (x + y)^2"
    by_y_x = nabla.critical_points(f, [(-2, 2), (-2, 2)], vars="y x")
    assert kinds(by_y_x) == [("minimum", (-1.0, 1.0)), ("saddle", (0.0, 0.0)), ("minimum", (1.0, -1.0))]
    (p,) = nabla.critical_points("(x - 1)^2 + 3*(y + 2)^2", [(-5, -1), (0, 3)], vars=["y", "x"])
    assert kinds([p]) == [("minimum", (-2.0, 1.0))]
    with pytest.raises(ValueError, match="exactly once"):
        nabla.critical_points(f, [(-2, 2)], vars=["x"])
    with pytest.raises(ValueError, match="more than once"):
        nabla.critical_points(f, [(-2, 2)], vars="x x")
    with pytest.raises(ValueError, match="expression's variables"):
        nabla.critical_points(lambda v: v[0] ** 2, [(-1, 1)], vars=["x"])


def test_seed_degenerate_minimum():
    # the Hessian vanishes at the origin; f's values around it decide
    (p,) = nabla.critical_points("x^4 + y^4", [(-1, 1), (-1, 1)])
    assert p.kind == "minimum" and np.allclose(p.x, 0, atol=1e-6) and np.allclose(p.eigenvalues, 0)


def test_degenerate_saddles_by_expression_and_by_function():
    for f in ("x^3 - 3*x*y^2", lambda v: v[0] ** 3 - 3 * v[0] * v[1] ** 2, "x^2 - y^4"):
        (p,) = nabla.critical_points(f, [(-1, 1), (-1, 1)])
        assert p.kind == "saddle" and np.allclose(p.x, 0, atol=1e-6)
    (p,) = nabla.critical_points("x^3", [(-1, 1)])
    assert p.kind == "saddle"


def test_inconclusive_where_the_values_are_within_rounding():
    (p,) = nabla.critical_points("1 + x^4 + y^4", [(-1e-3, 1e-3), (-1e-3, 1e-3)])
    assert p.kind == "inconclusive"


def test_a_circle_of_minima_is_one_point_with_its_extent():
    for f in ("(x^2 + y^2 - 1)^2", lambda v: (v[0] ** 2 + v[1] ** 2 - 1) ** 2):
        points = nabla.critical_points(f, [(-2, 2), (-2, 2)])
        assert [p.kind for p in points] in (["minimum", "maximum"], ["maximum", "minimum"])
        ring = next(p for p in points if p.kind == "minimum")
        centre = next(p for p in points if p.kind == "maximum")
        assert abs(np.linalg.norm(ring.x) - 1) < 1e-8 and 1.8 < ring.set_extent <= 2 + 1e-8
        assert centre.set_extent == 0
        assert "set_extent=" in repr(ring) and "set_extent" not in repr(centre)


def test_convexity():
    assert nabla.convexity("x^2 + 2*y^2", [(-1, 1), (-1, 1)])[0] == "strictly convex"
    verdict, smallest, witness, _ = nabla.convexity(lambda v: v[0] ** 3 + v[1] ** 2, [(-1, 1), (-1, 1)])
    assert verdict == "not convex" and smallest < 0 and witness[0] < 0


def test_plot_is_svg_with_paths_and_points():
    svg = nabla.plot("x^3 - 3*x + y^2", [(-2, 2), (-2, 2)], gradient=True, critical=True,
                     paths=["gd", "lbfgs"], x0=[1.5, 1.5], lr=0.05)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    assert "gd" in text and "lbfgs" in text and "saddle" in text and "minimum" in text
    assert svg._repr_svg_() == str(svg)


def test_plot_of_a_python_function_and_given_paths():
    svg = nabla.plot(lambda v: v[0] ** 2 + 2 * v[1] ** 2, [(-3, 3)], paths=[("mine", [[2, 2], [1, 1], [0, 0]])])
    assert "mine" in "".join(ET.fromstring(svg).itertext())


def test_loss_plot():
    svg = nabla.loss_plot({"adam": [1.0, 0.1, 0.01], "gd": [1.0, 0.5, 0.25]}, title="loss")
    assert ET.fromstring(svg) is not None


def test_plot_errors():
    with pytest.raises(ValueError, match="two variables"):
        nabla.plot("x^2")
    with pytest.raises(ValueError, match="x0"):
        nabla.plot("x^2 + y^2", paths=["gd"])
    with pytest.raises(ValueError, match="box"):
        nabla.critical_points(lambda v: v[0] ** 2)


def test_search_sizes_and_boxes_are_checked():
    with pytest.raises(ValueError, match="starts"):
        nabla.critical_points(lambda v: v[0] ** 2, [(-1, 1)], starts=10**9)
    with pytest.raises(ValueError, match="pair"):
        nabla.critical_points("x^2", [(0, 1, 2)])


def test_a_box_of_zero_width_is_refused_as_by_the_cli():
    # it used to call the minimum of x^2 + y^2 at the origin flat and inconclusive
    for f in ("x^2 + y^2", lambda v: v[0] ** 2 + v[1] ** 2):
        with pytest.raises(nabla.DomainError, match="single point"):
            nabla.critical_points(f, [(0, 0), (0, 0)])
    with pytest.raises(nabla.DomainError, match="single point"):
        nabla.critical_points("x^3 - 3*x", [(1, 1)])
    with pytest.raises(nabla.DomainError, match="rounding units"):
        nabla.critical_points("(x - 1)^2 - (y - 2)^2", [(1, 1 + 2**-52), (2, 3)])
    # lo > hi names its bounds (it said "lo <= hi" only, beside "lo < hi" for lo = hi)
    with pytest.raises(nabla.DomainError, match="dimension 0 is 1 : 0; a box needs finite bounds with lo <= hi"):
        nabla.critical_points("x^2", [(1, 0)])
    # convexity sampled the Hessian of x^2 - y^2 on [-1, 1] x {0}, where f
    # is convex, and said "not convex"
    for f in ("x^2 - y^2", lambda v: v[0] ** 2 - v[1] ** 2):
        with pytest.raises(nabla.DomainError, match="dimension 1 of the box is a single point"):
            nabla.convexity(f, [(-1, 1), (0, 0)])


def test_one_pair_outside_a_list_is_the_box_of_every_variable():
    # (-1, 1) raised TypeError: 'int' object is not iterable
    for box in ((-1, 1), [(-1, 1)], np.array([-1.0, 1.0])):
        points = nabla.critical_points("x^2 - y^2", box)
        assert [p.kind for p in points] == ["saddle"]
        assert nabla.critical_points(lambda v: v[0] ** 2 + v[1] ** 2, box, n=2)[0].x.size == 2
    with pytest.raises(ValueError, match="pair"):
        nabla.critical_points("x^2", (1, 2, 3))
    # a generator of pairs, as any iterable before
    assert [p.kind for p in nabla.critical_points("x^2 - y^2", ((-1, 1) for _ in range(2)))] == ["saddle"]


def test_a_small_box_finds_its_point():
    # over 2 pi +- 1e-5 the maximum of cos x + cos y used to be missed
    box = [(2 * np.pi - 1e-5, 2 * np.pi + 1e-5)] * 2
    for f in ("cos(x) + cos(y)", lambda v: np.cos(v[0]) + np.cos(v[1])):
        points = nabla.critical_points(f, box)
        assert [p.kind for p in points] == ["maximum"]
        np.testing.assert_allclose(points[0].x, [2 * np.pi, 2 * np.pi], rtol=0, atol=1e-13)


def test_plot_of_a_function_of_three_variables_says_so():
    with pytest.raises(ValueError, match="two variables"):
        nabla.plot(lambda v: v[0] * v[1] * v[2], [(-1, 1), (-1, 1)])


def test_one_interval_stands_for_every_variable_of_a_function_as_of_an_expression():
    # with n=3 a Python function was solved in 1-D: [0.5]
    f = lambda v: np.sum((v - 0.5) ** 2)
    by_function = nabla.critical_points(f, [(-1, 1)], n=3, starts=20)
    by_expression = nabla.critical_points("(x-0.5)^2 + (y-0.5)^2 + (z-0.5)^2", [(-1, 1)])
    for points in (by_function, by_expression):
        assert [p.kind for p in points] == ["minimum"]
        np.testing.assert_allclose(points[0].x, [0.5, 0.5, 0.5], atol=1e-8)  # the gradient 2(v - 0.5) is 0
    assert nabla.critical_points(f, [(-1, 1), (-1, 1)], starts=20)[0].x.size == 2  # the box alone: 2-D
    with pytest.raises(ValueError, match="2 intervals for 3 variables"):
        nabla.critical_points(f, [(-1, 1), (-1, 1)], n=3)
    with pytest.raises(TypeError, match="starts must be an integer"):
        nabla.critical_points(f, [(-1, 1)], n=3, starts=np.float32(20.5))


def test_plot_gives_each_path_the_options_its_method_reads():
    quadratic = "x^2 + 2*y^2"
    box = [(-3, 3), (-3, 3)]
    slow, fast = (nabla.plot(quadratic, box, paths=["gd", "lbfgs"], x0=[2.5, 2], lr=lr) for lr in (0.01, 0.2))
    assert slow != fast  # gd read lr, and lbfgs ran without it
    with pytest.raises(ValueError, match=r"plot: lr has no effect on the paths \['lbfgs', 'newton'\]"):
        nabla.plot(quadratic, box, paths=["L-BFGS-B", "newton"], x0=[2.5, 2], lr=0.1)
    with pytest.raises(ValueError, match="did you mean 'adam'"):
        nabla.plot(quadratic, box, paths=["adma"], x0=[2.5, 2], lr=0.1)


def test_plot_refuses_minimize_options_without_a_path_by_method():
    # lr and even unknown keywords were accepted and ignored
    with pytest.raises(TypeError, match="lr, foo would have no effect"):
        nabla.plot("x^2 + y^2", [(-3, 3), (-3, 3)], lr=0.1, foo=3, x0=[1, 1])


def test_starts_count_for_expressions_and_dense_points_are_warned_of():
    # sin(10 x) has 20 critical points in -3:3; 20 starts find 18 of them
    with pytest.warns(RuntimeWarning, match="18 points from 20 starts: .* starts=200 looks closer"):
        few = nabla.critical_points("sin(10*x)", [(-3, 3)], starts=20)
    assert len(few) == 18
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(nabla.critical_points("sin(10*x)", [(-3, 3)], starts=100)) == 20
        assert len(nabla.critical_points(lambda v: nabla.sin(10 * v[0]), [(-3, 3)], starts=100)) == 20
    with pytest.raises(ValueError, match="starts must be between 1 and 1000000"):
        nabla.critical_points("x^2", starts=0)


def test_critical_points_pickle_as_themselves():
    import pickle
    points = nabla.critical_points("x^3 - 3*x + y^2", [(-3, 3), (-3, 3)])
    back = pickle.loads(pickle.dumps(points))
    assert [repr(p) for p in back] == [repr(p) for p in points]
    for p, q in zip(points, back):
        assert (p.kind, p.f, p.gradient_norm, p.set_extent, p.flat) == (q.kind, q.f, q.gradient_norm,
                                                                         q.set_extent, q.flat)
        assert np.array_equal(p.x, q.x) and np.array_equal(p.eigenvalues, q.eigenvalues)
