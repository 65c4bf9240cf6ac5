"""The scikit-learn route: a self-supervised transformer before a semi-supervised step.

Transformers ignore ``y``, so in a ``Pipeline`` the rows marked ``-1`` reach
scikit-learn's ``SelfTrainingClassifier`` and ``LabelSpreading``, which use them
a second time (after the pretraining). These tests run the recipe of the
fine-tuning guide on the 8x8 digits with two labels per class.
"""

import numpy as np
import pytest
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier

from sklearn_ssl import SCARF

# chance is 0.1 on the ten digits; the raw pixels' probe with 2 labels per class reaches ~0.7
ABOVE_CHANCE = 0.6

pytestmark = pytest.mark.filterwarnings(
    # knn label spreading leaves the rows of a graph component without a label at 0/0
    "ignore:invalid value encountered in divide:RuntimeWarning"
)


def tiny_scarf():
    return SCARF(
        n_components=16,
        hidden_layer_sizes=(64,),
        projection_size=32,
        max_epochs=10,
        batch_size=128,
        device="cpu",
        random_state=0,
    )


def labeled_accuracy(estimator, X, y):
    """Accuracy on the labeled rows only: a scorer for ``y`` with ``-1`` rows."""
    labeled = y != -1
    return accuracy_score(y[labeled], estimator.predict(X[labeled]))


def partly_labeled(y, k, seed=0):
    """``y`` with all but ``k`` rows per class marked ``-1``."""
    rng = np.random.default_rng(seed)
    y_partial = np.full_like(y, -1)
    for label in np.unique(y):
        rows = rng.choice(np.flatnonzero(y == label), k, replace=False)
        y_partial[rows] = label
    return y_partial


@pytest.fixture(scope="module")
def pool(digits):
    """``X_pool, y_pool, X_test, y_test`` of the few-label protocol's split."""
    X, y = digits
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    return X_pool, y_pool, X_test, y_test


@pytest.fixture(scope="module")
def pretrained(pool):
    return tiny_scarf().fit(pool[0])


def test_self_training_pseudo_labels_the_unlabeled_rows(pool, pretrained):
    X_pool, y_pool, X_test, y_test = pool
    y_partial = partly_labeled(y_pool, 2)
    model = make_pipeline(
        tiny_scarf(),  # unfitted: the pipeline pretrains it on every row, -1 rows included
        StandardScaler(),
        SelfTrainingClassifier(LogisticRegression(max_iter=2000), threshold=0.9),
    ).fit(X_pool, y_partial)
    np.testing.assert_allclose(model[0].transform(X_test), pretrained.transform(X_test))
    self_training = model[-1]
    unlabeled = y_partial == -1
    assert len(self_training.transduction_) == len(X_pool)
    np.testing.assert_array_equal(self_training.labeled_iter_[~unlabeled], 0)
    pseudo = self_training.labeled_iter_ > 0  # unlabeled rows given a label on the way
    assert pseudo.sum() > unlabeled.sum() / 2
    assert not pseudo[~unlabeled].any()
    assert np.mean(self_training.transduction_[pseudo] == y_pool[pseudo]) > ABOVE_CHANCE
    np.testing.assert_array_equal(self_training.classes_, np.arange(10))
    assert model.score(X_test, y_test) > ABOVE_CHANCE


def test_label_spreading_labels_every_row_of_the_pool(pool, pretrained):
    X_pool, y_pool, X_test, y_test = pool
    y_partial = partly_labeled(y_pool, 2)
    model = make_pipeline(
        FrozenEstimator(pretrained), StandardScaler(), LabelSpreading(kernel="knn", n_neighbors=7)
    ).fit(X_pool, y_partial)
    spreading = model[-1]
    assert spreading.transduction_.shape == (len(X_pool),)
    assert spreading.label_distributions_.shape == (len(X_pool), 10)
    assert set(spreading.transduction_) == set(range(10))  # no -1 left
    unlabeled = y_partial == -1
    transductive = np.mean(spreading.transduction_[unlabeled] == y_pool[unlabeled])
    assert transductive > ABOVE_CHANCE
    assert model.score(X_test, y_test) > ABOVE_CHANCE
    # the labeled rows alone give a different model: the -1 rows were used
    probe = make_pipeline(FrozenEstimator(pretrained), StandardScaler(), LogisticRegression())
    labeled = ~unlabeled
    probe.fit(X_pool[labeled], y_partial[labeled])
    assert np.mean(probe.predict(X_test) != model.predict(X_test)) > 0.05


def test_grid_search_over_the_semi_supervised_step_of_a_frozen_pretraining(pool, pretrained):
    X_pool, y_pool, X_test, y_test = pool
    y_partial = partly_labeled(y_pool, 5)
    epochs = len(pretrained.history_)
    model = make_pipeline(
        FrozenEstimator(pretrained), StandardScaler(), LabelSpreading(kernel="knn")
    )
    cv = StratifiedKFold(3, shuffle=True, random_state=0)  # -1 is stratified as a class
    search = GridSearchCV(
        model, {"labelspreading__n_neighbors": [3, 7, 15]}, scoring=labeled_accuracy, cv=cv
    ).fit(X_pool, y_partial)
    assert len(pretrained.history_) == epochs  # never refitted
    # 3 neighbours leave parts of the graph without a label: the search sees it
    assert search.best_params_["labelspreading__n_neighbors"] != 3
    assert search.best_score_ > ABOVE_CHANCE
    assert search.score(X_test, y_test) > ABOVE_CHANCE
    # scikit-learn's "accuracy" counts every -1 row as an error
    naive = cross_val_score(model, X_pool, y_partial, scoring="accuracy", cv=cv)
    assert naive.max() < np.mean(y_partial != -1) + 0.01


def test_grid_search_over_self_training_with_a_labeled_validation(pool, pretrained):
    """A labeled validation part as the search's only split: its default scoring then works."""
    X_pool, y_pool, X_test, y_test = pool
    y_partial = partly_labeled(y_pool, 2)
    X_val, y_val, X_test, y_test = X_test[:200], y_test[:200], X_test[200:], y_test[200:]
    X = np.concatenate([X_pool, X_val])
    y = np.concatenate([y_partial, y_val])
    split = [(np.arange(len(X_pool)), np.arange(len(X_pool), len(X)))]
    model = make_pipeline(
        FrozenEstimator(pretrained),
        StandardScaler(),
        SelfTrainingClassifier(LogisticRegression(max_iter=2000)),
    )
    thresholds = [0.7, 0.9, 0.99]
    search = GridSearchCV(
        model, {"selftrainingclassifier__threshold": thresholds}, cv=split, refit=False
    ).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert scores.min() > ABOVE_CHANCE
    assert np.ptp(scores) > 0  # the threshold matters
    best = model.set_params(**search.best_params_).fit(X_pool, y_partial)
    assert best.score(X_test, y_test) > ABOVE_CHANCE
