"""nabla.nn from NumPy arrays: a linear model reaching NumPy's least
squares, a classifier on the bundled iris data, checkpoints that round-trip,
and bad input."""

import os
import pathlib
import subprocess

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
    assert len(history["epochs"]) == 150 and history["epochs_run"] == 150
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


def test_labels_keep_their_type_and_checkpoints_their_meaning(tmp_path):
    x, y = iris()
    names = np.array(["setosa", "versicolor", "virginica"])[y.astype(int)]
    model = nabla.nn.Logistic()
    model.fit(x, names, lr=0.05, epochs=50)
    assert set(model.predict(x)) <= set(names) and model.score(x, names) > 0.8
    with pytest.raises(ValueError, match="numeric class labels"):
        model.save(tmp_path / "names.nbl")
    ints = nabla.nn.Logistic()
    ints.fit(x, y.astype(int) + 5, epochs=5)
    assert ints.predict(x).dtype.kind == "i"
    mlp = nabla.nn.MLP([4], activation="tanh")
    mlp.fit(x, x[:, 0], epochs=1)
    mlp.save(tmp_path / "tanh.nbl")
    assert nabla.nn.load(tmp_path / "tanh.nbl").activation == "tanh"
    with pytest.raises(ValueError, match="patience"):
        mlp.fit(x, x[:, 0], patience=-1)
    constant = nabla.nn.Linear()
    constant.fit(x, np.ones(len(x)), epochs=1)
    assert constant.score(x, np.ones(len(x))) in (0.0, 1.0)  # as scikit-learn, never -inf
    # 0.1 repeated: the mean rounds, so the spread was 1e-33, not 0, and the
    # score about -1e31.
    tenths = np.full(len(x), 0.1)
    assert np.sum((tenths - np.mean(tenths)) ** 2) > 0
    assert constant.score(x, tenths) in (0.0, 1.0)


def test_a_model_saved_by_the_command_line_standardizes_its_inputs(tmp_path):
    # `nabla train` standardizes the features and keeps the statistics in the
    # checkpoint: nabla.nn.load must apply them, or its predictions on raw
    # features are those of another function.
    cli = os.environ.get("NABLA_CLI")
    if not cli:
        pytest.skip("NABLA_CLI does not name the nabla program")
    model = tmp_path / "diabetes.nbl"
    subprocess.run([cli, "train", str(DATA / "diabetes.csv"), "--model", "linear", "--epochs", "3",
                    "--save", str(model)], check=True, capture_output=True)
    printed = subprocess.run([cli, "predict", str(model), str(DATA / "diabetes.csv")], check=True,
                             capture_output=True, text=True).stdout.split()
    rows = np.loadtxt(DATA / "diabetes.csv", delimiter=",", skiprows=1)
    np.testing.assert_allclose(nabla.nn.load(model).predict(rows[:, :-1]), np.array(printed, dtype=float),
                               rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("loss", [None, "bce", "cross_entropy"])
def test_a_classifier_refuses_a_single_class(loss, rng):
    x = rng.normal(size=(20, 2))
    with pytest.raises(ValueError, match=r"at least two classes, the targets have only \[1\]"):
        nabla.nn.MLP([4], loss=loss).fit(x, np.ones(20, dtype=int), epochs=1)
    with pytest.raises(ValueError, match=r"only \['spam'\]"):
        nabla.nn.Logistic().fit(x, np.array(["spam"] * 20), epochs=1)


def test_score_refuses_targets_of_another_length(rng):
    x = rng.normal(size=(40, 3))
    classifier = nabla.nn.MLP([4])
    classifier.fit(x, (x[:, 0] > 0).astype(int), epochs=2)
    regressor = nabla.nn.Linear()
    regressor.fit(x, x[:, 0], epochs=2)
    for model, y in ((classifier, np.ones(10)), (regressor, np.ones(1)), (regressor, np.ones(41))):
        with pytest.raises(ValueError, match=r"score: x must be n x d and y n long, got \(40, 3\)"):
            model.score(x, y)
    with pytest.raises(ValueError, match="not trained"):
        nabla.nn.MLP().score(x, np.ones(40))


def test_integer_labels_stay_integers_through_a_checkpoint(tmp_path, rng):
    x = rng.normal(size=(40, 3))
    y = (x[:, 0] > 0).astype(int)
    model = nabla.nn.MLP([4])
    model.fit(x, y, epochs=2)
    model.save(tmp_path / "m.nbl")
    again = nabla.nn.load(tmp_path / "m.nbl")
    assert again.predict(x).dtype.kind == "i" and again.classes_.dtype.kind == "i"
    names = np.array(["neg", "pos"])
    np.testing.assert_array_equal(names[again.predict(x)], names[model.predict(x)])
    fractional = nabla.nn.MLP([4], loss="cross_entropy")
    fractional.fit(x, np.where(y == 1, 0.5, 1.5), epochs=2)
    fractional.save(tmp_path / "f.nbl")
    assert nabla.nn.load(tmp_path / "f.nbl").classes_.tolist() == [0.5, 1.5]


def test_a_checkpoint_naming_no_classes_predicts_their_indices(tmp_path, rng):
    # C++'s make_checkpoint names no class values unless given them; load
    # took the model, and predict failed on the missing labels
    x = rng.normal(size=(60, 3))
    y = np.digitize(x[:, 0], [-0.5, 0.5]) + 10  # classes 10, 11, 12
    model = nabla.nn.MLP([4], loss="cross_entropy")
    model.fit(x, y, epochs=3)
    model._model.save(str(tmp_path / "bare.nbl"), [])
    again = nabla.nn.load(tmp_path / "bare.nbl")
    assert again.classes_.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(again.predict(x) + 10, model.predict(x))
    model._model.save(str(tmp_path / "part.nbl"), [10.0])  # one named, the others by index
    assert nabla.nn.load(tmp_path / "part.nbl").classes_.tolist() == [10, 1, 2]


@pytest.mark.parametrize("hidden", [(), (4,)])
def test_a_nan_output_predicts_no_class_and_is_never_correct(hidden):
    # As nn::predicted_classes: a row whose output is NaN has no class (it
    # was class 0, NaN > 0 being False) and score never counts it right.
    x, y = np.arange(6.0)[:, None], np.array([0, 0, 0, 1, 1, 1])
    m = nabla.nn.Logistic() if not hidden else nabla.nn.MLP(hidden=hidden, loss="cross_entropy")
    m.fit(x, y, epochs=5)
    p = m.predict(np.array([[np.nan], [5.0]]))
    assert np.isnan(p[0]) and p[1] in (0, 1)
    assert m.score(np.array([[np.nan]]), np.array([0])) == 0.0
    assert m.score(np.array([[np.nan]]), np.array([1])) == 0.0
    named = nabla.nn.Logistic()
    named.fit(x, np.array(["a", "a", "a", "b", "b", "b"]), epochs=5)
    assert named.predict(np.array([[np.nan]]))[0] is None
    assert named.score(np.array([[np.nan]]), np.array(["a"])) == 0.0


def separable(rng, n=200):
    x = rng.normal(size=(n, 2))
    return x, (x[:, 0] > 0).astype(float)


@pytest.mark.parametrize("make", [lambda: nabla.nn.Logistic(), lambda: nabla.nn.MLP([4], loss="cross_entropy"),
                                  lambda: nabla.nn.Logistic(loss="bce"), lambda: nabla.nn.Linear()])
def test_a_nan_target_is_refused_naming_its_row(make, rng):
    # Logistic made NaN a class of its own: classes_ [0, 1, nan], a 3-class softmax
    x, y = separable(rng)
    y[[7, 11, 12]] = np.nan
    # rows are counted from 1, as every other message counts them (index 7
    # was "row 7" here and "row 8" for an infinite target)
    with pytest.raises(nabla.DomainError, match=r"row 8 \(counted from 1\) is nan \(and 2 more rows\)"):
        make().fit(x, y, lr=0.05, epochs=2)
    labels = np.array(["a", "b"] * 100, dtype=object)
    labels[3] = None
    with pytest.raises(nabla.DomainError, match=r"row 4 \(counted from 1\) is None"):
        nabla.nn.Logistic().fit(x, labels, epochs=2)


@pytest.mark.parametrize("loss", ["bce", "hinge", "squared_hinge", "smoothed_01"])
def test_a_binary_loss_refuses_a_third_class(loss, rng):
    # the classes became labels 0, 1, 2 and the C++ check named a target 2
    # the user never gave ("target 2.000000 in row 3 ... is not a label 0 or 1")
    x = rng.normal(size=(30, 2))
    with pytest.raises(ValueError, match=f"loss '{loss}' takes two classes; the targets have 3"):
        nabla.nn.Logistic(loss=loss).fit(x, [5, 7, 9] * 10, epochs=1)
    with pytest.raises(ValueError, match="takes two classes; the targets have 3"):
        nabla.nn.Logistic(loss=loss).fit(x, ["a", "b", "c"] * 10, epochs=1)


def test_a_classifier_without_nan_targets_keeps_two_classes(rng):
    x, y = separable(rng)
    m = nabla.nn.Logistic()
    m.fit(x, y, lr=0.05, epochs=50)
    assert m.classes_.tolist() == [0.0, 1.0]
    assert m.score(x, y) > 0.95  # the classes are split by x0 > 0


@pytest.mark.parametrize("option", [dict(max_iter=1), dict(maxiter=1), dict(gtol=1e10), dict(ftol=1e10),
                                    dict(xtol=1e10), dict(time_limit=1e-9), dict(max_evaluations=1),
                                    dict(line_search="armijo"), dict(memory=1)])
def test_first_order_training_refuses_the_options_it_would_ignore(option, rng):
    # each was accepted and ignored: 30 epochs, the baseline's loss
    x, y = separable(rng)
    name = next(iter(option))
    with pytest.raises(ValueError, match=f"fit: {name} has no effect with optimizer 'adam'"):
        nabla.nn.Linear().fit(x, y, optimizer="adam", lr=0.01, epochs=30, **option)


def test_full_batch_training_takes_its_options(rng):
    x = rng.normal(size=(100, 3))
    y = x @ np.array([1.5, -2.0, 0.5]) + 0.7
    one = nabla.nn.Linear().fit(x, y, optimizer="lbfgs", epochs=30, max_iter=1)
    assert one["epochs"][-1]["epoch"] == 1 and "iteration limit" in one["stop_reason"]
    m = nabla.nn.Linear()
    m.fit(x, y, optimizer="lbfgs", epochs=30, memory=3, gtol=1e-10)
    design = np.hstack([x, np.ones((100, 1))])
    np.testing.assert_allclose(m.predict(x), design @ np.linalg.lstsq(design, y, rcond=None)[0], atol=1e-6)
    with pytest.raises(ValueError, match="memory has no effect with optimizer 'bfgs'"):
        nabla.nn.Linear().fit(x, y, optimizer="bfgs", memory=3)


@pytest.mark.parametrize("option", [dict(lr=0.1), dict(batch_size=16), dict(momentum=0.9), dict(betas=(0.9, 0.99)),
                                    dict(schedule="step"), dict(clip_norm=1.0)])
def test_full_batch_training_refuses_the_first_order_options(option, rng):
    # each was accepted and ignored: lbfgs minimized the same full-batch loss
    x, y = separable(rng)
    name = next(iter(option))
    with pytest.raises(ValueError, match=f"fit: {name} has no effect with optimizer 'lbfgs'"):
        nabla.nn.Logistic().fit(x, y, optimizer="lbfgs", epochs=30, **option)


def test_first_order_training_defaults_to_lr_1e_3_and_batches_of_32(rng):
    x = rng.normal(size=(100, 3))
    y = x @ np.array([1.5, -2.0, 0.5]) + 0.7
    fits = []
    for options in (dict(), dict(lr=1e-3, batch_size=32), dict(lr=1e-2)):
        m = nabla.nn.Linear(seed=3)
        m.fit(x, y, optimizer="adam", epochs=3, **options)
        fits.append(m.predict(x))
    np.testing.assert_array_equal(fits[0], fits[1])
    assert not np.allclose(fits[0], fits[2])


def test_a_diverged_fit_says_so_and_leaves_no_model(rng, tmp_path):
    x = rng.normal(size=(200, 3))
    y = x @ np.array([1.5, -2.0, 0.5]) + 0.7
    m = nabla.nn.Linear()
    with pytest.warns(RuntimeWarning, match="diverged"):
        h = m.fit(x, y, optimizer="gd", lr=1e6, epochs=50)
    assert h["diverged"] and not h["stopped_early"]
    assert h["final_loss"] > 1e6 * h["initial_loss"]  # nn::divergence_factor
    # as `nabla train`, which saves nothing: no predictions from blown-up weights
    for use in (lambda: m.predict(x), lambda: m.score(x, y), lambda: m.save(tmp_path / "m.nbl")):
        with pytest.raises(ValueError, match="the training diverged"):
            use()
    assert not (tmp_path / "m.nbl").exists()
    h = m.fit(x, y, optimizer="gd", lr=0.1, epochs=50)  # a good fit makes it a model again
    assert not h["diverged"]
    assert m.score(x, y) > 0.999  # y is exactly linear in x


def test_integer_arguments_refuse_what_is_not_an_integer(rng):
    # MLP([np.float32(3.7)]) built a width of 3
    x, y = np.ones((4, 2)), np.arange(4.0)
    for bad in (lambda: nabla.nn.MLP([np.float32(3.7)]), lambda: nabla.nn.MLP([3.0])):
        with pytest.raises(TypeError, match="a hidden width must be an integer"):
            bad()
    with pytest.raises(TypeError, match="fit: epochs must be an integer"):
        nabla.nn.Linear().fit(x, y, epochs=np.float32(2.5))
    with pytest.raises(TypeError, match="fit: max_iter must be an integer"):
        nabla.nn.Linear().fit(x, y, optimizer="lbfgs", max_iter=np.float32(2.7))
    m = nabla.nn.MLP([np.int64(3)])
    m.fit(x, y, epochs=np.int32(1), batch_size=np.int64(2))
    assert m._model.widths[:2] == [2, 3]


def test_a_regression_fit_after_a_classification_has_no_classes(rng, tmp_path):
    # classes_ stayed [0 1] and save refused the regression model
    x = rng.normal(size=(40, 2))
    m = nabla.nn.MLP([4])
    m.fit(x, np.arange(40) % 2, epochs=2)
    assert m.classes_ is not None
    m.fit(x, 1.5 * x[:, 0], epochs=2)
    assert m.classes_ is None
    m.save(tmp_path / "r.nbl")
    assert nabla.nn.load(tmp_path / "r.nbl").classes_ is None


def test_rows_must_be_real_numbers():
    model = nabla.nn.Linear()
    x = np.array([[0.0], [1.0], [2.0]])
    model.fit(x, [1.0, 3.0, 5.0], optimizer="lbfgs")
    for method in (model.predict, model.feature_importance):
        with pytest.raises(TypeError, match="x must be real numbers"):
            method([[None], [1.0]])
    with pytest.raises(TypeError, match="score: x must be real numbers"):
        model.score([["1"]], [3.0])
    with pytest.raises(TypeError, match="fit: x must be real numbers"):
        nabla.nn.Linear().fit([["0"], ["1"]], [1.0, 2.0], optimizer="lbfgs")


def test_saved_labels_come_back_the_same_or_are_refused(tmp_path):
    x = np.array([[0.0], [1.0], [2.0], [3.0]])
    model = nabla.nn.Logistic()
    model.fit(x, np.array([2**53, 2**53, 7, 7], dtype=np.int64), optimizer="lbfgs")
    model.save(tmp_path / "ok.nbl")  # 2^53 is a double
    assert set(nabla.nn.load(tmp_path / "ok.nbl").classes_.tolist()) == {2**53, 7}
    model.fit(x, np.array([2**53 + 1, 2**53 + 1, 7, 7], dtype=np.int64), optimizer="lbfgs")
    with pytest.raises(ValueError, match="class label 9007199254740993 would come back as 9007199254740992"):
        model.save(tmp_path / "big.nbl")
    assert not (tmp_path / "big.nbl").exists()


def test_a_full_batch_fit_runs_to_the_iteration_limit_it_is_given(rng):
    # epochs=1200 stopped at 1000 (max_iter's default) and max_iter=120 at 50
    # (epochs' default), unsaid; nabla train --epochs is the limit
    x = rng.normal(size=(200, 4))
    y = np.sin(x @ np.array([1.0, 2.0, -1.0, 0.5])) + x[:, 0] ** 2
    for kwargs, limit in ((dict(epochs=1200), 1200), (dict(max_iter=120), 120), (dict(maxiter=70), 70), ({}, 50)):
        history = nabla.nn.MLP([32], activation="tanh").fit(x, y, optimizer="lbfgs", **kwargs)
        assert history["epochs_run"] == limit and history["stop_reason"] == "the iteration limit was reached", kwargs
    both = nabla.nn.MLP([4]).fit(x, y, optimizer="bfgs", epochs=10, max_iter=20)
    assert both["epochs_run"] == 10  # the smaller


@pytest.mark.parametrize("optimizer", ["adam", "lbfgs"])
def test_a_loss_beyond_doubles_before_any_step_is_an_error_not_a_divergence(optimizer, rng):
    # adam said "the loss became inf in epoch 1; lower the learning rate",
    # lbfgs that f was not finite at the starting point
    x = rng.normal(size=(40, 3)) * 1e200  # (the targets are of size 1: their own check passes)
    with pytest.raises(nabla.DomainError, match=r"the loss before the first step is inf: the features or targets "
                                                r"are too large for it in double \(rescale them\)"):
        nabla.nn.Linear().fit(x, rng.normal(size=40), optimizer=optimizer, epochs=1)


def test_gradient_flags_cover_the_epochs_the_history_thins_out():
    # y = 4000 (a + 2 b): the gradient explodes in epochs 1 and 2, and beyond
    # 10000 epochs the odd epochs' reports are thinned out
    i = np.arange(16.0)
    x = np.c_[np.sin(i + 1), np.cos(3 * i)]
    y = 4000 * (x[:, 0] + 2 * x[:, 1])
    h = nabla.nn.Linear().fit(x, y, optimizer="gd", lr=0.3, batch_size=100, epochs=10001)
    assert 1 not in [e["epoch"] for e in h["epochs"]]
    assert h["gradient_flags"][0] == dict(layer="layer0", vanishing=False, exploding=True, epoch=1)


def test_messages_name_what_the_user_gave(rng):
    x = rng.normal(size=(40, 3))
    # a 40 x 2 y was reported as "(80,)"
    with pytest.raises(ValueError, match=r"got \(40, 3\) and \(40, 2\)"):
        nabla.nn.Linear().fit(x, np.ones((40, 2)))
    # 6 rows of 6 classes leave no validation row: it spoke of "a training and a test set"
    with pytest.raises(nabla.DimensionError, match="validation_fraction of 0.1 of 6 rows, split by class, leaves "
                                                   "no validation row or no row to train on"):
        nabla.nn.Logistic().fit(x[:6], np.arange(6), validation=0.1, epochs=1)
    m = nabla.nn.Linear()
    m.fit(x, x[:, 0], epochs=1)
    with pytest.raises(ValueError, match=r"got \(40, 3\) and \(40, 2\)"):
        m.score(x, np.ones((40, 2)))
    # no rows: the mean of nothing was nan, with NumPy's warnings
    with pytest.raises(ValueError, match="no rows to score"):
        m.score(np.zeros((0, 3)), np.zeros(0))
