"""Transformations of Python functions, each checked against something
independent of the recording: closed forms, nabla.numdiff, and
torch.autograd where PyTorch is installed."""

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import nabla
from nabla import numdiff


def seed(x):
    return x[0] ** 2 * x[1] + nabla.exp(x[0] * x[1])


def seed_numpy(v):
    return v[0] ** 2 * v[1] + np.exp(v[0] * v[1])


def test_seed_gradient_matches_closed_form():
    g = nabla.grad(seed)(np.array([1.0, 2.0]))
    e2 = math.exp(2.0)
    np.testing.assert_allclose(g, [2 * 1 * 2 + 2 * e2, 1 + 1 * e2], rtol=1e-15)


def test_seed_hessian_matches_numdiff():
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(nabla.hessian(seed)(x), numdiff.hessian(seed_numpy, x), rtol=1e-8)


def test_value_and_grad_scalar_input():
    value, slope = nabla.value_and_grad(lambda t: nabla.sin(t) * t)(0.5)
    assert value == pytest.approx(math.sin(0.5) * 0.5, rel=1e-15)
    assert slope == pytest.approx(math.cos(0.5) * 0.5 + math.sin(0.5), rel=1e-15)
    assert isinstance(slope, float)


def test_numpy_style_function(rng):
    a = rng.normal(size=(4, 4))

    def f(x):
        return np.sum(np.tanh(a @ x) ** 2) + nabla.logsumexp(x)

    def f_numpy(v):
        return np.sum(np.tanh(a @ v) ** 2) + np.log(np.sum(np.exp(v)))

    x = rng.normal(size=4)
    np.testing.assert_allclose(nabla.grad(f)(x), numdiff.gradient(f_numpy, x), rtol=1e-9, atol=1e-12)


def test_jacobian_shape_and_values():
    def f(x):
        return [x[0] * x[1], nabla.sin(x[0]), x[1] ** 3]

    x = np.array([0.3, -1.2])
    jac = nabla.jacobian(f)(x)
    assert jac.shape == (3, 2)
    expected = numdiff.jacobian(lambda v: [v[0] * v[1], np.sin(v[0]), v[1] ** 3], x)
    np.testing.assert_allclose(jac, expected, rtol=1e-9, atol=1e-12)


def test_products_agree_with_full_matrices(rng):
    def f(x):
        return nabla.exp(x[0] * x[1]) + x[2] ** 2 * nabla.atan(x[0])

    def g(x):
        return [x[0] * x[2], nabla.hypot(x[1], x[2])]

    x, v = rng.normal(size=3), rng.normal(size=3)
    np.testing.assert_allclose(nabla.hvp(f)(x, v), nabla.hessian(f)(x) @ v, rtol=1e-12)
    y, jv = nabla.jvp(g, x, v)
    np.testing.assert_allclose(jv, nabla.jacobian(g)(x) @ v, rtol=1e-12)
    y2, pullback = nabla.vjp(g, x)
    w = rng.normal(size=2)
    np.testing.assert_allclose(pullback(w), w @ nabla.jacobian(g)(x), rtol=1e-12)
    np.testing.assert_allclose(y, y2)


def test_branches_follow_the_point():
    f = nabla.grad(lambda x: x[0] ** 2 if x[0] > 0 else -3 * x[0])
    assert f([2.0])[0] == 4.0
    assert f([-2.0])[0] == -3.0


def test_abs_and_relu_kinks_follow_the_registry():
    assert nabla.grad(lambda x: nabla.abs(x))(0.0) == 0.0
    assert nabla.grad(lambda x: nabla.relu(x))(0.0) == 0.0


def test_every_registry_function_matches_numdiff():
    points = {"acosh": 1.7, "atanh": 0.3, "asin": 0.3, "acos": 0.3, "log": 1.3, "log2": 1.3, "log10": 1.3,
              "log1p": 0.4, "sqrt": 1.3, "cbrt": 1.3}
    for name in ["sqrt", "cbrt", "exp", "expm1", "log", "log1p", "log2", "log10", "sin", "cos", "tan", "asin",
                 "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "abs", "erf", "erfc",
                 "sigmoid", "relu", "softplus", "leaky_relu"]:
        fn = getattr(nabla, name)
        x = points.get(name, 0.7)
        ad = nabla.grad(lambda t: fn(t))(x)
        num = numdiff.derivative(lambda t: fn(t), x)
        assert ad == pytest.approx(num.value, rel=1e-9, abs=1e-12), name
    for name in ["atan2", "hypot", "pow", "min", "max", "logsumexp"]:
        fn = getattr(nabla, name)
        x = np.array([0.8, 1.3])
        ad = nabla.grad(lambda v: fn(v[0], v[1]))(x)
        num = numdiff.gradient(lambda v: fn(float(v[0]), float(v[1])), x)
        np.testing.assert_allclose(ad, num, rtol=1e-9, err_msg=name)


def test_parameters_are_taken_by_their_documented_names():
    assert nabla.softplus(0.0, temperature=2.0) == pytest.approx(2.0 * math.log(2.0))
    assert nabla.softplus(0.0, 2.0) == nabla.softplus(0.0, temperature=2.0)
    assert nabla.leaky_relu(-1.0, alpha=0.2) == pytest.approx(-0.2)
    assert nabla.leaky_relu(-1.0) == pytest.approx(-0.01)
    np.testing.assert_allclose(nabla.leaky_relu([-1.0, 2.0], alpha=0.5), [-0.5, 2.0])
    assert nabla.grad(lambda t: nabla.softplus(t, temperature=2.0))(0.0) == pytest.approx(0.5)
    assert "temperature=1.0" in nabla.softplus.__doc__ and "alpha=0.01" in nabla.leaky_relu.__doc__


def test_numpy_var_std_exp2_on_traced_arrays(rng):
    x = rng.normal(size=5)
    centred, n = x - x.mean(), x.size
    mixed = lambda v: np.sum(np.fabs(v) * np.deg2rad(v) + np.rad2deg(v))
    for f, expected in [(np.var, 2 * centred / n), (np.std, centred / (n * np.std(x))),
                        (lambda v: np.sum(np.exp2(v)), np.exp2(x) * math.log(2)),
                        (mixed, 2 * np.abs(x) * math.pi / 180 + 180 / math.pi)]:
        value, gradient = nabla.value_and_grad(f)(x)
        assert value == pytest.approx(f(x), rel=1e-14)
        np.testing.assert_allclose(gradient, expected, rtol=1e-12)
    s = nabla.symbol("s")
    assert str(np.exp2(np.array([s], dtype=object))[0]) == str(nabla.pow(2.0, s))
    with pytest.raises(TypeError):  # NumPy has no object loop for it: nabla.logsumexp(a, b) instead
        nabla.grad(lambda v: np.sum(np.logaddexp(v, 1.0)))(x)


def test_power_forms():
    x = 1.7
    assert nabla.grad(lambda t: t ** 3)(x) == pytest.approx(3 * x ** 2, rel=1e-15)
    assert nabla.grad(lambda t: t ** 2.5)(x) == pytest.approx(2.5 * x ** 1.5, rel=1e-14)
    assert nabla.grad(lambda t: 2.0 ** t)(x) == pytest.approx(math.log(2) * 2 ** x, rel=1e-14)
    assert nabla.grad(lambda t: t ** t)(x) == pytest.approx(x ** x * (math.log(x) + 1), rel=1e-14)


def test_constant_function_has_zero_gradient():
    np.testing.assert_array_equal(nabla.grad(lambda x: 3.0)(np.array([1.0, 2.0])), [0.0, 0.0])


def test_record_replays_at_new_points():
    program = nabla.record(seed, [1.0, 2.0])
    x = np.array([0.5, -0.25])
    assert program.value(x) == pytest.approx(seed_numpy(x), rel=1e-15)


def test_bad_uses_are_clear_errors():
    with pytest.raises(TypeError, match="math.exp"):
        nabla.grad(lambda x: math.exp(x[0]))([1.0])
    with pytest.raises(ValueError, match="scalar"):
        nabla.grad(lambda x: x * 2)([1.0, 2.0])
    with pytest.raises(ValueError, match="empty"):
        nabla.grad(lambda x: x)([])
    with pytest.raises(ValueError, match="1-D"):
        nabla.grad(lambda x: x)(np.ones((2, 2)))
    with pytest.raises(TypeError, match="str"):
        nabla.grad(lambda x: "a")([1.0])
    # "3" and b"3" were read as the constant 3 (float("3")): a gradient of 0
    for text in ("3", b"3"):
        with pytest.raises(TypeError, match=f"returned {type(text).__name__} {text!r}, not a number"):
            nabla.grad(lambda x, t=text: t)(1.0)
    with pytest.raises(TypeError, match="returned str '2', not a number"):
        nabla.jacobian(lambda x: [x, "2"])(1.0)
    with pytest.raises(ValueError):
        nabla.hvp(seed)([1.0, 2.0], [1.0])
    with pytest.raises(ZeroDivisionError):
        nabla.grad(lambda x: 1 / 0)([1.0])
    # what is neither a function nor an expression is refused at once, not
    # turned into a function that fails when called
    for transform in (nabla.gradient, nabla.jacobian, nabla.hessian, nabla.grad, nabla.hvp, nabla.value_and_grad):
        with pytest.raises(TypeError, match="f must be a function"):
            transform([])
    # jvp, vjp and record take f and x at once: they called f, "'int' object is not callable"
    for call in (lambda: nabla.jvp(3, 1.0, 1.0), lambda: nabla.vjp(3, 1.0), lambda: nabla.record(3, 1.0)):
        with pytest.raises(TypeError, match="f must be a function .*, not int 3"):
            call()
    # integers beyond what the C++ side takes are named, not pybind11's
    # "incompatible function arguments"
    with pytest.raises(ValueError, match="seed must be from 0"):
        nabla.nn.MLP([4], seed=-1)
    with pytest.raises(ValueError, match="max_iter must be from"):
        nabla.minimize(lambda v: v[0] ** 2, [1.0], max_iter=2**70)
    with pytest.raises(ValueError, match="richardson_levels must be from"):
        nabla.numdiff.derivative(lambda t: t * t, 1.0, richardson_levels=2**40)
    # a value of a symbol is a number, never a string NumPy or float() would read
    with pytest.raises(TypeError, match="the value of x must be a real number"):
        nabla.evaluate("x + 1", x="1")


@pytest.mark.parametrize("point", [None, "1.0", [None, 1.0], ["1", "2"], 1 + 2j])
def test_a_point_that_is_not_numbers_is_refused(point):
    for transform in (nabla.grad, nabla.hessian, nabla.value_and_grad, nabla.jacobian):
        with pytest.raises(TypeError, match="x (is None|must be real numbers)"):
            transform(lambda x: x * x)(point)
    with pytest.raises(TypeError, match="v (is None|must be real numbers)"):
        nabla.hvp(lambda x: x * x)(1.0, point)


def test_leaked_traced_value_is_an_error():
    kept = []
    nabla.grad(lambda x: kept.append(x[0]) or x[0])([1.0])
    with pytest.raises(RuntimeError, match="outside"):
        kept[0] * 2.0 + kept[0]




def _torch():
    try:
        import torch as t
        return t
    except ImportError:
        return None


@pytest.mark.skipif(_torch() is None, reason="python3-torch not installed")
def test_random_functions_against_torch_autograd(rng):
    t = _torch()
    unary = [("exp", t.exp), ("sin", t.sin), ("tanh", t.tanh), ("sigmoid", t.sigmoid), ("atan", t.atan),
             ("softplus", t.nn.functional.softplus), ("erf", t.erf), ("cos", t.cos)]
    for trial in range(25):
        picks = [unary[k] for k in rng.integers(0, len(unary), size=4)]
        weights = rng.normal(size=4)

        def f_nabla(x):
            acc = 0.0
            for (name, _), w, i in zip(picks, weights, range(4)):
                acc = acc + w * getattr(nabla, name)(x[i % 3] * x[(i + 1) % 3] + acc)
            return acc

        def f_torch(x):
            acc = 0.0
            for (_, fn), w, i in zip(picks, weights, range(4)):
                acc = acc + float(w) * fn(x[i % 3] * x[(i + 1) % 3] + acc)
            return acc

        x = rng.normal(size=3)
        xt = t.tensor(x, dtype=t.float64, requires_grad=True)
        f_torch(xt).backward()
        np.testing.assert_allclose(nabla.grad(f_nabla)(x), xt.grad.numpy(), rtol=1e-12, atol=1e-14,
                                   err_msg=f"trial {trial}: {[p[0] for p in picks]}")


@pytest.mark.parametrize("exponent", [np.float32(0.5), np.float16(1.5), np.longdouble(2.5), Fraction(1, 3),
                                      Fraction(7, 2), Decimal("0.5")])
def test_a_real_exponent_of_any_type_keeps_its_fraction(exponent):
    # pybind11 took these for the integer power through __int__ (0.5 -> 0)
    e = float(exponent)
    x = np.array([2.0, 3.0])
    value, g = nabla.value_and_grad(lambda v: v[0] ** exponent + v[1] ** exponent)(x)
    assert value == pytest.approx(np.sum(x ** e), rel=1e-14)
    np.testing.assert_allclose(g, e * x ** (e - 1), rtol=1e-14)
    assert (nabla.Traced(2.0) ** exponent).value == pytest.approx(2.0 ** e, rel=1e-14)


@pytest.mark.parametrize("exponent", [3, np.int64(3), np.int32(-2), True])
def test_an_integer_exponent_keeps_the_integer_power(exponent):
    n = int(exponent)
    value, g = nabla.value_and_grad(lambda v: v[0] ** exponent)(np.array([-2.0]))
    assert value == (-2.0) ** n  # a real power of a negative base would be NaN
    assert g[0] == n * (-2.0) ** (n - 1)


def test_minimize_with_a_float32_exponent_reaches_the_true_minimizer():
    r = nabla.minimize(lambda v: (v[0] ** np.float32(0.5) - 3.0) ** 2, [4.0])
    assert r.success
    assert r.x[0] == pytest.approx(9.0, rel=1e-6)  # sqrt(x) = 3


@pytest.mark.parametrize("nest", [
    lambda g: nabla.grad(lambda x: np.sum(nabla.grad(g)(x))),
    lambda g: nabla.jacobian(nabla.grad(g)),
    lambda g: nabla.grad(lambda x: nabla.grad(g)(x[0])),
])
def test_nested_transformations_say_they_are_not_supported(nest):
    g = lambda v: np.sum(v ** 3)
    with pytest.raises(TypeError, match="nested transformations are not supported"):
        nest(g)(np.array([1.0, 2.0]))
    # what to use instead gives the second derivative: the Hessian, diag(6 x)
    np.testing.assert_allclose(nabla.hessian(g)(np.array([1.0, 2.0])), np.diag([6.0, 12.0]))


def test_softplus_refuses_a_temperature_that_is_not_positive():
    # softplus(x, 0) was NaN with a derivative of 1, and printed unparseably
    x = nabla.parse("x")
    for t in (0.0, -2.0, float("nan")):
        with pytest.raises(nabla.DomainError, match="temperature must be a positive number"):
            nabla.softplus(x, t)
        with pytest.raises(nabla.DomainError, match="temperature"):
            nabla.softplus(1.0, t)
    assert nabla.softplus(0.0, 2.0) == pytest.approx(2.0 * np.log(2.0))


def test_logsumexp_of_one_term_is_it_and_refuses_what_is_no_number():
    assert nabla.logsumexp(3.0) == 3.0
    for bad in ("x", None):
        with pytest.raises(TypeError, match="logsumexp"):
            nabla.logsumexp(bad)


def test_a_pullback_and_a_compiled_function_take_real_numbers_only():
    _, pullback = nabla.vjp(lambda x: x * 2.0, np.array([1.0, 2.0]))
    assert np.allclose(pullback([1.0, 1.0]), [2.0, 2.0])
    for bad in (None, ["1.0", "2.0"], [None, 1.0]):
        with pytest.raises(TypeError, match="nabla.vjp: w must be real numbers"):
            pullback(bad)
    square = nabla.compile("x^2 + y")
    assert square([2.0, 1.0]) == 5.0
    for bad in (None, "2", ["2", "1"], [[None, 1.0]]):
        with pytest.raises(TypeError, match="Compiled: x must be real numbers"):
            square(bad)


def test_logsumexp_of_an_array_keeps_its_weights_at_large_values():
    # The chain of binary logsumexps lost each partial sum's log 2 once |x|
    # >> 2^53: at (1e20, 1e20, 1e20) the gradient was (1/4, 1/4, 1/2), at
    # 1e15 2% off. Against the softmax and its Jacobian diag(w) - w w^T.
    f = lambda v: nabla.logsumexp(v)
    gradient, hessian = nabla.grad(f), nabla.hessian(f)
    for x in (np.full(3, 1e20), np.array([1e15, 1e15 + 1, 1e15 - 2, 1e15]), np.array([1.0, 2.0, 3.0])):
        w = np.exp(x - x.max()) / np.exp(x - x.max()).sum()
        np.testing.assert_allclose(gradient(x), w, rtol=1e-14)
        np.testing.assert_allclose(hessian(x), np.diag(w) - np.outer(w, w), rtol=1e-13, atol=1e-16)
    # beyond 9e307 of both signs the differences overflow: the chain there
    value, g = nabla.value_and_grad(f)(np.array([-1.7e308, 1.7e308, 0.0]))
    assert value == 1.7e308 and list(g) == [0, 1, 0]
    assert gradient(np.array([-1.7e308, 1.7e308, 0.0])).tolist() == [0, 1, 0]  # the same traced f at a new point
