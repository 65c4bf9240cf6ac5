"""y == -1 marks unlabeled rows: pretraining on all rows, labels on the rest."""

import copy
import pickle
import warnings

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier

from sklearn_ssl import SCARF, FineTunedClassifier, SelfSupervisedClassifier


@pytest.fixture(scope="module")
def partly_labeled(blobs):
    """The blobs with two rows in three unlabeled."""
    X, y = blobs
    return X, np.where(np.arange(len(y)) % 3 == 0, y, -1), y


def test_transformer_sees_all_rows_classifier_only_the_labeled(partly_labeled):
    X, y_partial, _ = partly_labeled
    clf = SelfSupervisedClassifier(PCA(n_components=3), LogisticRegression()).fit(X, y_partial)
    assert clf.transformer_.n_samples_ == len(X)
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    assert clf.n_features_in_ == X.shape[1]


def test_score_ignores_unlabeled_rows(partly_labeled):
    X, y_partial, y = partly_labeled
    clf = SelfSupervisedClassifier(PCA(n_components=3)).fit(X, y_partial)
    y_scored = y_partial.copy()
    y_scored[y_partial == 0] = 1  # relabel some labeled rows wrongly
    labeled = y_partial != -1
    expected = np.mean(clf.predict(X[labeled]) == y_scored[labeled])
    assert clf.score(X, y_scored) == pytest.approx(expected)
    assert expected < 0.8  # the wrong labels count, the -1 rows do not


def test_cross_val_score_scores_the_labeled_rows_of_each_fold(partly_labeled):
    X, y_partial, _ = partly_labeled
    clf = SelfSupervisedClassifier(PCA(n_components=3))
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(clf, X, y_partial, cv=cv)
    expected = []
    for train, test in cv.split(X, y_partial):
        fitted = SelfSupervisedClassifier(PCA(n_components=3)).fit(X[train], y_partial[train])
        labeled = test[y_partial[test] != -1]
        expected.append(np.mean(fitted.predict(X[labeled]) == y_partial[labeled]))
    np.testing.assert_allclose(scores, expected)


def test_grid_search_over_the_classifier_with_a_frozen_pretraining(partly_labeled):
    X, y_partial, y = partly_labeled
    scarf = SCARF(8, hidden_layer_sizes=(32,), projection_size=16, max_epochs=3, device="cpu")
    scarf.set_params(passthrough=False)  # the embeddings alone, whose probe needs C=1
    scarf.fit(X)
    history = len(scarf.history_)
    search = GridSearchCV(
        SelfSupervisedClassifier(FrozenEstimator(scarf), LogisticRegression()),
        {"classifier__C": [0.01, 1.0]},
        cv=3,
    ).fit(X, y_partial)
    assert len(scarf.history_) == history
    assert search.best_params_ == {"classifier__C": 1.0}
    assert search.score(X, y) > 0.9


def test_fine_tuned_classifier_is_semi_supervised(partly_labeled):
    X, y_partial, y = partly_labeled
    scarf = SCARF(
        8, hidden_layer_sizes=(32,), projection_size=16, max_epochs=2, batch_size=32, device="cpu"
    )
    clf = FineTunedClassifier(scarf, max_epochs=20, batch_size=16, random_state=0)
    clf.fit(X, y_partial)
    assert clf.estimator_.history_[-1, "train_batch_count"] == 180 // 32  # all rows
    assert clf.history_[-1, "train_batch_count"] == 60 // 16
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    assert clf.score(X, y) > 0.9
    assert cross_val_score(clf, X, y_partial, cv=2).min() > 0.9


def test_unlabeled_none_makes_minus_one_a_class(blobs):
    X, y = blobs
    y = np.where(y == 0, -1, y)
    clf = SelfSupervisedClassifier(PCA(n_components=3), unlabeled=None).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, [-1, 1, 2])
    other = SelfSupervisedClassifier(PCA(n_components=3), unlabeled="none").fit(X, y)
    np.testing.assert_array_equal(other.classes_, [-1, 1, 2])


@pytest.mark.parametrize("estimator", ["frozen", "fine-tuned"])
def test_string_labels_without_the_marker_are_refused(blobs, estimator):
    """A marker such as "unknown" must not silently become a class."""
    X, y = blobs
    names = np.array(["a", "b", "c"], dtype=object)[y]
    names[::3] = "unknown"
    clf = _string_classifier(estimator)
    with pytest.raises(ValueError, match=r"string labels.*unlabeled=-1.*unlabeled='...'"):
        clf.fit(X, names)
    assert clf.set_params(unlabeled="unknown").fit(X, names).classes_.tolist() == ["a", "b", "c"]


@pytest.mark.parametrize("missing", [None, np.nan])
def test_missing_labels_are_unlabeled(blobs, missing):
    X, y = blobs
    labels = np.array(["a", "b", "c"], dtype=object)[y]
    labels[::3] = missing
    clf = SelfSupervisedClassifier(PCA(n_components=3)).fit(X, labels)
    assert clf.classes_.tolist() == ["a", "b", "c"]
    float_labels = np.where(np.arange(len(y)) % 3 == 0, np.nan, y)
    clf = SelfSupervisedClassifier(PCA(n_components=3)).fit(X, float_labels)
    np.testing.assert_array_equal(clf.classes_, [0.0, 1.0, 2.0])
    assert clf.score(X, float_labels) == clf.score(
        X[~np.isnan(float_labels)], y[~np.isnan(float_labels)]
    )


def test_missing_labels_with_unlabeled_none_are_refused(blobs):
    X, y = blobs
    labels = np.where(np.arange(len(y)) % 3 == 0, np.nan, y)
    with pytest.raises(ValueError, match="missing label.*unlabeled=None every row must be labeled"):
        SelfSupervisedClassifier(PCA(n_components=3), unlabeled=None).fit(X, labels)


def _string_classifier(kind):
    scarf = SCARF(
        n_components=4, hidden_layer_sizes=(16,), max_epochs=2, device="cpu", random_state=0
    )
    if kind == "frozen":
        return SelfSupervisedClassifier(scarf)
    return FineTunedClassifier(scarf, max_epochs=3, freeze_epochs=1, device="cpu", random_state=0)


@pytest.mark.parametrize(
    "step",
    [
        lambda: SelfTrainingClassifier(LogisticRegression(), threshold=0.8),
        lambda: make_pipeline(StandardScaler(), LabelSpreading(kernel="rbf", gamma=1.0)),
    ],
    ids=["self-training", "label-spreading-pipeline"],
)
def test_a_semi_supervised_classifier_gets_the_unlabeled_rows(blobs, step):
    X, y = blobs
    names = np.array(["ant", "bee", "cat"])[y].astype(object)
    partial = np.full(len(y), -1, dtype=object)  # one labeled row per class
    for label in range(3):
        first = np.flatnonzero(y == label)[0]
        partial[first] = names[first]
    clf = SelfSupervisedClassifier(PCA(n_components=3), step()).fit(X, partial)
    assert clf.classes_.tolist() == ["ant", "bee", "cat"]
    final = clf.classifier_[-1] if hasattr(clf.classifier_, "steps") else clf.classifier_
    assert len(final.transduction_) == len(X)  # it saw every row
    assert (final.transduction_ != -1).mean() > 0.5  # and labeled many of the -1 ones
    assert clf.score(X, names) > 0.9
    assert set(clf.predict(X)) <= {"ant", "bee", "cat"}


# -- transformer, the name of estimator until 0.2 -----------------------------------

RENAMED = "`transformer` was renamed `estimator` in 0.2 and will be removed in 0.3"


def _scarf():
    return SCARF(4, hidden_layer_sizes=(16,), max_epochs=2, device="cpu", random_state=0)


def test_estimator_alone_does_not_warn(partly_labeled):
    X, y_partial, _ = partly_labeled
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        SelfSupervisedClassifier(estimator=PCA(n_components=3)).fit(X, y_partial)


def test_transformer_still_names_the_estimator_with_a_future_warning(partly_labeled):
    X, y_partial, _ = partly_labeled
    new = SelfSupervisedClassifier(_scarf()).fit(X, y_partial)
    with pytest.warns(FutureWarning, match=RENAMED):
        old = SelfSupervisedClassifier(transformer=_scarf()).fit(X, y_partial)
    assert old.estimator is None and old.get_params()["transformer"] is not None  # as given
    np.testing.assert_array_equal(old.transformer_.transform(X), new.transformer_.transform(X))
    np.testing.assert_array_equal(old.predict_proba(X), new.predict_proba(X))


def test_transformer_and_estimator_must_agree(partly_labeled):
    X, y_partial, _ = partly_labeled
    pca = PCA(n_components=3)
    with pytest.warns(FutureWarning, match=RENAMED):
        SelfSupervisedClassifier(pca, transformer=pca).fit(X, y_partial)
    with (
        pytest.warns(FutureWarning, match=RENAMED),
        pytest.raises(ValueError, match=r"transformer=PCA\(n_components=2\) and .* disagree"),
    ):
        SelfSupervisedClassifier(pca, transformer=PCA(n_components=2)).fit(X, y_partial)


def test_an_estimator_is_required(partly_labeled):
    X, y_partial, _ = partly_labeled
    with pytest.raises(ValueError, match=r"needs the transformer .*\(estimator, classifier\)"):
        SelfSupervisedClassifier().fit(X, y_partial)


def test_a_pickle_from_before_the_rename_loads_under_the_new_name(partly_labeled):
    """A 0.1 pickle holds the representation under ``transformer``; it loads as ``estimator``."""
    X, y_partial, _ = partly_labeled
    clf = SelfSupervisedClassifier(_scarf()).fit(X, y_partial)
    old = copy.copy(clf)
    state = vars(old)
    state["transformer"] = state.pop("estimator")  # the __dict__ that 0.1 pickled
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        loaded = pickle.loads(pickle.dumps(old))
        np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert loaded.get_params()["transformer"] == "deprecated"
    assert loaded.estimator.get_params() == _scarf().get_params()
    assert loaded.fit(X, y_partial).score(X, y_partial) == clf.score(X, y_partial)
