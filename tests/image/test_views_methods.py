"""The view methods (SimCLR, BYOL, VICReg, Barlow Twins) learn, reproduce, pickle.

The methods are the registry's image cases that learn from augmented views
(subclasses of ViewsSelfSupervised), set up for the 8x8 digits; their
tasks are tested in ``tests/parts/test_tasks.py``.
"""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_ssl import BYOL, SimCLR
from sklearn_ssl.image import ViewsSelfSupervised
from tests.registry import IMAGE, cases

DIGITS = dict(input_shape=(1, 8, 8), flip=False, crop_scale=(0.3, 1.0), device="cpu")
SMALL = dict(n_components=32, batch_size=64, random_state=0, **DIGITS)
#: Head widths for the digits, for the methods that have such a head.
HEADS = dict(projection_size=64, hidden_size=64)


def on_digits(estimator):
    """The registry's tiny estimator, set up for the 8x8 digits."""
    heads = {name: width for name, width in HEADS.items() if name in estimator.get_params()}
    return clone(estimator).set_params(**SMALL, **heads)


METHODS = [
    on_digits(case.estimator)
    for case in cases(IMAGE)
    if isinstance(case.estimator, ViewsSelfSupervised)
]


def ids(model):
    return type(model).__name__


@pytest.mark.parametrize("model", METHODS, ids=ids)
def test_loss_goes_down(model, digits):
    X, _ = digits
    model = clone(model).set_params(max_epochs=4).fit(X[:256])
    losses = model.history_[:, "train_loss"]
    assert losses[-1] < losses[0]


@pytest.mark.parametrize("model", METHODS, ids=ids)
def test_same_random_state_same_embeddings_and_pickle(model, digits):
    X, _ = digits
    X = X[:128]
    model = clone(model).set_params(max_epochs=1)
    embeddings = clone(model).fit(X).transform(X)
    fitted = model.fit(X)
    np.testing.assert_array_equal(fitted.transform(X), embeddings)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.transform(X), embeddings)
    other = clone(model).set_params(random_state=1).fit(X)
    assert not np.allclose(other.transform(X), embeddings)


@pytest.mark.slow
@pytest.mark.parametrize("model", METHODS, ids=ids)
def test_embeddings_separate_digit_classes(model, digits):
    """A kNN probe on the embeddings of held-out digits beats chance by far."""
    X, y = digits
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    model = clone(model).set_params(max_epochs=5).fit(X_pool)
    probe = make_pipeline(StandardScaler(), KNeighborsClassifier(5))
    accuracy = probe.fit(model.transform(X_pool), y_pool).score(model.transform(X_test), y_test)
    assert accuracy > 0.6  # chance is 0.1


def test_byol_schedule_spans_the_planned_epochs(digits):
    X, _ = digits
    model = BYOL(**SMALL, projection_size=8, hidden_size=16, max_epochs=2).fit(X[:130])
    target = model.net_.module_.target
    assert target.total_steps == 2 * (130 // 64)
    assert target.steps_done == target.total_steps


def test_grid_search_over_a_pipeline(digits):
    X, y = digits
    pipe = make_pipeline(
        SimCLR(**SMALL, projection_size=8, max_epochs=1), LogisticRegression(max_iter=200)
    )
    search = GridSearchCV(pipe, {"simclr__temperature": [0.2, 0.5]}, cv=2).fit(X[:128], y[:128])
    assert search.best_params_["simclr__temperature"] in (0.2, 0.5)
    assert search.score(X[128:256], y[128:256]) > 0.2


@pytest.mark.parametrize("model", METHODS, ids=ids)
def test_trains_under_bfloat16_autocast(model, digits):
    X, _ = digits
    model = clone(model).set_params(max_epochs=1, precision="bfloat16").fit(X[:128])
    assert np.isfinite(model.history_[-1, "train_loss"])
    assert model.transform(X[:8]).dtype == np.float64
