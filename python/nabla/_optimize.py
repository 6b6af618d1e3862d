"""nabla.minimize: SciPy-shaped optimization over nabla's optimizers.

The gradient comes from AD unless ``jac`` is given. A function without
branches (or a symbolic expression) is recorded once and the whole run
happens in compiled code; a function whose recording has branches is traced
again at every point. The result is shaped like
``scipy.optimize.OptimizeResult``.
"""

import math

import numpy as np

from . import _checks, _nabla, _symbolic, _transforms

# SciPy's spellings of the methods nabla has.
_ALIASES = {"l-bfgs-b": "lbfgs", "sgd": "gd", "gradient_descent": "gd", "cg": None, "nelder-mead": None}

# Keyword -> Options field, with SciPy's and PyTorch's spellings too.
_OPTION_NAMES = {
    "lr": "learning_rate", "learning_rate": "learning_rate", "momentum": "momentum",
    "beta1": "beta1", "beta2": "beta2", "betas": None, "eps": "epsilon", "epsilon": "epsilon",
    "weight_decay": "weight_decay", "rmsprop_decay": "rmsprop_decay",
    "max_iter": "max_iterations", "maxiter": "max_iterations", "max_iterations": "max_iterations",
    "max_evaluations": "max_evaluations", "maxfun": "max_evaluations",
    "gtol": "gradient_tolerance", "gradient_tolerance": "gradient_tolerance",
    "ftol": "f_tolerance", "f_tolerance": "f_tolerance", "xtol": "x_tolerance", "x_tolerance": "x_tolerance",
    "time_limit": "time_limit_seconds", "clip_norm": "clip_norm", "clip_value": "clip_value",
    "memory": "lbfgs_memory", "lbfgs_memory": "lbfgs_memory",
    "schedule_gamma": "schedule_gamma", "schedule_step_size": "schedule_step_size",
    "schedule_period": "schedule_period", "min_learning_rate": "min_learning_rate",
}

_FIRST_ORDER = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")
_FULL_BATCH = ("newton", "bfgs", "lbfgs")

# The methods that read an option (by its Options field, or its keyword when
# it has none); an option missing here is read by every method. Any other
# would be accepted and silently ignored (lr by L-BFGS, momentum by Adam).
_READERS = {
    **dict.fromkeys(("learning_rate", "weight_decay", "clip_norm", "clip_value", "schedule", "schedule_gamma",
                     "schedule_step_size", "schedule_period", "min_learning_rate"), _FIRST_ORDER),
    "momentum": ("momentum", "nesterov"),
    **dict.fromkeys(("beta1", "beta2", "betas"), ("adam", "adamw")),
    "rmsprop_decay": ("rmsprop",),
    "epsilon": ("adagrad", "rmsprop", "adam", "adamw"),
    "line_search": _FULL_BATCH,
    "lbfgs_memory": ("lbfgs",),
}

# The schedules that read a schedule's option; with another it has no effect.
_SCHEDULE_READERS = {"schedule_gamma": ("step", "exponential"), "schedule_step_size": ("step",),
                     "schedule_period": ("cosine",), "min_learning_rate": ("cosine",)}

_SUCCESS = {"gradient_small", "f_stalled", "step_small"}


class OptimizeResult(dict):
    """The result of nabla.minimize: a dict whose keys are also attributes
    (x, fun, jac, nit, nfev, njev, success, status, message, stop_reason,
    and trace when asked for)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self):
        keys = ["message", "success", "status", "fun", "x", "nit", "nfev", "njev", "jac"]
        return "\n".join(f"{k:>8}: {self[k]!r}" for k in keys if k in self)


def _method_name(method, who):
    """nabla's name of a method given in any of its spellings."""
    name = "lbfgs" if method is None else str(method).lower()
    name = _ALIASES.get(name, name)
    if name is None:
        raise ValueError(f"{who}: method {method!r} is not available; use one of {', '.join(_FIRST_ORDER)}, "
                         f"{', '.join(_FULL_BATCH)}")
    _nabla.Options().method = name  # refuses a misspelling, naming the closest method
    return name


def _reads(name, key):
    """Whether method `name` reads the option given as `key`."""
    field = _OPTION_NAMES.get(key) or key
    return name in _READERS.get(field, (name,))


def _unread(names, keys):
    """The first option key that none of the methods reads, and why, or None."""
    for key in keys:
        if not any(_reads(name, key) for name in names):
            field = _OPTION_NAMES.get(key) or key
            return key, f"only {', '.join(_READERS[field])} read it"
    return None


def _options(method, bounds, n, callback, trace, kwargs, who="nabla.minimize", role="method"):
    """The C++ Options of a method and its keyword options; an option the
    method would ignore is refused, naming the methods that read it."""
    options = _nabla.Options()
    name = _method_name(method, who)
    options.method = name
    unread = _unread([name], kwargs)
    if unread is not None:
        raise ValueError(f"{who}: {unread[0]} has no effect with {role} {name!r}: {unread[1]}")
    spelt = {}  # lr and learning_rate, or betas and beta1: the last one given won, unsaid
    for key in kwargs:
        for field in ("beta1", "beta2") if key == "betas" else (_OPTION_NAMES.get(key),):
            if field is not None and spelt.setdefault(field, key) != key:
                raise ValueError(f"{who}: {spelt[field]} and {key} both set {field}; give one of them")
    schedule = kwargs.get("schedule", "none")
    for key in kwargs:
        readers = _SCHEDULE_READERS.get(_OPTION_NAMES.get(key))
        if readers is not None and schedule not in readers:
            raise ValueError(f"{who}: {key} has no effect with schedule={schedule!r}: only "
                             f"{' and '.join(repr(r) for r in readers)} read it")
    for key, value in kwargs.items():
        if key == "betas":
            if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
                raise TypeError(f"{who}: betas must be a pair (beta1, beta2), not {value!r}")
            options.beta1, options.beta2 = (_checks.real(b, who, "betas") for b in value)
            continue
        if key in ("schedule", "line_search"):
            kind = _nabla.Schedule if key == "schedule" else _nabla.LineSearch
            known = list(kind.__members__)
            if value not in known:
                raise ValueError(f"{who}: {key}={value!r} is not one of {', '.join(known)}")
            setattr(options, key, getattr(kind, value))
            continue
        field = _OPTION_NAMES.get(key)
        if field is None:
            raise TypeError(f"{who}: unknown option {key!r}")
        # The field's type (C++ long or double) says what the option takes;
        # every integer option is a count (max_iter=-1 was refused in the C++
        # names, "max_iterations and max_evaluations must be >= 0").
        if isinstance(getattr(options, field), int):
            setattr(options, field, _checks.integer(value, who, key, lo=0))
        else:
            setattr(options, field, _checks.real(value, who, key))
    if bounds is not None:
        options.lower, options.upper = _bounds(bounds, n)
    options.keep_trace = bool(trace)
    if callback is not None:
        # As in SciPy, after each iteration: x0 (iteration 0) is not one.
        options.callback = lambda it: it.iteration == 0 or _keep_going(callback(np.array(it.x)))
    return options


def _keep_going(answer):
    """A callback's answer: None continues, a boolean (Python's, NumPy's or a
    one-element bool array) continues when true and stops when false."""
    if answer is None:
        return True
    if isinstance(answer, (bool, np.bool_)) or (isinstance(answer, np.ndarray) and answer.dtype == bool
                                                and answer.size == 1):
        return bool(answer)
    raise TypeError(f"nabla.minimize: callback must return None (continue) or a bool (False stops), "
                    f"not {type(answer).__name__} {answer!r}")


def _bounds(bounds, n):
    """Lower and upper arrays from [(lo, hi), ...] (None: unbounded) or an
    object with .lb and .ub such as scipy.optimize.Bounds."""
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        lo = np.broadcast_to(np.asarray(bounds.lb, dtype=float), (n,))
        hi = np.broadcast_to(np.asarray(bounds.ub, dtype=float), (n,))
        return np.array(lo), np.array(hi)
    bounds = list(bounds)
    if len(bounds) != n:
        raise ValueError(f"nabla.minimize: {len(bounds)} bounds for {n} variables")
    lo, hi = [], []
    for b in bounds:
        if len(b) != 2:
            raise ValueError(f"nabla.minimize: a bound is a pair (lo, hi), not {b!r}")
        lo.append(-math.inf if b[0] is None else float(b[0]))
        hi.append(math.inf if b[1] is None else float(b[1]))
    return np.array(lo), np.array(hi)


def _with_args(f, args):
    return lambda x: f(x, *args)


def _scalar(value, what):
    """value as a float, or a clear error."""
    array = _checks.as_reals(value)
    if array is None or array.size != 1:
        raise ValueError(f"nabla.minimize: {what} must return a scalar, not {value!r}")
    return float(array.reshape(()))


def _shaped(value, shape, what):
    """value as a float array of this shape, or a clear error."""
    array = _checks.as_reals(value)
    if array is None or array.shape != shape:
        got = f"{type(value).__name__} {value!r}" if array is None else f"shape {array.shape}"
        raise ValueError(f"nabla.minimize: {what} must return an array of shape {shape}, not {got}")
    return np.ascontiguousarray(array)


def _program_of(fun, x0):
    """fun recorded once, if that is safe to replay (no branches), else None."""
    if isinstance(fun, (_nabla.Expr, str)):
        return None
    program = _transforms.record(fun, x0)
    if program.outputs != 1:
        raise ValueError("nabla.minimize: fun must return a scalar")
    return None if program.has_guards else program


def minimize(fun, x0, args=(), method="lbfgs", jac=None, hess=None, bounds=None, tol=None, callback=None,
             trace=False, **options):
    """Minimizes fun from x0.

    fun: a Python function of a 1-D array (traced: use nabla's functions) or an
    expression / string (its variables in alphabetical order, or ``vars=[...]``).
    method: gd, momentum, nesterov, adagrad, rmsprop, adam, adamw, newton, bfgs,
    lbfgs (also "L-BFGS-B", "BFGS", "Newton"). args: extra arguments of fun,
    jac and hess, as in SciPy. tol: the gradient tolerance, unless gtol is
    given. jac: a gradient function, or
    True when fun returns (f, gradient); default AD. hess: a Hessian function
    (Newton; default AD). bounds: [(lo, hi), ...] with None for no bound.
    callback(x) is called after each iteration: returning False (or
    np.False_) stops the run, None or True continues, any other value is a
    TypeError. Options: lr, momentum, betas,
    eps, weight_decay, max_iter, gtol, ftol, xtol, time_limit, clip_norm,
    clip_value, memory, schedule ("step", "exponential", "cosine"), line_search;
    one the method does not read (lr with lbfgs) is a ValueError.
    weight_decay (but adamw's) makes the run minimize fun + weight_decay
    |x|^2 / 2: the result's fun, the trace and the stopping tests are of that
    function (jac is fun's gradient).
    """
    names = options.pop("vars", None)
    if tol is not None:
        options.setdefault("gtol", tol)
    if jac is False:  # SciPy's spelling of "no gradient function": here AD gives it
        jac = None
    if isinstance(jac, str):
        raise ValueError(f"nabla.minimize: jac={jac!r}: nabla differentiates fun exactly (AD); give a gradient "
                         "function, True, or nothing")
    if args is not None and not isinstance(args, tuple):
        args = (args,)  # as SciPy: a single extra argument
    if args:
        if isinstance(fun, (_nabla.Expr, str)):
            raise ValueError("nabla.minimize: args are for a Python function, not an expression")
        args = tuple(args)
        fun = _with_args(fun, args)
        jac = jac if jac is None or jac is True else _with_args(jac, args)
        hess = hess if hess is None else _with_args(hess, args)
    x0 = _transforms._as_input(x0, "nabla.minimize", "x0")[0]  # real numbers: "1.0" is no number
    opts = _options(method, bounds, x0.size, callback, trace, options)
    if hess is not None and opts.method != "newton":
        raise ValueError(f"nabla.minimize: hess has no effect with method {opts.method!r}: only newton reads it")
    if names is not None and not isinstance(fun, (_nabla.Expr, str)):
        raise ValueError("nabla.minimize: vars names an expression's variables; a Python function takes x as "
                         "one array, in x0's order")
    if isinstance(fun, (_nabla.Expr, str)):
        if jac is not None or hess is not None:
            raise ValueError("nabla.minimize: an expression's jac and hess come from the expression; "
                             "give fun as a Python function to supply your own")
        compiled = _symbolic.Compiled(fun, names)
        if len(compiled.vars) != x0.size:
            raise ValueError(f"nabla.minimize: x0 has {x0.size} entries for the variables {compiled.vars}")
        program = compiled.program
    elif jac is None and hess is None:
        program = _program_of(fun, x0)
    else:
        program = None
    if program is not None:
        result = _nabla.minimize_program(program, x0, opts)
        gradient = program.gradient(result.x)
    else:
        n = x0.size
        if jac is None:
            value_and_grad = _transforms.value_and_grad(fun)
        elif jac is True:
            def value_and_grad(x):
                pair = fun(x)  # the user's own errors propagate as they are
                try:
                    value, grad = pair
                except (TypeError, ValueError):
                    raise ValueError("nabla.minimize: with jac=True, fun must return (f, gradient), "
                                     f"not {type(pair).__name__}") from None
                return _scalar(value, "fun"), _shaped(grad, (n,), "the gradient fun returns")
        else:
            value_and_grad = lambda x: (_scalar(fun(x), "fun"), _shaped(jac(x), (n,), "jac"))
        if hess is None and opts.method == "newton":
            if jac is True:
                raise ValueError("nabla.minimize: newton with jac=True needs hess (fun returns a pair, "
                                 "which nabla cannot differentiate twice)")
            hess = _transforms.hessian(fun)
        elif hess is not None:
            user_hess = hess
            hess = lambda x: _shaped(user_hess(x), (n, n), "hess")
        result = _nabla.minimize_callable(value_and_grad, hess, x0, opts)
        gradient = np.asarray(value_and_grad(result.x)[1], dtype=float)
    out = OptimizeResult(x=np.array(result.x), fun=result.f, jac=gradient, nit=result.iterations,
                         nfev=result.function_evaluations, njev=result.gradient_evaluations,
                         success=result.stop_reason in _SUCCESS, status=result.status, message=result.message,
                         stop_reason=result.stop_reason, method=opts.method)
    if trace:
        out["trace"] = [dict(iteration=it.iteration, x=np.array(it.x), f=it.f, gradient_norm=it.gradient_norm,
                             step=it.step) for it in result.trace]
    return out
