"""The registry's functions on floats, traced values, expressions and arrays.

Each name (``nabla.exp``, ``nabla.atan2``, ``nabla.softplus``, ...) takes a
float, a traced value inside a transformation, a symbolic expression, or a
NumPy array / sequence of any of these (applied element by element), so one
function body serves every mode. Traced values and expressions also answer
NumPy's ufuncs (``np.exp(x)`` on an object array calls ``x.exp()``): those of
the registry, and absolute, fabs, conjugate (a value is real: so np.var and
np.std work), exp2, deg2rad and rad2deg. Ufuncs that NumPy has no object loop
for (logaddexp, logaddexp2, copysign, isfinite, ...) cannot take them: use
``nabla.logsumexp(a, b)`` for logaddexp.
"""

import functools
import math
import numbers

import numpy as np

from . import _nabla

UNARY = [
    "sqrt", "cbrt", "exp", "expm1", "log", "log1p", "log2", "log10", "sin", "cos", "tan",
    "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "abs", "sign",
    "erf", "erfc", "sigmoid", "relu",
]
BINARY = ["pow", "atan2", "hypot", "min", "max", "xlogy", "xdivy"]

# NumPy's ufunc names that differ from the registry's.
NUMPY_NAMES = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
               "acosh": "arccosh", "atanh": "arctanh", "atan2": "arctan2", "min": "minimum",
               "max": "maximum", "pow": "power"}


def _is_array_like(x):
    return isinstance(x, (np.ndarray, list, tuple))


def _settle(out):
    """An object array of plain numbers becomes a float array."""
    if isinstance(out, np.ndarray) and out.dtype == object and out.size and all(
            isinstance(v, (float, int, np.floating, np.integer)) for v in out.flat):
        return out.astype(float)
    return out


def _unary(name):
    raw = getattr(_nabla, name)
    elementwise = np.frompyfunc(raw, 1, 1)

    def apply(x):
        if _is_array_like(x):
            return _settle(elementwise(np.asarray(x, dtype=object)))
        return raw(x)

    apply.__name__ = name
    apply.__doc__ = f"{name}(x) on a float, traced value, expression or array."
    return apply


def _binary(name):
    raw = getattr(_nabla, name)
    elementwise = np.frompyfunc(raw, 2, 1)

    def apply(a, b):
        if _is_array_like(a) or _is_array_like(b):
            return _settle(elementwise(np.asarray(a, dtype=object), np.asarray(b, dtype=object)))
        return raw(a, b)

    apply.__name__ = name
    apply.__doc__ = f"{name}(a, b) on floats, traced values, expressions or arrays (broadcast)."
    return apply


def _with_parameter(raw, x, parameter):
    """raw(x, parameter) on a float, traced value or expression, or on every
    element of an array."""
    if _is_array_like(x):
        return _settle(np.frompyfunc(lambda v: raw(v, parameter), 1, 1)(np.asarray(x, dtype=object)))
    return raw(x, parameter)


def softplus(x, temperature=1.0):
    """softplus(x, temperature=1.0) on a float, traced value, expression or array;
    the temperature must be a positive number (as the parser and nn require)."""
    if not (isinstance(temperature, numbers.Real) and not isinstance(temperature, bool) and temperature > 0
            and math.isfinite(temperature)):
        raise _nabla.DomainError(f"softplus: the temperature must be a positive number, not {temperature!r}")
    return _with_parameter(_nabla.softplus, x, temperature)


def leaky_relu(x, alpha=0.01):
    """leaky_relu(x, alpha=0.01) on a float, traced value, expression or array."""
    return _with_parameter(_nabla.leaky_relu, x, alpha)


FUNCTIONS = {name: _unary(name) for name in UNARY}
FUNCTIONS.update({name: _binary(name) for name in BINARY})
FUNCTIONS["softplus"] = softplus
FUNCTIONS["leaky_relu"] = leaky_relu


def logsumexp(a, b=None):
    """log(e^a + e^b), or of every element of an array when b is omitted."""
    raw = _nabla.logsumexp
    if b is not None:
        return _binary("logsumexp")(a, b)
    if not _is_array_like(a):
        # one term: log(e^a) = a, for what the other functions take
        if isinstance(a, bool) or not isinstance(a, (numbers.Real, _nabla.Traced, _nabla.Expr)):
            raise TypeError(f"logsumexp: a must be a number, traced value, expression or array, "
                            f"not {type(a).__name__} {a!r}")
        return a
    items = list(np.asarray(a, dtype=object).flat)
    if not items:
        raise ValueError("logsumexp: empty array")
    if not any(isinstance(item, _nabla.Traced) for item in items):
        return functools.reduce(raw, items)
    # Traced: x_0 + the chain over x_i - x_0. The chain over the x_i lost
    # each partial sum's log 2 to rounding once |x| >> 2^53 (1e20 + log 2
    # is 1e20), and with it the weights: the gradient at (1e20, 1e20, 1e20)
    # was (1/4, 1/4, 1/2). The differences keep them, where they are finite
    # (a guard each: beyond 9e307 of both signs they overflow).
    first = items[0]
    differences = [item - first for item in items]
    if all(abs(d) < math.inf for d in differences):
        return first + functools.reduce(raw, differences)
    return functools.reduce(raw, items)


FUNCTIONS["logsumexp"] = logsumexp


def _install_ufunc_methods(cls):
    """np.exp(object_array) calls element.exp(): answer with nabla's functions."""
    def unary_method(raw):
        return lambda self: raw(self)

    def binary_method(raw):
        return lambda self, other: raw(self, other)

    for name in UNARY:
        setattr(cls, NUMPY_NAMES.get(name, name), unary_method(getattr(_nabla, name)))
    for name in BINARY:
        setattr(cls, NUMPY_NAMES.get(name, name), binary_method(getattr(_nabla, name)))
    cls.absolute = cls.fabs = unary_method(_nabla.abs)
    # Values are real: np.var and np.std multiply by the conjugate.
    cls.conjugate = cls.conj = lambda self: self
    cls.exp2 = lambda self: _nabla.pow(2.0, self)
    cls.deg2rad = cls.radians = lambda self: self * (math.pi / 180)
    cls.rad2deg = cls.degrees = lambda self: self * (180 / math.pi)


_install_ufunc_methods(_nabla.Traced)
_install_ufunc_methods(_nabla.Expr)
