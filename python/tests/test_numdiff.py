"""nabla.numdiff from Python, checked against closed forms (and error
estimates checked to bound the true error)."""

import math

import numpy as np
import pytest

import nabla
from nabla import numdiff


def test_derivative_and_its_error_bound():
    est = numdiff.derivative(math.exp, 1.0)
    assert abs(est.value - math.e) <= max(est.error, 1e-15)
    assert est.value == pytest.approx(math.e, rel=1e-12)
    second = numdiff.derivative(math.sin, 0.5, order=2)
    assert second.value == pytest.approx(-math.sin(0.5), rel=1e-8)


def test_seed_numerical_gradient():
    g = numdiff.gradient(lambda v: v[0] ** 2 * v[1] + np.exp(v[0] * v[1]), [1.0, 2.0])
    np.testing.assert_allclose(g, [4 + 2 * math.exp(2), 1 + math.exp(2)], rtol=1e-12)


def test_hessian_with_error():
    h, err = numdiff.hessian(lambda v: v[0] ** 3 * v[1], [1.0, 2.0], with_error=True)
    np.testing.assert_allclose(h, [[12.0, 3.0], [3.0, 0.0]], atol=1e-7)
    assert err.shape == (2, 2)


def test_methods_and_options():
    for method in ["central", "forward", "backward", "five_point"]:
        est = numdiff.derivative(math.sin, 0.3, method=method)
        assert est.value == pytest.approx(math.cos(0.3), rel=1e-8), method
    with pytest.raises(ValueError, match="unknown method"):
        numdiff.derivative(math.sin, 0.3, method="sideways")
    with pytest.raises(ValueError, match="complex"):
        numdiff.derivative(math.sin, 0.3, method="complex_step")


def test_check_gradient_passes_and_fails():
    f = lambda v: np.sum(v ** 3)
    good = numdiff.check_gradient(f, lambda v: 3 * v ** 2, [1.0, 2.0])
    bad = numdiff.check_gradient(f, lambda v: 3 * v ** 2 + [0.0, 1e-3], [1.0, 2.0])
    assert good and good.ok
    assert not bad and bad.worst_index == 1
    assert "1" in str(bad)


def test_check_gradient_of_nabla_grad():
    f = lambda x: nabla.exp(x[0]) * nabla.sin(x[1])
    assert numdiff.check_gradient(lambda v: np.exp(v[0]) * np.sin(v[1]), nabla.grad(f), [0.3, 0.7])


def test_errors_from_the_function_propagate():
    def boom(v):
        raise KeyError("inside")

    with pytest.raises(KeyError):
        numdiff.gradient(boom, [1.0])
    with pytest.raises(ValueError):
        numdiff.gradient(lambda v: 0.0, [])


def test_bad_points_and_values_are_clear_errors():
    with pytest.raises(TypeError, match="None"):
        numdiff.gradient(lambda x: x[0] ** 2, None)
    with pytest.raises(ValueError, match="1-D"):
        numdiff.gradient(lambda x: x[0] ** 2, np.ones((2, 2)))
    for bad in ("a", None, np.ones(3)):
        with pytest.raises(ValueError, match="must return a scalar"):
            numdiff.gradient(lambda x, bad=bad: bad, [1.0, 2.0])
    with pytest.raises(ValueError, match="must return a scalar"):
        numdiff.derivative(lambda x: None, 1.0)
    np.testing.assert_allclose(numdiff.gradient(lambda x: [x[0] ** 2], [3.0]), [6.0], rtol=1e-12)


def test_check_gradient_takes_a_column_gradient():
    f = lambda x: x[0] ** 2 + 3 * x[1]
    column = lambda x: np.array([[2 * x[0]], [3.0]])
    assert numdiff.check_gradient(f, column, [1.0, 2.0])


def test_jacobian_refuses_values_that_are_not_numbers():
    for bad in (None, "1.0", ["1.0", 2.0], [None, 1.0], [[1.0], [2.0, 3.0]]):
        with pytest.raises(ValueError, match="f must return numbers"):
            numdiff.jacobian(lambda x, bad=bad: bad, [1.0, 2.0])
        with pytest.raises(ValueError, match="grad must return numbers"):
            numdiff.check_gradient(lambda x: x[0], lambda x, bad=bad: bad, [1.0, 2.0])
    for bad in (["1.0"], np.array(["2"])):
        with pytest.raises(ValueError, match="must return a scalar"):
            numdiff.gradient(lambda x, bad=bad: bad, [1.0, 2.0])
    np.testing.assert_allclose(numdiff.jacobian(lambda x: [x[0] * x[1], 2 * x[0]], [1.0, 2.0]),
                               [[2.0, 1.0], [2.0, 0.0]], rtol=1e-9)
    np.testing.assert_allclose(numdiff.jacobian(lambda x: x[0] ** 2, [3.0]), [[6.0]], rtol=1e-9)


def test_a_point_that_is_not_numbers_is_refused():
    for bad in ("1.0", ["1", "2"], [None, 1.0]):
        with pytest.raises(TypeError, match="the point must be real numbers"):
            numdiff.gradient(lambda x: x[0] ** 2, bad)
        with pytest.raises(TypeError, match="the point must be real numbers"):
            numdiff.derivative(lambda t: t * t, bad)
    with pytest.raises(ValueError, match="one number"):
        numdiff.derivative(lambda t: t * t, [1.0, 2.0])
    assert numdiff.derivative(lambda t: t * t, np.float32(1.5)).value == pytest.approx(3.0)


def test_integer_arguments_refuse_what_is_not_an_integer():
    # order=np.float32(1.9) gave the first derivative
    cube = lambda t: t ** 3
    for order in (np.float32(1.9), 1.9, np.float64(2.0)):
        with pytest.raises(TypeError, match="nabla.numdiff.derivative: order must be an integer"):
            numdiff.derivative(cube, 1.0, order)
    with pytest.raises(TypeError, match="richardson_levels must be an integer"):
        numdiff.gradient(lambda v: v[0] ** 3, [1.0], richardson_levels=np.float32(4.5))
    with pytest.raises(TypeError, match="step_ratio must be a real number"):
        numdiff.hessian(lambda v: v[0] ** 3, [1.0], step_ratio="2")
    second = numdiff.derivative(cube, 1.0, np.int64(2), max_steps=np.int32(30))
    assert second.value == pytest.approx(6.0, abs=second.error + 1e-12)  # (t^3)'' = 6t


@pytest.mark.parametrize("tolerance", [-1.0, float("nan"), float("inf")])
def test_check_gradient_refuses_a_tolerance_that_is_no_tolerance(tolerance):
    # an exactly correct gradient was reported FAILED at -1 and NaN
    with pytest.raises(nabla.DomainError, match="tolerance must be finite and not negative"):
        nabla.numdiff.check_gradient(lambda v: v[0] ** 2, nabla.grad(lambda v: v[0] ** 2), [1.0],
                                     tolerance=tolerance)


def test_results_pickle_as_themselves():
    # a worker of multiprocessing returns its results pickled
    import pickle
    e = numdiff.derivative(np.sin, 0.5)
    back = pickle.loads(pickle.dumps(e))
    assert (back.value, back.error) == (e.value, e.error)
    check = numdiff.check_gradient(lambda v: np.sum(v ** 3), lambda v: 3 * v ** 2 + [0.0, 1e-3], [1.0, 2.0])
    again = pickle.loads(pickle.dumps(check))
    for name in ("gradient", "numeric_gradient", "numeric_error"):
        assert np.array_equal(getattr(again, name), getattr(check, name))
    for name in ("max_abs_error", "max_rel_error", "worst_index", "resolution", "conclusive", "tolerance", "ok"):
        assert getattr(again, name) == getattr(check, name)
    assert not again and str(again) == str(check)


def test_pythons_complex_powers_left_of_the_domain_are_outside_it():
    # (-0.1) ** 0.5 is complex in Python: f(0.1 - h) raised "f must return a
    # scalar" where the C++ pow's NaN keeps the steps inside the domain
    cases = [(lambda x: x ** 0.5, 0.1, lambda x: 0.5 / math.sqrt(x)),
             (lambda x: x ** x, 0.01, lambda x: x ** x * (math.log(x) + 1)),
             (lambda x: x ** 2.5, 0.066, lambda x: 2.5 * x ** 1.5)]
    for f, x, exact in cases:
        e = numdiff.derivative(f, x)
        assert abs(e.value - exact(x)) <= e.error and e.error < 1e-8 * abs(exact(x)), (x, e)
    g = numdiff.gradient(lambda v: v[0] ** 0.5 + v[1], [0.1, 1.0])
    np.testing.assert_allclose(g, [0.5 / math.sqrt(0.1), 1.0], rtol=1e-9)
    assert math.isnan(numdiff.derivative(lambda x: x ** 0.5, -1.0).value)  # outside: no derivative
