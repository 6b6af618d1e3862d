"""nabla.nn: models of nabla's C++ networks trained on NumPy arrays.

    model = nabla.nn.MLP([64], activation="relu")          # or Linear(), Logistic()
    model.fit(x_train, y_train, optimizer="adam", lr=1e-3, epochs=50, batch_size=32)
    model.predict(x_test); model.score(x_test, y_test); model.save("m.nbl")

Classification targets may be any values (they are encoded as 0..k-1 and
decoded by predict); the loss follows the model and the targets unless
given. Features are used as given (standardize them first if needed).
"""

import numpy as np

from . import _nabla
from ._optimize import _options

_BINARY_LOSSES = {"bce", "hinge", "squared_hinge", "smoothed_01"}


class Model:
    """A stack of dense layers: hidden widths, an activation, a loss."""

    def __init__(self, hidden=(64,), activation="relu", loss=None, seed=0, kind="mlp"):
        self.hidden = list(hidden)
        self.activation = activation if self.hidden else "identity"
        self.loss = loss
        self.seed = seed
        self.kind = kind
        self.classes_ = None
        self._model = None
        self.history_ = None

    def _loss_for(self, y):
        if self.loss:
            return self.loss
        if self.kind == "linear":
            return "mse"
        integral = np.all(np.equal(np.mod(y, 1), 0)) and len(np.unique(y)) <= 100
        return "cross_entropy" if self.kind == "logistic" or integral else "mse"

    def fit(self, x, y, optimizer="adam", lr=1e-3, epochs=50, batch_size=32, weight_decay=0.0, validation=0.0,
            patience=0, threads=1, **options):
        """Trains on rows x (n x d) and targets y (n); returns the history."""
        x = np.ascontiguousarray(np.asarray(x, dtype=float))
        y = np.asarray(y, dtype=float).reshape(-1)
        if x.ndim != 2 or x.shape[0] != y.size:
            raise ValueError(f"fit: x must be n x d and y n long, got {x.shape} and {y.shape}")
        loss = self._loss_for(y)
        labels = y
        if loss in _BINARY_LOSSES or loss == "cross_entropy":
            self.classes_, labels = np.unique(y, return_inverse=True)
            labels = labels.astype(float)
        outputs = 1 if loss not in ("cross_entropy",) else max(len(self.classes_), 2)
        widths = [x.shape[1]] + self.hidden + [outputs]
        self._model = _nabla.NnModel(widths, self.activation, loss, self.seed)
        opts = _options(optimizer, None, 1, None, False, dict(lr=lr, **options))
        self.history_ = self._model.train(x, labels, opts, epochs, batch_size, self.seed, weight_decay, validation,
                                          patience, threads)
        return self.history_

    def _require(self):
        if self._model is None:
            raise ValueError("the model is not trained yet (call fit)")

    def decision_function(self, x):
        self._require()
        return self._model.outputs(np.ascontiguousarray(np.asarray(x, dtype=float)))

    def predict(self, x):
        out = self.decision_function(x)
        if not self._model.classifies:
            return out[:, 0]
        labels = (out[:, 0] > 0).astype(int) if out.shape[1] == 1 else np.argmax(out, axis=1)
        return self.classes_[labels]

    def score(self, x, y):
        """Accuracy (classification) or R^2 (regression)."""
        y = np.asarray(y, dtype=float).reshape(-1)
        if self._model is not None and self._model.classifies:
            return float(np.mean(self.predict(x) == y))
        p = self.predict(x)
        return float(1 - np.sum((y - p) ** 2) / np.sum((y - np.mean(y)) ** 2))

    def feature_importance(self, x):
        """Per feature, the mean |x * d output / d x| (gradient x input)."""
        self._require()
        return self._model.feature_importance(np.asarray(x, dtype=float))

    def save(self, path):
        self._require()
        self._model.save(str(path), [] if self.classes_ is None else [float(c) for c in self.classes_])


def MLP(hidden=(64,), activation="relu", loss=None, seed=0):
    return Model(hidden, activation, loss, seed, "mlp")


def Linear(loss="mse", seed=0):
    return Model((), "identity", loss, seed, "linear")


def Logistic(loss=None, seed=0):
    return Model((), "identity", loss, seed, "logistic")


def load(path):
    """A model saved by Model.save or by `nabla train --save`."""
    inner, classes = _nabla.nn_load(str(path))
    m = Model(inner.widths[1:-1], "relu", inner.loss)
    m._model = inner
    m.classes_ = np.array(classes) if classes else None
    return m
