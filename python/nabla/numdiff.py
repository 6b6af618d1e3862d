"""Numerical derivatives of Python functions: central differences (or
forward, backward, five-point) with Richardson extrapolation and an error
estimate. Keyword options: method, initial_step, step_ratio,
richardson_levels, max_steps.
"""

import math

import numpy as np

from . import _checks, _nabla

_nd = _nabla.numdiff
Estimate = _nd.Estimate
GradientCheck = _nd.GradientCheck


def _vector(x):
    """x as a 1-D float array (a scalar is one entry); None, strings and other
    values that are not real numbers, or 2-D, are an error."""
    if x is None:
        raise TypeError("nabla.numdiff: the point is None")
    v = _checks.as_reals(x)
    if v is None:
        raise TypeError(f"nabla.numdiff: the point must be real numbers, not {x!r}")
    v = np.atleast_1d(v)
    if v.ndim != 1:
        raise ValueError(f"nabla.numdiff: the point must be a scalar or a 1-D array, not shape {v.shape}")
    return np.ascontiguousarray(v)


def _scalar(y):
    """f's value as a float, or a clear error. A complex value, what Python's
    ** gives left of a real power's domain ((-0.1) ** 0.5), is NaN there, as
    C++'s pow: the stencil then stays on f's side of the edge."""
    if isinstance(y, (complex, np.complexfloating)):
        return float(y.real) if y.imag == 0 else math.nan
    array = _checks.as_reals(y)
    if array is None or array.size != 1:
        raise ValueError(f"nabla.numdiff: f must return a scalar, not {y!r}")
    return float(array.reshape(()))


def _vector_value(y, who):
    """The value of f (or grad) as a 1-D float array, or a clear error."""
    array = _checks.as_reals(y)
    if array is None:
        raise ValueError(f"nabla.numdiff: {who} must return numbers (a scalar or an array), not {y!r}")
    return np.ascontiguousarray(array.reshape(-1))


# The options the C++ core takes as integers and as reals.
_INTEGER_OPTIONS = ("richardson_levels", "max_steps")
_REAL_OPTIONS = ("initial_step", "step_ratio")


def _checked(options, who):
    """The keyword options with their numbers checked (a clear TypeError
    naming the option; np.float32(2.7) is no integer)."""
    out = dict(options)
    for key in _INTEGER_OPTIONS:
        if key in out:
            out[key] = _checks.integer(out[key], who, key, -2**31, 2**31 - 1)  # a C++ int
    for key in _REAL_OPTIONS:
        if out.get(key) is not None:
            out[key] = _checks.real(out[key], who, key)
    return out


def _on_arrays(f):
    return lambda v: _scalar(f(np.asarray(v)))


def derivative(f, x, order=1, **options):
    """f'(x) (order 1) or f''(x) (order 2) as an Estimate(value, error)."""
    point = _vector(x)
    if point.size != 1:
        raise ValueError(f"nabla.numdiff.derivative: x must be one number, not shape {np.shape(x)}")
    who = "nabla.numdiff.derivative"
    order = _checks.integer(order, who, "order")
    return _nd.derivative(lambda t: _scalar(f(t)), float(point[0]), order, **_checked(options, who))


def gradient(f, x, *, with_error=False, **options):
    """The gradient of f: R^n -> R at x (and its per-entry error bounds)."""
    value, error = _nd.gradient_estimate(_on_arrays(f), _vector(x), **_checked(options, "nabla.numdiff.gradient"))
    return (value, error) if with_error else value


def jacobian(f, x, *, with_error=False, **options):
    """The Jacobian of f: R^n -> R^m at x."""
    g = lambda v: _vector_value(f(np.asarray(v)), "f")
    value, error = _nd.jacobian_estimate(g, _vector(x), **_checked(options, "nabla.numdiff.jacobian"))
    return (value, error) if with_error else value


def hessian(f, x, *, with_error=False, **options):
    """The Hessian of f: R^n -> R at x."""
    value, error = _nd.hessian_estimate(_on_arrays(f), _vector(x), **_checked(options, "nabla.numdiff.hessian"))
    return (value, error) if with_error else value


def check_gradient(f, grad, x, tolerance=1e-6, **options):
    """Compares grad(x) with the numerical gradient of f; a GradientCheck
    (truthy when it passes, printable)."""
    g = lambda v: _vector_value(grad(np.asarray(v)), "grad")
    who = "nabla.numdiff.check_gradient"
    tolerance = _checks.real(tolerance, who, "tolerance")
    if not (tolerance >= 0 and math.isfinite(tolerance)):  # a correct gradient "FAILED" at -1 and NaN
        raise _nabla.DomainError(f"{who}: tolerance must be finite and not negative, not {tolerance!r}")
    return _nd.check_gradient(_on_arrays(f), g, _vector(x), tolerance, **_checked(options, who))
