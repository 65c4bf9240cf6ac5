"""Behaviour of the series methods (the registry's series cases) beyond the generic tests."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

import sklearn_ssl
from sklearn_ssl import FineTunedClassifier, SelfSupervisedClassifier
from tests.registry import SERIES, cases

METHODS = [case.estimator for case in cases(SERIES)]


@pytest.fixture(params=METHODS, ids=lambda est: type(est).__name__)
def estimator(request):
    return clone(request.param)


def two_shapes(n=60, length=32, seed=0):
    """Two channels; class 0 a sine pair, class 1 square waves, random phase: (X, y)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = np.linspace(0, 4 * np.pi, length)
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1, 1))
    sine = np.sin(t + phase)
    square = np.sign(np.sin(t + phase))
    X = np.where(y[:, None, None] == 0, sine, square).repeat(2, axis=1)
    return X + 0.2 * rng.normal(size=X.shape), y


def test_loss_goes_down_and_embeddings_separate_shapes(estimator):
    X, y = two_shapes()
    est = estimator.set_params(max_epochs=15, n_components=16, lr=3e-3).fit(X)
    losses = est.history_[:, "train_loss"]
    assert np.mean(losses[-3:]) < 0.95 * np.mean(losses[:2])
    accuracy = cross_val_score(KNeighborsClassifier(3), est.transform(X), y, cv=3).mean()
    assert accuracy > 0.9  # chance is 0.5


def test_any_batching_gives_the_same_embeddings(estimator):
    X, _ = two_shapes()
    series = [X[i, :, : 10 + i % 20] for i in range(len(X))]
    est = estimator.fit(series)
    whole = est.transform(series)
    for batch_size in (1, 7):
        np.testing.assert_allclose(
            est.set_params(batch_size=batch_size).transform(series), whole, atol=1e-5
        )


def test_streamed_unequal_lengths_train_the_same_model(estimator):
    X, _ = two_shapes()
    series = [X[i, :, : 10 + i % 20] for i in range(len(X))]
    resident = clone(estimator).set_params(data_on_device=True).fit(series)
    streamed = clone(estimator).set_params(data_on_device=False).fit(series)
    assert resident.history_[:, "train_loss"] == streamed.history_[:, "train_loss"]
    np.testing.assert_array_equal(resident.transform(series), streamed.transform(series))


def test_unequal_lengths_are_deterministic_and_survive_pickle_and_save(estimator, tmp_path):
    X, _ = two_shapes()
    series = [X[i, :, : 5 + i % 25] for i in range(len(X))]
    first = clone(estimator).fit(series)
    second = clone(estimator).fit(series)
    np.testing.assert_array_equal(first.transform(series), second.transform(series))
    loaded = pickle.loads(pickle.dumps(first))
    np.testing.assert_array_equal(loaded.transform(series), first.transform(series))
    first.save(tmp_path / "series.safetensors")
    restored = sklearn_ssl.load(tmp_path / "series.safetensors")
    assert restored.n_channels_ == 2
    np.testing.assert_array_equal(restored.transform(series), first.transform(series))


def test_stage_two_takes_series_with_unlabeled_rows(estimator):
    X, y = two_shapes()
    y_partial = np.where(np.arange(len(y)) < 10, y, -1)  # 10 labels, 50 unlabeled
    pretrained = estimator.set_params(max_epochs=10, n_components=16, lr=3e-3)
    # ten labels make single fits noisy (0.56 to 0.98 over seeds): hold the mean of three
    for augment, at_least in ((False, 0.8), (True, 0.7)):
        scores = []
        for seed in range(3):
            clf = FineTunedClassifier(
                clone(pretrained),
                max_epochs=50,
                freeze_epochs=30,
                augment=augment,
                device="cpu",
                random_state=seed,
            ).fit(X, y_partial)
            assert list(clf.classes_) == [0, 1]
            scores.append(clf.score(X[10:], y[10:]))
        assert np.mean(scores) > at_least, scores
    probe = SelfSupervisedClassifier(clone(pretrained)).fit(list(X), y_partial)
    assert probe.score(list(X[10:]), y[10:]) > 0.8


def test_fit_uses_length_buckets_cut_to_their_longest(estimator):
    X, _ = two_shapes()
    series = [X[i, :, : 4 + i] for i in range(40)]
    checked = estimator._validate_input(series, reset=True)
    batches = estimator.set_params(batch_size=8)._training_batches(
        checked, torch.device("cpu"), torch.Generator().manual_seed(0)
    )
    shapes = [tuple(batch.shape) for batch, _ in batches]
    assert len(shapes) == 5 and sum(shape[0] for shape in shapes) == 40
    assert sorted(shape[2] for shape in shapes) != [43] * 5  # cut, not padded to the longest
    assert all(not torch.isnan(batch[:, :, -1]).all() for batch, _ in batches)
