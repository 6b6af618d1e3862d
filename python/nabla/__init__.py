"""nabla: exact and fast derivatives for machine learning.

Three independent ways to a derivative, each checking the others:

* transformations of Python functions (reverse and forward mode):
  ``grad``, ``value_and_grad``, ``jacobian``, ``hessian``, ``hvp``, ``jvp``, ``vjp``;
* symbolic expressions: ``parse``, ``symbols``, ``diff``, ``gradient``,
  ``hessian``, ``simplify``, ``evaluate``, ``latex``, ``compile``;
* numerical differences: ``nabla.numdiff``;

and what derivatives are for: ``minimize`` (gd ... lbfgs, SciPy-shaped
results), ``critical_points``, ``convexity``, ``plot`` and ``loss_plot`` (SVG).

Functions such as ``nabla.exp`` take floats, traced values, expressions and
NumPy arrays alike.
"""

from . import _nabla
from ._functions import FUNCTIONS as _FUNCTIONS
from . import _symbolic, _transforms, nn, numdiff
from ._nabla import (DimensionError, DomainError, Error, Expr, IoError, ParseError, Program,
                     Traced, e, parse, pi, symbol)
from ._symbolic import Compiled, compile, diff, evaluate, latex, rational, simplify, symbols, to_c
from ._transforms import grad, hvp, jvp, record, value_and_grad, vjp
from ._optimize import OptimizeResult, minimize
from ._analysis import SVG, convexity, critical_points, loss_plot, plot

globals().update(_FUNCTIONS)

__version__ = "0.1.0"


def _is_symbolic(obj):
    return isinstance(obj, (Expr, str)) or (
        isinstance(obj, (list, tuple)) and obj and all(isinstance(v, (Expr, str)) for v in obj))


def gradient(f, vars=None):
    """The gradient: of an expression (a list of expressions, one per
    variable) or of a Python function (then the same as ``grad(f)``)."""
    if _is_symbolic(f):
        return _symbolic.gradient_expr(f, vars)
    return _transforms.grad(f)


def hessian(f, vars=None):
    """The Hessian: of an expression (a matrix of expressions) or of a
    Python function (a function returning an (n, n) array)."""
    if _is_symbolic(f):
        return _symbolic.hessian_expr(f, vars)
    return _transforms.hessian(f)


def jacobian(f, vars=None):
    """The Jacobian: of a list of expressions (one row each; a single
    expression or string is one row), or of a Python function."""
    if _is_symbolic(f):
        return _symbolic.jacobian_expr(f, vars)
    return _transforms.jacobian(f)
