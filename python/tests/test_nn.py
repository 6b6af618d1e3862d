"""nabla.nn from NumPy arrays: a linear model reaching NumPy's least
squares, a classifier on the bundled iris data, checkpoints that round-trip,
and bad input."""

import pathlib

import numpy as np
import pytest

import nabla

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"


def iris():
    rows = np.loadtxt(DATA / "iris.csv", delimiter=",", skiprows=1)
    x, y = rows[:, :-1], rows[:, -1]
    return (x - x.mean(axis=0)) / x.std(axis=0), y


def test_linear_regression_reaches_least_squares(rng):
    x = rng.normal(size=(200, 3))
    y = x @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.01 * rng.normal(size=200)
    model = nabla.nn.Linear()
    model.fit(x, y, optimizer="lbfgs", epochs=200)
    design = np.hstack([x, np.ones((200, 1))])
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    np.testing.assert_allclose(model.predict(x), design @ coef, atol=1e-6)


def test_mlp_classifies_iris_and_round_trips(tmp_path):
    x, y = iris()
    model = nabla.nn.MLP([16], activation="tanh", seed=1)
    history = model.fit(x, y + 10, optimizer="adam", lr=0.01, epochs=150, batch_size=16)
    assert len(history["epochs"]) == 150
    assert model.score(x, y + 10) > 0.95
    assert set(np.unique(model.predict(x))) <= {10.0, 11.0, 12.0}
    model.save(tmp_path / "iris.nbl")
    again = nabla.nn.load(tmp_path / "iris.nbl")
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    assert model.feature_importance(x).shape == (4,)


def test_bad_input():
    with pytest.raises(ValueError, match="n x d"):
        nabla.nn.MLP().fit(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="not trained"):
        nabla.nn.MLP().predict(np.ones((2, 2)))
    with pytest.raises(ValueError):
        nabla.nn.MLP(activation="swish").fit(np.ones((4, 2)), np.array([0, 1, 0, 1]))
    with pytest.raises(OSError):
        nabla.nn.load("/nonexistent/model.nbl")
