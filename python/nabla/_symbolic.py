"""Symbolic expressions: parse, symbols, diff, gradient, hessian, evaluate,
LaTeX and compile, over the C++ engine (nabla::sym). Strings are parsed, so
``diff("x^2*y", "x")`` works as well as ``diff(x**2*y, x)``.
"""

import pickle
from fractions import Fraction

import numpy as np

from . import _checks, _nabla

Expr = _nabla.Expr


def _expr(e):
    if isinstance(e, Expr):
        return e
    if isinstance(e, str):
        return _nabla.parse(e)
    if isinstance(e, (int, np.integer)):
        return Expr(int(e))
    if isinstance(e, (float, np.floating)):
        return Expr(float(e))
    if isinstance(e, Fraction):
        return rational(e.numerator, e.denominator)
    raise TypeError(f"expected an expression or a string, got {type(e).__name__}")


def _name(v):
    if isinstance(v, str):
        return v
    if isinstance(v, Expr) and not v.is_number and str(v).isidentifier():
        return str(v)
    raise TypeError(f"expected a variable (a name or a symbol), got {v!r}")


def _names(vars, e):
    if vars is None:
        exprs = e if isinstance(e, (list, tuple)) else [e]
        found = sorted({str(s) for x in exprs for s in x.free_symbols})
        return found
    if isinstance(vars, (str, Expr)):
        vars = str(vars).replace(",", " ").split() if isinstance(vars, str) else [vars]
    names = [_name(v) for v in vars]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"the variables {names} name {', '.join(repeated)} more than once")
    return names


def rational(numerator, denominator):
    """The exact fraction numerator/denominator of two integers (ints or
    NumPy integers; a float is a TypeError, never truncated)."""
    return _nabla.rational(_checks.integer(numerator, "nabla.rational", "numerator"),
                           _checks.integer(denominator, "nabla.rational", "denominator"))


def _take_fractions_exactly():
    """A Fraction operand is the exact rational it is (x**Fraction(1, 3) is
    x^(1/3)); the bound operators took it as a float, x^0.3333333333333333."""
    reflected = {"__radd__": "__add__", "__rsub__": "__sub__", "__rmul__": "__mul__",
                 "__rtruediv__": "__truediv__", "__rpow__": "__pow__"}
    for name in ("__add__", "__sub__", "__mul__", "__truediv__", "__pow__", *reflected):
        bound = getattr(Expr, name)

        def operator_taking_fractions(self, other, _bound=bound, _name=name):
            if not isinstance(other, Fraction):
                return _bound(self, other)
            try:
                exact = rational(other.numerator, other.denominator)
            except ValueError:  # beyond 64 bits: a float, as an int beyond them is
                return _bound(self, float(other))
            if _name in reflected:  # Fraction op Expr: the same operator with the operands in order
                return getattr(exact, reflected[_name])(self)
            return _bound(self, exact)

        operator_taking_fractions.__name__ = name
        setattr(Expr, name, operator_taking_fractions)


_take_fractions_exactly()


def symbols(names):
    """symbols("x y") -> (x, y); one name gives one symbol."""
    found = _nabla.symbols(names)
    return found[0] if len(found) == 1 else tuple(found)


# The C++ order is an int; a larger order is taken in steps of this size.
_LARGEST_ORDER = 2**31 - 1


def _is_order(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _runs(vars):
    """diff's arguments as [name, order] runs: (x, 3, y) -> [[x, 3], [y, 1]]."""
    runs = []
    after_variable = False
    for v in vars:
        if _is_order(v):
            if not after_variable:
                raise ValueError(f"nabla.diff: the order {v} must follow a variable")
            if v < 0:
                raise ValueError(f"nabla.diff: an order must be >= 0, not {v}")
            runs[-1][1] = int(v)
            after_variable = False
        elif isinstance(v, (bool, np.bool_, float, np.floating, complex)):
            raise TypeError(f"nabla.diff: an order must be a non-negative integer, not {v!r}")
        else:
            runs.append([_name(v), 1])
            after_variable = True
    return runs


def diff(e, *vars):
    """diff(e, x), diff(e, x, 3) (third derivative), diff(e, x, y) (mixed),
    diff(e, x, 2, y) (d/dy d^2/dx^2). An order is a non-negative integer
    right after its variable; it is never expanded, so a large order costs
    no memory, and a derivative that comes back (0, exp's, sin's fourth)
    ends the work. One that grows past 131072 distinct subexpressions, or
    whose orders together pass 64 times that (x exp(x) to order 10^8: they
    all stay in memory), is a ValueError naming the order (minutes and
    gigabytes otherwise)."""
    e = _expr(e)
    if not vars:
        free = e.free_symbols
        if len(free) != 1:
            raise ValueError("nabla.diff: name the variable (the expression has "
                             f"{len(free)} symbols)")
        vars = (free[0],)
    zero = Expr(0)
    for name, order in _runs(vars):
        while order > 0 and not (e.is_number and e == zero):
            step = min(order, _LARGEST_ORDER)
            e = _nabla.diff(e, name, step)
            order -= step
    return e


def gradient_expr(e, vars=None):
    e = _expr(e)
    return _nabla.gradient(e, _names(vars, e))


def hessian_expr(e, vars=None):
    e = _expr(e)
    return _nabla.hessian(e, _names(vars, e))


def jacobian_expr(es, vars=None):
    """A list of expressions gives one row each; a single expression (or
    string, never read as a list of characters) gives one row."""
    es = [_expr(es)] if isinstance(es, (str, Expr)) else [_expr(e) for e in es]
    return _nabla.jacobian(es, _names(vars, es))


def simplify(e):
    return _nabla.simplify(_expr(e))


def evaluate(e, at=None, **values):
    """The value of e with its symbols bound: evaluate(e, {"x": 1}) or evaluate(e, x=1)."""
    bindings = dict(at or {})
    bindings.update(values)
    bindings = {_name(k): _checks.real(v, "evaluate", f"the value of {_name(k)}") for k, v in bindings.items()}
    if isinstance(e, (list, tuple)):
        return np.array([[evaluate(v, bindings) for v in row] if isinstance(row, (list, tuple))
                         else evaluate(row, bindings) for row in e], dtype=float)
    return _nabla.evaluate(_expr(e), bindings)


def latex(e):
    """LaTeX of an expression, a vector (a column) or a matrix of them."""
    if isinstance(e, (list, tuple)):
        rows = [row if isinstance(row, (list, tuple)) else [row] for row in e]
        body = r" \\ ".join(" & ".join(_nabla.to_latex(_expr(v)) for v in row) for row in rows)
        return r"\begin{pmatrix} " + body + r" \end{pmatrix}"
    return _nabla.to_latex(_expr(e))


def to_c(e):
    return _nabla.to_c(_expr(e))


class Compiled:
    """An expression compiled to a Program: call it on a point (1-D) or on
    many points (the rows of a 2-D array); gradient, hessian, jacobian too."""

    def __init__(self, e, vars=None):
        many = isinstance(e, (list, tuple))
        exprs = [_expr(v) for v in e] if many else _expr(e)
        self.vars = _names(vars, exprs)
        self.outputs = len(exprs) if many else 1
        self.program = _nabla.compile(exprs, self.vars)
        self._many = many

    def _point(self, x):
        x = np.ascontiguousarray(_checks.reals(x, "Compiled", "x"))
        if x.ndim == 0:
            x = x.reshape(1)
        if x.ndim != 1 or x.size != len(self.vars):
            raise ValueError(f"expected {len(self.vars)} values ({', '.join(self.vars)}), got shape {x.shape}")
        return x

    def __call__(self, x):
        x = _checks.reals(x, "Compiled", "x")
        if x.ndim == 2:
            y = self.program.value_rows(np.ascontiguousarray(x))
            return y if self._many else y[:, 0]
        y = self.program.values(self._point(x))
        return y if self._many else float(y[0])

    def gradient(self, x):
        return self.program.gradient(self._point(x))

    def hessian(self, x):
        return self.program.hessian(self._point(x))

    def jacobian(self, x):
        return self.program.jacobian(self._point(x))

    def __repr__(self):
        return f"<nabla.Compiled: {len(self.program)} instructions, inputs {self.vars}>"


def compile(e, vars=None):
    """Compile an expression (or a list) over vars (default: its symbols, sorted)."""
    return Compiled(e, vars)


def _reduce_expr(e):
    """Pickling and copying an Expr: its text, which parse reads back to the
    same (interned) expression; refused for the rare one whose text does not
    (an infinite coefficient prints as inf, which reads as a symbol)."""
    text = str(e)
    if _nabla.parse(text) != e:
        raise pickle.PicklingError(f"the expression {text!r} does not read back from its text")
    return _from_text, (text,)


def _from_text(text):
    """An unpickled Expr (a Python function: pickle cannot name the C++ parse)."""
    return _nabla.parse(text)


_nabla.Expr.__reduce__ = _reduce_expr
