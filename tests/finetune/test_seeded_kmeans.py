"""SeededKMeansClassifier: constrained k-means seeded by the labeled rows."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import FunctionTransformer

from sklearn_ssl import SeededKMeansClassifier, SelfSupervisedClassifier


def one_label_per_class(y, seed=0):
    """``y`` with one randomly drawn row of each class kept, every other row -1."""
    rng = np.random.default_rng(seed)
    y_partial = np.full_like(y, -1)
    for c in np.unique(y):
        row = rng.choice(np.flatnonzero(y == c))
        y_partial[row] = c
    return y_partial


def stretched_blobs(n_samples=600, seed=0):
    """Three classes that differ along two quiet directions, beside a loud direction
    (variance 100x) that carries no class: what a contrastive embedding looks like
    to Euclidean k-means before whitening."""
    rng = np.random.default_rng(seed)
    X, y = make_blobs(
        n_samples,
        n_features=2,
        centers=[[0, 4], [3.5, -2], [-3.5, -2]],
        cluster_std=0.7,
        random_state=seed,
    )
    loud = rng.normal(scale=30.0, size=(n_samples, 1))
    return np.hstack([loud, X]), y


@pytest.mark.parametrize("seed", range(3))
def test_one_label_per_class_labels_the_pool_by_its_clusters(seed):
    X, y = stretched_blobs(seed=seed)
    y_partial = one_label_per_class(y, seed)
    clf = SeededKMeansClassifier(n_components=3).fit(X, y_partial)
    assert (clf.transduction_ == y).mean() > 0.95
    probe = LogisticRegression().fit(X[y_partial >= 0], y[y_partial >= 0])
    assert (clf.predict(X) == y).mean() > (probe.predict(X) == y).mean() + 0.2


def test_whitening_is_what_lets_the_quiet_directions_decide():
    X, y = stretched_blobs()
    y_partial = one_label_per_class(y)
    whitened = SeededKMeansClassifier(n_components=3, metric="euclidean").fit(X, y_partial)
    raw = SeededKMeansClassifier(n_components=3, whiten=False, metric="euclidean")
    raw.fit(X, y_partial)
    assert (whitened.predict(X) == y).mean() > 0.95
    assert (raw.predict(X) == y).mean() < 0.6


def test_cosine_compares_directions_not_lengths():
    # two classes along two rays, lengths spread over a factor of 20
    rng = np.random.default_rng(0)
    lengths = rng.uniform(0.5, 10.0, size=400)
    angles = np.where(np.arange(400) < 200, 0.0, np.pi / 3) + rng.normal(0, 0.05, 400)
    X = lengths[:, None] * np.c_[np.cos(angles), np.sin(angles)]
    y = (np.arange(400) >= 200).astype(int)
    y_partial = np.full_like(y, -1)
    y_partial[[np.argmax(lengths[:200]), 200 + np.argmin(lengths[200:])]] = [0, 1]
    cosine = SeededKMeansClassifier(n_components=None).fit(X, y_partial)
    euclidean = SeededKMeansClassifier(n_components=None, metric="euclidean").fit(X, y_partial)
    assert (cosine.predict(X) == y).mean() == 1.0
    assert (euclidean.predict(X) == y).mean() < 0.9


def test_labeled_rows_keep_their_class_and_predict_follows_the_clusters():
    X, y = stretched_blobs()
    y_partial = np.where(np.arange(len(y)) % 10 == 0, y, -1)  # 10% labeled
    wrong = np.flatnonzero((y == 0) & (y_partial == 0))[0]  # a class-0 row labeled 1
    y_partial[wrong] = 1
    clf = SeededKMeansClassifier(n_components=3).fit(X, y_partial)
    np.testing.assert_array_equal(clf.transduction_[y_partial >= 0], y_partial[y_partial >= 0])
    assert clf.predict(X[[wrong]])[0] == 0


def test_fitted_attributes_and_string_classes():
    X, y = stretched_blobs(300)
    names = np.array(["ant", "bee", "cat"], dtype=object)[y]
    y_partial = names.copy()
    y_partial[one_label_per_class(y) < 0] = None
    clf = SeededKMeansClassifier(n_components=3).fit(X, y_partial)
    assert list(clf.classes_) == ["ant", "bee", "cat"]
    assert clf.cluster_centers_.shape == (3, 3)
    np.testing.assert_allclose(np.linalg.norm(clf.cluster_centers_, axis=1), 1.0)
    assert clf.projection_.n_components_ == 3
    assert 1 <= clf.n_iter_ <= clf.max_iter
    assert (clf.transduction_ == names).mean() > 0.9


def test_n_components_beyond_the_data_keeps_what_there_is():
    X, y = stretched_blobs(30)
    clf = SeededKMeansClassifier(n_components=64).fit(X, one_label_per_class(y))
    assert clf.projection_.n_components_ == 3
    assert SeededKMeansClassifier(n_components=None).fit(X, y).projection_ is None


def test_self_supervised_classifier_hands_it_the_unlabeled_rows():
    X, y = stretched_blobs()
    y_partial = one_label_per_class(y)
    clf = SelfSupervisedClassifier(FunctionTransformer(), SeededKMeansClassifier(n_components=3))
    clf.fit(X, y_partial)
    assert clf.classifier_.transduction_.shape == (len(y),)
    assert (clf.predict(X) == y).mean() > 0.95


@pytest.mark.parametrize(
    ("y_partial", "message"),
    [
        (np.full(6, -1), "needs labeled rows, but every entry of y is -1"),
        (np.array([0, -1, -1, -1, -1, -1]), "at least 2 classes among the labeled rows"),
    ],
)
def test_too_few_labels_are_refused(y_partial, message):
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match=message):
        SeededKMeansClassifier().fit(X, y_partial)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"metric": "manhattan"}, "'metric' parameter .* must be a str among"),
        ({"n_components": 0}, "'n_components' parameter .* must be an int in the range"),
        ({"max_iter": 0}, "'max_iter' parameter"),
    ],
)
def test_bad_parameters_name_themselves(params, message):
    X, y = stretched_blobs(30)
    with pytest.raises(ValueError, match=message):
        SeededKMeansClassifier(**params).fit(X, y)


def test_sparse_rows_are_refused_with_the_way_out():
    X, y = stretched_blobs(30)
    with pytest.raises(TypeError, match="dense data is required"):
        SeededKMeansClassifier().fit(sparse.csr_matrix(X), y)
