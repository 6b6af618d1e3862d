"""Transformations of Python functions, in the manner of JAX.

``grad(f)`` returns a function that records ``f`` on traced values at the
point it is given (``f`` indexes its argument, uses Python arithmetic,
comparisons and nabla's functions), then runs the recording's reverse sweep.
Inputs and outputs are NumPy arrays (a float input gives float results).
Arguments after the first are passed through undifferentiated.
"""

import numpy as np

from . import _checks, _nabla


def _holds_traced(x):
    """Whether x is a traced value or a sequence holding one: the point a
    transformation inside another transformation is called at."""
    if isinstance(x, _nabla.Traced):
        return True
    if isinstance(x, (list, tuple)) or (isinstance(x, np.ndarray) and x.dtype == object):
        return any(_holds_traced(v) for v in (x.flat if isinstance(x, np.ndarray) else x))
    return False


def _as_input(x, who, name="x"):
    """x as a contiguous 1-D float array and whether it was a scalar; None,
    strings and other values that are not real numbers are a TypeError."""
    if x is None:
        raise TypeError(f"{who}: {name} is None; give a point (a number or a 1-D array of numbers)")
    if _holds_traced(x):
        raise TypeError(f"{who}: {name} holds traced values: nested transformations are not supported "
                        "(grad of grad, jacobian of a nabla.grad function, a transformation inside "
                        "minimize's function); use nabla.hessian, hvp or jacobian for second derivatives")
    arr = _checks.as_reals(x)
    if arr is None:
        raise TypeError(f"{who}: {name} must be real numbers, not {type(x).__name__} {x!r}")
    if arr.ndim > 1:
        raise ValueError(f"{who}: {name} must be a scalar or a 1-D array, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{who}: {name} is empty")
    return np.ascontiguousarray(arr.reshape(-1)), arr.ndim == 0


def _object_array(items):
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _flatten_outputs(y, who):
    if isinstance(y, _nabla.Traced):
        return [y], ()
    arr = np.asarray(y, dtype=object)
    outputs = []
    for v in arr.flat:
        if isinstance(v, _nabla.Traced):
            outputs.append(v)
        elif isinstance(v, (str, bytes)):  # float("3") is 3.0: "3" was read as a constant
            raise TypeError(f"{who}: the function returned {type(v).__name__} {v!r}, not a number")
        else:
            try:
                outputs.append(_nabla.Traced(float(v)))
            except (TypeError, ValueError):
                raise TypeError(f"{who}: the function returned {type(v).__name__}, not a number") from None
    return outputs, arr.shape


class _Recorded:
    """f recorded at x: the Program, and the shapes to give results."""

    def __init__(self, f, x, args, who):
        _require_callable(f, who)  # (jvp, vjp and record called f and said "'int' object is not callable")
        self.x, self.scalar_input = _as_input(x, who)
        recording = _nabla.Recording(self.x)
        inputs = recording.enter()
        try:
            xs = inputs[0] if self.scalar_input else _object_array(inputs)
            y = f(xs, *args)
        finally:
            recording.exit()
        outputs, self.output_shape = _flatten_outputs(y, who)
        self.program = recording.finish(outputs)
        self.who = who

    def require_scalar(self):
        if self.output_shape != () and self.output_shape != (1,):
            raise ValueError(f"{self.who}: f must return a scalar, it returned shape {self.output_shape}; "
                             "use nabla.jacobian for a vector function")

    def like_input(self, v):
        return float(v[0]) if self.scalar_input else v

    def value(self):
        y = self.program.values(self.x)
        return float(y[0]) if self.output_shape == () else y.reshape(self.output_shape)


def _require_callable(f, who):
    """The transforms return functions, which would fail only when called:
    gradient([]) returned one. A TypeError now, naming what f is."""
    if not callable(f):
        raise TypeError(f"{who}: f must be a function (or an expression), not {type(f).__name__} {f!r}")


def grad(f):
    """The gradient of a scalar function: grad(f)(x) -> array like x."""
    _require_callable(f, "nabla.grad")
    def gradient_of_f(x, *args):
        r = _Recorded(f, x, args, "nabla.grad")
        r.require_scalar()
        return r.like_input(r.program.gradient(r.x))
    return gradient_of_f


def value_and_grad(f):
    """value_and_grad(f)(x) -> (f(x), gradient)."""
    _require_callable(f, "nabla.value_and_grad")
    def value_and_gradient_of_f(x, *args):
        r = _Recorded(f, x, args, "nabla.value_and_grad")
        r.require_scalar()
        value, gradient = r.program.value_and_gradient(r.x)
        return value, r.like_input(gradient)
    return value_and_gradient_of_f


def jacobian(f):
    """The Jacobian: jacobian(f)(x) -> array of shape f(x).shape + x.shape."""
    _require_callable(f, "nabla.jacobian")
    def jacobian_of_f(x, *args):
        r = _Recorded(f, x, args, "nabla.jacobian")
        jac = r.program.jacobian(r.x)
        in_shape = () if r.scalar_input else r.x.shape
        return jac.reshape(r.output_shape + in_shape) if (r.output_shape + in_shape) else float(jac[0, 0])
    return jacobian_of_f


def hessian(f):
    """The Hessian of a scalar function: hessian(f)(x) -> (n, n) array."""
    _require_callable(f, "nabla.hessian")
    def hessian_of_f(x, *args):
        r = _Recorded(f, x, args, "nabla.hessian")
        r.require_scalar()
        h = r.program.hessian(r.x)
        return float(h[0, 0]) if r.scalar_input else h
    return hessian_of_f


def hvp(f):
    """The Hessian-vector product: hvp(f)(x, v) -> H(x) v, without forming H."""
    _require_callable(f, "nabla.hvp")
    def hvp_of_f(x, v, *args):
        r = _Recorded(f, x, args, "nabla.hvp")
        r.require_scalar()
        v = _as_input(v, "nabla.hvp", "v")[0]
        if v.size != r.x.size:
            raise ValueError(f"nabla.hvp: v has {v.size} entries, x has {r.x.size}")
        return r.like_input(r.program.hvp(r.x, v))
    return hvp_of_f


def jvp(f, x, v, *args):
    """Forward product: jvp(f, x, v) -> (f(x), J(x) v)."""
    r = _Recorded(f, x, args, "nabla.jvp")
    v = _as_input(v, "nabla.jvp", "v")[0]
    if v.size != r.x.size:
        raise ValueError(f"nabla.jvp: v has {v.size} entries, x has {r.x.size}")
    jv = r.program.jvp(r.x, v)
    return r.value(), (float(jv[0]) if r.output_shape == () else jv.reshape(r.output_shape))


def vjp(f, x, *args):
    """Reverse product: vjp(f, x) -> (f(x), g) with g(w) = w^T J(x)."""
    r = _Recorded(f, x, args, "nabla.vjp")
    m = int(np.prod(r.output_shape)) if r.output_shape else 1

    def pullback(w):
        w = _checks.reals(w, "nabla.vjp", "w").reshape(-1)
        if w.size != m:
            raise ValueError(f"nabla.vjp: w has {w.size} entries, f has {m} outputs")
        return r.like_input(r.program.vjp(r.x, np.ascontiguousarray(w)))

    return r.value(), pullback


def record(f, x, *args):
    """The Program of f recorded at x (replays value and derivatives at new points)."""
    return _Recorded(f, x, args, "nabla.record").program
