"""nabla.minimize against SciPy's optimizers on the same problems, the
seeds' exact steps, bounds, callbacks and bad input."""

import numpy as np
import pytest

import nabla

scipy_optimize = pytest.importorskip("scipy.optimize")


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def rosenbrock_numpy(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def beale(x):
    return ((1.5 - x[0] + x[0] * x[1]) ** 2 + (2.25 - x[0] + x[0] * x[1] ** 2) ** 2
            + (2.625 - x[0] + x[0] * x[1] ** 3) ** 2)


@pytest.mark.parametrize("method,scipy_method", [("lbfgs", "L-BFGS-B"), ("bfgs", "BFGS"), ("newton", "BFGS")])
@pytest.mark.parametrize("f,x0", [(rosenbrock, [-1.2, 1.0]), (beale, [1.0, 1.0])])
def test_reaches_scipys_minimum(method, scipy_method, f, x0):
    ours = nabla.minimize(f, x0, method=method)
    theirs = scipy_optimize.minimize(f, x0, method=scipy_method, jac=nabla.grad(f), tol=1e-12)
    assert ours.success, ours.message
    assert ours.fun <= theirs.fun + 1e-10
    np.testing.assert_allclose(ours.x, theirs.x, atol=1e-5)
    np.testing.assert_allclose(ours.jac, nabla.grad(f)(ours.x))


def test_result_is_shaped_like_scipys():
    r = nabla.minimize(rosenbrock, [-1.2, 1.0], method="L-BFGS-B")
    for key in ["x", "fun", "jac", "nit", "nfev", "njev", "success", "status", "message"]:
        assert key in r and getattr(r, key) is r[key]
    assert r.nfev >= r.nit and r.status == 0


def test_seed_gradient_descent_steps():
    r = nabla.minimize(lambda x: x[0] ** 2 + 2 * x[1] ** 2, [3.0, 2.0], method="gd", lr=0.1, max_iter=2,
                       trace=True)
    np.testing.assert_allclose(r.trace[1]["x"], [2.4, 1.2], rtol=1e-15)
    np.testing.assert_allclose(r.trace[2]["x"], [1.92, 0.72], rtol=1e-15)
    assert r.stop_reason == "max_iterations" and not r.success


def test_a_rate_that_bounces_is_no_success():
    # x -> -x at rate 1 on x'x: f is level, the run is not converged
    r = nabla.minimize(lambda x: x[0] ** 2 + x[1] ** 2, [1.0, 2.0], method="gd", lr=1.0)
    assert r.stop_reason == "no_progress" and not r.success
    assert "not a minimizer" in r.message


def test_seed_cost_minimum_at_two():
    r = nabla.minimize("w^2 - 4*w + 5", [0.0])
    assert r.x[0] == pytest.approx(2.0, abs=1e-10) and r.fun == pytest.approx(1.0)


@pytest.mark.parametrize("method", ["momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"])
def test_first_order_methods_descend_a_quadratic(method):
    lr = {"adagrad": 0.5, "rmsprop": 0.01, "adam": 0.05, "adamw": 0.05}.get(method, 0.05)
    r = nabla.minimize(lambda x: x[0] ** 2 + 2 * x[1] ** 2, [3.0, 2.0], method=method, lr=lr, max_iter=3000)
    assert r.fun < 1e-6, (method, r.fun, r.message)


def test_bounds_as_scipy_writes_them():
    r = nabla.minimize(lambda x: (x[0] - 2) ** 2 + (x[1] + 1) ** 2, [0.0, 0.0], bounds=[(3, None), (None, 0)])
    np.testing.assert_allclose(r.x, [3.0, -1.0], atol=1e-10)
    theirs = scipy_optimize.minimize(lambda v: (v[0] - 2) ** 2 + (v[1] + 1) ** 2, [3.0, 0.0],
                                     method="L-BFGS-B", bounds=[(3, None), (None, 0)])
    np.testing.assert_allclose(r.x, theirs.x, atol=1e-6)


def test_branches_are_traced_at_every_point():
    f = lambda x: (x[0] - 1) ** 2 if x[0] > 0 else 1 - 2 * x[0]  # C^1 at 0, minimum at 1
    r = nabla.minimize(f, [-3.0], method="bfgs")
    assert r.x[0] == pytest.approx(1.0, abs=1e-8)


def test_user_gradient_and_callback():
    seen = []
    r = nabla.minimize(rosenbrock_numpy, [-1.2, 1.0], jac=lambda x: scipy_optimize.rosen_der(x),
                       callback=lambda x: seen.append(x.copy()) or len(seen) < 5)
    assert r.stop_reason == "callback" and len(seen) == 5


def test_bad_input_is_an_error():
    with pytest.raises(ValueError, match="adam"):
        nabla.minimize(rosenbrock, [1.0, 1.0], method="adma")
    with pytest.raises(ValueError, match="not available"):
        nabla.minimize(rosenbrock, [1.0, 1.0], method="nelder-mead")
    with pytest.raises(TypeError, match="unknown option"):
        nabla.minimize(rosenbrock, [1.0, 1.0], lrate=0.1)
    with pytest.raises(ValueError):
        nabla.minimize(rosenbrock, [])
    with pytest.raises(ValueError, match="bounds"):
        nabla.minimize(rosenbrock, [1.0, 1.0], bounds=[(0, 1)])
    with pytest.raises(ValueError, match="scalar"):
        nabla.minimize(lambda x: x, [1.0, 1.0])


def test_nan_never_leaks():
    r = nabla.minimize(lambda x: nabla.log(x[0]) * 0 + (x[0] - 3) ** 2 if x[0] > 0 else nabla.log(x[0]), [5.0],
                       method="gd", lr=2.0, max_iter=50)
    assert np.isfinite(r.fun) and np.all(np.isfinite(r.x))


def test_a_given_jac_or_hess_is_used_and_checked():
    calls = []

    def hess(x):
        calls.append(1)
        return np.array([[2.0]])

    r = nabla.minimize(lambda x: (x[0] - 3) ** 2, [0.0], method="newton", hess=hess)
    assert calls and r.x == pytest.approx([3.0])
    f = lambda x: (x[0] - 3) ** 2 + (x[1] - 1) ** 2
    with pytest.raises(ValueError, match=r"jac must return an array of shape \(2,\)"):
        nabla.minimize(f, [0.0, 0.0], jac=lambda x: 1.0)
    with pytest.raises(ValueError, match=r"hess must return an array of shape \(2, 2\)"):
        nabla.minimize(f, [0.0, 0.0], method="newton", jac=nabla.grad(f), hess=lambda x: None)
    with pytest.raises(ValueError, match="come from the expression"):
        nabla.minimize("(x-1)^2 + (y+2)^2", [0.0, 0.0], jac=lambda x: np.zeros(2))


def test_x0_and_bounds_as_scipy_takes_them():
    with pytest.raises(TypeError, match="None"):
        nabla.minimize(lambda x: x[0] ** 2, None)
    with pytest.raises(ValueError, match="1-D array"):
        nabla.minimize(lambda x: x[0] ** 2, [[0.0]])
    for not_numbers in (["1.0"], "1.0", [None, 1.0]):  # NumPy would read "1.0" as 1.0
        with pytest.raises(TypeError, match="real numbers"):
            nabla.minimize(lambda x: x[0] ** 2, not_numbers)
    assert nabla.minimize(lambda x: (x[0] - 1) ** 2, 3.0, method=None).x == pytest.approx([1.0], abs=1e-6)
    bounds = scipy_optimize.Bounds([0.0], [2.0])
    assert nabla.minimize(lambda x: (x[0] - 5) ** 2, [0.0], bounds=bounds).x == pytest.approx([2.0])
    with pytest.raises(ValueError, match="pair"):
        nabla.minimize(lambda x: x[0] ** 2, [3.0], bounds=[(0,)])
    with pytest.raises(ValueError, match="schedule"):
        nabla.minimize(lambda x: x[0] ** 2, [3.0], method="gd", schedule="bogus")


def test_args_and_tol_as_in_scipy():
    f = lambda x, a, b: (x[0] - a) ** 2 + b * (x[1] + 1) ** 2
    g = lambda x, a, b: np.array([2 * (x[0] - a), 2 * b * (x[1] + 1)])
    for jac in (None, g):
        r = nabla.minimize(f, [0.0, 0.0], args=(3.0, 2.0), jac=jac, tol=1e-10)
        assert r.success and r.x == pytest.approx([3.0, -1.0], abs=1e-8)
        assert np.linalg.norm(r.jac) <= 1e-10
    with pytest.raises(ValueError, match="args"):
        nabla.minimize("(x-1)^2", [0.0], args=(1.0,))


@pytest.mark.parametrize("error", [ValueError("bad data file"), TypeError("wrong column type")])
def test_jac_true_lets_the_users_own_error_through(error):
    def fun(x):
        raise error

    with pytest.raises(type(error)) as raised:
        nabla.minimize(fun, [1.0, 2.0], jac=True)
    assert raised.value is error
    with pytest.raises(ValueError, match=r"fun must return \(f, gradient\), not float"):
        nabla.minimize(lambda x: 1.0, [1.0, 2.0], jac=True)


@pytest.mark.parametrize("stop", [False, np.False_, np.array(False), np.array([False])])
def test_callback_stops_on_any_boolean_false(stop):
    f = lambda x: (x[0] - 1) ** 2 + (x[1] - 1) ** 2
    calls = []

    def callback(x):
        calls.append(1)
        return None if len(calls) < 3 else (True if len(calls) < 5 else stop)

    r = nabla.minimize(f, [5.0, 5.0], method="gd", lr=0.01, callback=callback)
    assert r.stop_reason == "callback" and len(calls) == 5


def test_callback_sees_each_iteration_not_the_start():
    seen = []
    r = nabla.minimize(lambda x: (x[0] - 1) ** 2, [5.0], method="gd", lr=0.25,
                       callback=lambda x: seen.append(x[0]))
    assert len(seen) == r.nit and seen[0] == 3.0 and seen[-1] == r.x[0]


def test_callback_must_answer_none_or_a_bool():
    with pytest.raises(TypeError, match="callback must return None .* or a bool .*, not int 0"):
        nabla.minimize(lambda x: x[0] ** 2, [1.0], method="gd", callback=lambda x: 0)


@pytest.mark.parametrize("option, expected", [(dict(max_iter=1.5), "an integer"), (dict(lr="0.1"), "a real number"),
                                              (dict(memory=2.5), "an integer"),
                                              (dict(time_limit="1"), "a real number"),
                                              (dict(max_iter=np.float32(2.7)), "an integer"),
                                              (dict(gtol=True), "a real number"),
                                              (dict(betas=(0.9, "x")), "a real number")])
def test_a_wrongly_typed_option_is_named(option, expected):
    # was pybind11's "(): incompatible function arguments" naming neither
    name = next(iter(option))
    method = {"lr": "gd", "betas": "adam"}.get(name, "lbfgs")  # a method that reads the option
    with pytest.raises(TypeError, match=f"nabla.minimize: {name} must be {expected}"):
        nabla.minimize(lambda v: (v[0] - 1) ** 2, [0.0], method=method, **option)


@pytest.mark.parametrize("option", [dict(max_iter=-1), dict(maxfun=-5), dict(max_iter=2**63)])
def test_a_negative_or_huge_count_is_named_with_its_range(option):
    # max_iter=-1 was refused as "optim: max_iterations and max_evaluations
    # must be >= 0", and 2**63 as "must be from -9223372036854775808 to ..."
    name = next(iter(option))
    with pytest.raises(ValueError, match=f"nabla.minimize: {name} must be from 0 to 9223372036854775807"):
        nabla.minimize(lambda v: (v[0] - 1) ** 2, [0.0], method="lbfgs", **option)


def test_an_integer_option_takes_numpy_integers_and_counts_exactly():
    # max_iter=np.float32(2.7) ran 2 iterations; np.int64(3) is 3
    f = lambda v: (v[0] - 1) ** 2
    r = nabla.minimize(f, [5.0], method="gd", lr=np.float32(0.25), max_iter=np.int64(3))
    assert r.nit == 3
    # gd on (x - 1)^2 with lr 1/4: x - 1 halves each step
    assert r.x[0] == pytest.approx(1 + 4 * 0.5 ** 3, rel=1e-15)


@pytest.mark.parametrize("method, option, readers", [
    ("lbfgs", dict(lr=0.1), "gd, momentum, nesterov"), ("newton", dict(clip_norm=1.0), "gd, momentum"),
    ("bfgs", dict(schedule="cosine"), "gd"), ("adam", dict(momentum=0.9), "momentum, nesterov"),
    ("gd", dict(betas=(0.9, 0.99)), "adam, adamw"), ("momentum", dict(eps=1e-8), "adagrad, rmsprop"),
    ("adagrad", dict(rmsprop_decay=0.9), "rmsprop"), ("gd", dict(line_search="armijo"), "newton, bfgs, lbfgs"),
    ("bfgs", dict(memory=3), "lbfgs")])
def test_an_option_the_method_does_not_read_is_refused(method, option, readers):
    # each was accepted and silently ignored: lbfgs ran the same with any lr
    name = next(iter(option))
    with pytest.raises(ValueError, match=f"nabla.minimize: {name} has no effect with method '{method}': only "
                                         f"{readers}"):
        nabla.minimize(lambda v: (v[0] - 1) ** 2, [0.0], method=method, **option)


def test_the_options_a_method_reads_change_its_run():
    f = lambda v: (v[0] - 1) ** 2 + 10 * v[1] ** 2
    runs = [nabla.minimize(f, [3.0, 1.0], method="momentum", max_iter=5, **option).x
            for option in (dict(lr=0.01), dict(lr=0.01, momentum=0.5))]
    assert not np.allclose(runs[0], runs[1])
    lbfgs = [nabla.minimize(rosenbrock, [-1.2, 1.0], method="L-BFGS-B", max_iter=5, **option).x
             for option in (dict(), dict(line_search="armijo"))]
    assert not np.allclose(lbfgs[0], lbfgs[1])


def test_scipy_spellings_of_jac_and_args():
    # jac=False ran into "'bool' object is not callable"; args=3.0 was "not iterable"
    f = lambda x, a=2.0: (x[0] - a) ** 2
    assert nabla.minimize(f, [0.0], jac=False).x[0] == pytest.approx(2.0, abs=1e-6)
    assert nabla.minimize(lambda x, a: (x[0] - a) ** 2, [0.0], args=3.0).x[0] == pytest.approx(3.0, abs=1e-6)
    with pytest.raises(ValueError, match="jac='2-point'"):
        nabla.minimize(f, [0.0], jac="2-point")


def test_what_the_run_would_ignore_is_refused():
    f = lambda x: (x[0] - 1) ** 2
    with pytest.raises(ValueError, match="hess has no effect with method 'lbfgs': only newton"):
        nabla.minimize(f, [0.0], hess=lambda x: np.eye(1))
    with pytest.raises(ValueError, match="vars names an expression's variables"):
        nabla.minimize(f, [0.0], vars=["x"])
    with pytest.raises(ValueError, match="schedule_gamma has no effect with schedule='none'"):
        nabla.minimize(f, [0.0], method="gd", schedule_gamma=0.5)
    with pytest.raises(ValueError, match="min_learning_rate has no effect with schedule='step': only 'cosine'"):
        nabla.minimize(f, [0.0], method="gd", schedule="step", min_learning_rate=1e-4)
    r = nabla.minimize(f, [0.0], method="gd", lr=0.1, schedule="step", schedule_gamma=0.5,
                       schedule_step_size=10)
    error = -1.0  # x - 1 shrinks by 1 - 2 lr_k at step k; lr_k halves every 10 steps
    for k in range(r.nit):
        error *= 1 - 2 * 0.1 * 0.5 ** (k // 10)
    assert r.x[0] - 1 == pytest.approx(error, rel=1e-12)


def test_weight_decay_stops_on_the_function_it_minimizes():
    # (x - 3)^2 + x^2 / 2 has its minimum at x = 2: from x0 = 3 the run
    # stopped at once (f's gradient is 0 there), from 0 it said f_stalled
    # and from 2.9 no_progress, all at x = 2 after the first
    for x0 in (3.0, 0.0, 2.9):
        r = nabla.minimize(lambda x: (x[0] - 3) ** 2, [x0], method="gd", lr=0.05, weight_decay=1.0, max_iter=5000)
        assert r.success and abs(r.x[0] - 2) < 1e-6, (x0, r.stop_reason, r.x)
        assert abs(r.fun - 3) < 1e-10  # 1 + 4 / 2, the function minimized


def test_two_spellings_of_one_option_are_refused():
    # lr=0.1 with learning_rate=0.4 ran at 0.4, betas with beta1 took the last
    with pytest.raises(ValueError, match="lr and learning_rate both set learning_rate"):
        nabla.minimize(lambda x: x[0] ** 2, [1.0], method="gd", lr=0.1, learning_rate=0.4)
    with pytest.raises(ValueError, match="betas and beta1 both set beta1"):
        nabla.minimize(lambda x: x[0] ** 2, [1.0], method="adam", betas=(0.5, 0.5), beta1=0.9)
    with pytest.raises(ValueError, match="max_iter and maxiter"):
        nabla.minimize("x^2", [1.0], max_iter=3, maxiter=4)
