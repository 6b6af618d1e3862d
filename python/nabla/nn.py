"""nabla.nn: models of nabla's C++ networks trained on NumPy arrays.

    model = nabla.nn.MLP([64], activation="relu")          # or Linear(), Logistic()
    model.fit(x_train, y_train, optimizer="adam", lr=1e-3, epochs=50, batch_size=32)
    model.predict(x_test); model.score(x_test, y_test); model.save("m.nbl")

Classification targets may be any values, numbers or strings (they are
encoded as 0..k-1 and decoded by predict; a checkpoint stores numeric ones
only, and load gives whole-number labels back as integers) of at least two classes (fit refuses one, as scikit-learn's
classifiers do); the loss follows the model and the targets unless given. Features are
used as given (standardize them first if needed); a model loaded from
`nabla train --save` applies the standardization it was trained with.
A target that is NaN (or None) is refused, naming its row.

A first-order optimizer (gd ... adamw) steps once per batch for `epochs`
epochs and refuses the options of the full-batch methods (max_iter, gtol,
ftol, xtol, time_limit, max_evaluations, line_search, memory), which would
have no effect; lbfgs, bfgs and newton minimize the full-batch loss and take
them (memory: lbfgs only), and refuse lr, batch_size and the other options
of the first-order methods. A run whose loss blows up returns a history with
``diverged`` True and warns; as `nabla train` saves nothing then, the model
refuses to predict or save until a fit that does not diverge.
"""

import numbers
import warnings

import numpy as np

from . import _checks, _nabla
from ._optimize import _FULL_BATCH, _OPTION_NAMES, _method_name, _options

_BINARY_LOSSES = {"bce", "hinge", "squared_hinge", "smoothed_01"}
_CLASSIFICATION_LOSSES = _BINARY_LOSSES | {"cross_entropy"}

# Stopping rules that minimize reads for every method, but that training
# by epochs does not: a first-order optimizer runs for `epochs` epochs.
_FULL_BATCH_FIELDS = {"max_iterations", "max_evaluations", "gradient_tolerance", "f_tolerance", "x_tolerance",
                      "time_limit_seconds"}


def _without_effect(opts, options):
    """The first stopping rule given to fit that a first-order optimizer would
    ignore, or None (_options refuses what the method never reads)."""
    for key in options:
        if opts.first_order and _OPTION_NAMES.get(key) in _FULL_BATCH_FIELDS:
            return key, (f"it steps once per batch for `epochs` epochs; {key} is an option of the "
                         "full-batch methods (lbfgs, bfgs, newton)")
    return None


def _missing_targets(y):
    """The rows whose target is NaN (or None): a row without a label."""
    if y.dtype.kind in "fc":
        return np.flatnonzero(np.isnan(y))
    if y.dtype == object:
        return np.flatnonzero([v is None or (isinstance(v, numbers.Number) and v != v) for v in y])
    return np.array([], dtype=int)


class Model:
    """A stack of dense layers: hidden widths, an activation, a loss."""

    def __init__(self, hidden=(64,), activation="relu", loss=None, seed=0, kind="mlp"):
        self.hidden = [_checks.integer(w, "nn.Model", "a hidden width") for w in hidden]
        self.activation = activation if self.hidden else "identity"
        self.loss = loss
        self.seed = _checks.integer(seed, "nn.Model", "seed", 0, 2**64 - 1)
        self.kind = kind
        self.classes_ = None
        self._model = None
        self.history_ = None
        self._diverged = None  # the stop reason of a fit that diverged

    def _loss_for(self, y):
        numeric = np.issubdtype(y.dtype, np.number) or y.dtype == bool
        if self.loss:
            if not numeric and self.loss not in _CLASSIFICATION_LOSSES:
                raise ValueError(f"fit: targets that are not numbers need a classification loss, not {self.loss!r}")
            return self.loss
        if not numeric:
            return "cross_entropy"
        if self.kind == "linear":
            return "mse"
        y = y.astype(float)
        integral = np.all(np.equal(np.mod(y, 1), 0)) and len(np.unique(y)) <= 100
        return "cross_entropy" if self.kind == "logistic" or integral else "mse"

    def fit(self, x, y, optimizer="adam", lr=None, epochs=None, batch_size=None, weight_decay=0.0, validation=0.0,
            patience=0, threads=1, **options):
        """Trains on rows x (n x d) and targets y (n); returns the history, a
        dict: "epochs" (each epoch's report; beyond 10000 epochs, evenly
        spaced ones, the last and the best always), "epochs_run",
        "best_epoch", "stop_reason", the losses and flags, and
        "gradient_flags" (each layer whose gradient norm was vanishing or
        exploding in any epoch, at the first such epoch).
        lr (default 1e-3) and batch_size (default 32) are for the first-order
        optimizers; lbfgs, bfgs and newton refuse them. epochs defaults to 50;
        for lbfgs, bfgs and newton it is the iteration limit (as `nabla train
        --epochs`), which max_iter may give instead (with both, the smaller)."""
        x = np.ascontiguousarray(_checks.reals(x, "fit", "x"))
        y_given = np.asarray(y)
        y = y_given.reshape(-1)
        if x.ndim != 2 or x.shape[0] != y.size:  # (the shape given: a 40 x 2 y was "(80,)")
            raise ValueError(f"fit: x must be n x d and y n long, got {x.shape} and {y_given.shape}")
        if batch_size is not None and _method_name(optimizer, "fit") in _FULL_BATCH:
            raise ValueError(f"fit: batch_size has no effect with optimizer {optimizer!r}, which minimizes the "
                             "full-batch loss")
        int32 = (-2**31, 2**31 - 1)  # patience and threads are C++ ints
        epochs_given = epochs is not None
        epochs, batch_size, patience, threads = (_checks.integer(v, "fit", name, *limits) for v, name, limits in (
            (50 if epochs is None else epochs, "epochs", ()),
            (32 if batch_size is None else batch_size, "batch_size", ()),
            (patience, "patience", int32), (threads, "threads", int32)))
        weight_decay = _checks.real(weight_decay, "fit", "weight_decay")
        validation = _checks.real(validation, "fit", "validation")
        if patience < 0:
            raise ValueError(f"fit: patience must be 0 or more, not {patience}")
        missing = _missing_targets(y)
        if missing.size:
            more = f" (and {missing.size - 1} more rows)" if missing.size > 1 else ""
            raise _nabla.DomainError(f"fit: the target of row {missing[0] + 1} (counted from 1) is "
                                     f"{y[missing[0]]}{more}; drop or fill the rows without a target")
        given = options if lr is None else dict(lr=lr, **options)
        opts = _options(optimizer, None, 1, None, False, given, "fit", "optimizer")
        if lr is None and opts.first_order:
            opts.learning_rate = 1e-3
        ignored = _without_effect(opts, options)
        if ignored is not None:
            raise ValueError(f"fit: {ignored[0]} has no effect with optimizer {optimizer!r}: {ignored[1]}")
        if not opts.first_order:
            # The iteration limit is epochs or max_iter, the smaller of the
            # two given (each alone was capped by the other's default, 1000
            # or 50, unsaid)
            if any(_OPTION_NAMES.get(key) == "max_iterations" for key in options):
                epochs = min(epochs, opts.max_iterations) if epochs_given else opts.max_iterations
            opts.max_iterations = epochs
        loss = self._loss_for(y)
        if loss in _CLASSIFICATION_LOSSES:
            classes, labels = np.unique(y, return_inverse=True)  # the classes keep their type
            if len(classes) < 2:
                raise ValueError(f"fit: a classifier needs at least two classes, the targets have only "
                                 f"{classes.tolist()} (for a regression on them, give loss='mse')")
            if loss in _BINARY_LOSSES and len(classes) > 2:
                raise ValueError(f"fit: loss {loss!r} takes two classes; the targets have {len(classes)} "
                                 "(cross_entropy takes any number)")
            self.classes_, labels = classes, labels.astype(float)
        else:
            # a regression has no classes, whatever an earlier fit had
            self.classes_, labels = None, y.astype(float)
        outputs = 1 if loss not in ("cross_entropy",) else max(len(self.classes_), 2)
        widths = [x.shape[1]] + self.hidden + [outputs]
        self._model = _nabla.NnModel(widths, self.activation, loss, self.seed)
        self.history_ = self._model.train(x, labels, opts, epochs, batch_size, self.seed, weight_decay, validation,
                                          patience, threads)
        self._diverged = self.history_["stop_reason"] if self.history_["diverged"] else None
        if self._diverged:
            warnings.warn(f"fit: the training diverged ({self._diverged}); the model is not usable",
                          RuntimeWarning, stacklevel=2)
        return self.history_

    def _require(self):
        if self._model is None:
            raise ValueError("the model is not trained yet (call fit)")
        if self._diverged:
            raise ValueError(f"the training diverged ({self._diverged}); its parameters are not a model: "
                             "fit again")

    def decision_function(self, x):
        self._require()
        return self._model.outputs(np.ascontiguousarray(_checks.reals(x, "predict", "x")))

    def predict(self, x):
        out = self.decision_function(x)
        if not self._model.classifies:
            return out[:, 0]
        labels = (out[:, 0] > 0).astype(int) if out.shape[1] == 1 else np.argmax(out, axis=1)
        classes = self.classes_[labels]
        # A row with a NaN output has no class (as nn::predicted_classes): NaN,
        # or None for classes that are not numbers; it equals no label, so
        # score never counts it right (NaN > 0 is False and was class 0).
        none = np.isnan(out).any(axis=1)
        if not none.any():
            return classes
        numeric = np.issubdtype(classes.dtype, np.number) or classes.dtype == bool
        classes = classes.astype(float if numeric else object)
        classes[none] = np.nan if numeric else None
        return classes

    def score(self, x, y):
        """Accuracy (classification) or R^2 (regression; for constant targets,
        as scikit-learn: 1 when the predictions are exact, else 0)."""
        self._require()
        x = _checks.reals(x, "score", "x")
        y_given = np.asarray(y)
        y = y_given.reshape(-1)
        if x.ndim != 2 or x.shape[0] != y.size:
            raise ValueError(f"score: x must be n x d and y n long, got {x.shape} and {y_given.shape}")
        if y.size == 0:  # (the mean of no rows was nan, with NumPy's warnings)
            raise ValueError("score: x and y have no rows to score")
        if self._model.classifies:
            return float(np.mean(self.predict(x) == y))
        y = y.astype(float)
        p = self.predict(x)
        if y.size and np.all(y == y[0]):  # constant, whatever the rounding of its mean
            return 1.0 if np.all(p == y) else 0.0
        residual, spread = np.sum((y - p) ** 2), np.sum((y - np.mean(y)) ** 2)
        return float(1 - residual / spread)

    def feature_importance(self, x):
        """Per feature, the mean |x * d output / d x| (gradient x input)."""
        self._require()
        return self._model.feature_importance(np.ascontiguousarray(_checks.reals(x, "feature_importance", "x")))

    def save(self, path):
        self._require()
        classes = self.classes_
        if classes is not None and not (np.issubdtype(classes.dtype, np.number) or classes.dtype == bool):
            raise ValueError("save: a checkpoint stores numeric class labels only, and these are "
                             f"{classes.dtype} (encode them as numbers first)")
        stored = [] if classes is None else [float(c) for c in classes]
        if classes is not None and np.issubdtype(classes.dtype, np.integer):
            for label, value in zip(classes.tolist(), stored):
                if int(value) != label:
                    raise ValueError(f"save: the class label {label} would come back as {int(value)}: a "
                                     "checkpoint stores labels as doubles, exact up to 2^53 (encode them as small "
                                     "integers)")
        self._model.save(str(path), stored)


def MLP(hidden=(64,), activation="relu", loss=None, seed=0):
    return Model(hidden, activation, loss, seed, "mlp")


def Linear(loss="mse", seed=0):
    return Model((), "identity", loss, seed, "linear")


def Logistic(loss=None, seed=0):
    return Model((), "identity", loss, seed, "logistic")


def load(path):
    """A model saved by Model.save or by `nabla train --save`. Class labels
    that are whole numbers are restored as integers (np.int64), others as
    floats (a checkpoint stores them as doubles; booleans come back as 0/1)."""
    inner, classes = _nabla.nn_load(str(path))
    if inner.classifies:
        # a checkpoint may name fewer classes than the outputs tell apart (C++'s
        # make_checkpoint names none by default): the others are their
        # indices, the labels `nabla predict` gives them
        count = 2 if inner.widths[-1] == 1 else inner.widths[-1]
        classes = list(classes) + list(range(len(classes), count))
    m = Model(inner.widths[1:-1], inner.activation, inner.loss)
    m._model = inner
    m.classes_ = _restored_classes(classes)
    return m


def _restored_classes(values):
    """A checkpoint's class values (stored as doubles) as labels: whole numbers
    come back as integers, so names[model.predict(x)] works after a load as it
    did before the save."""
    if not values:
        return None
    classes = np.array(values, dtype=float)
    whole = np.all(np.isfinite(classes)) and np.all(classes == np.round(classes)) and np.all(
        np.abs(classes) <= 2.0**53)
    return classes.astype(np.int64) if whole else classes
