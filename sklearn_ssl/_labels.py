"""Targets of partly labeled data: ``y == -1`` marks an unlabeled row.

This is :mod:`sklearn.semi_supervised`'s convention. A missing label (None or
NaN) marks an unlabeled row too. String labels with unlabeled rows need an
object array holding the integer -1 (or None) for them, or another marker
passed as the estimators' ``unlabeled`` parameter; string labels in which no
row carries the marker are refused, as
:class:`sklearn.semi_supervised.SelfTrainingClassifier` does, so that a marker
such as ``"unknown"`` never silently becomes a class.
"""

from numbers import Integral

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.utils import _safe_indexing
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_consistent_length, column_or_1d

from ._parameters import SharedParameter

#: The parameter that names the label of unlabeled rows.
UNLABELED = SharedParameter(
    "int, str or None",
    """\
The label that marks an unlabeled row; -1 is the convention of
:mod:`sklearn.semi_supervised`. None treats every row as labeled, so that
-1 can be a class.""",
    [Integral, str, None],
    -1,
)


def unlabeled_mask(y, unlabeled=-1):
    """Boolean mask of the rows of ``y`` equal to ``unlabeled`` or missing (None, NaN).

    With ``unlabeled=None`` every row counts as labeled.
    """
    y = np.asarray(y)
    if unlabeled is None:
        return np.zeros(len(y), dtype=bool)
    marked = np.asarray(y == unlabeled, dtype=bool).reshape(len(y), -1).any(axis=1)
    return marked | missing_labels(y)


def missing_labels(y):
    """Boolean mask of the rows of ``y`` whose label is None or NaN."""
    y = np.asarray(y)
    if y.dtype.kind == "f":
        return np.isnan(y).reshape(len(y), -1).any(axis=1)
    if y.dtype.kind != "O":
        return np.zeros(len(y), dtype=bool)
    flat = y.reshape(len(y), -1)
    return np.array(
        [any(v is None or (isinstance(v, float) and v != v) for v in row) for row in flat]
    )


def check_partly_labeled_targets(X, y, estimator_name, unlabeled=-1):
    """Validate class labels in which -1 marks unlabeled rows.

    Parameters
    ----------
    X : array-like
        The rows, only to check that ``y`` has as many entries.
    y : array-like of shape (n_samples,) or None
        The class labels, -1 for unlabeled rows.
    estimator_name : str
        Named in error messages.
    unlabeled : int, str or None, default=-1
        The label of unlabeled rows; None means every row is labeled.

    Returns
    -------
    y : ndarray of shape (n_samples,)
    labeled : ndarray of shape (n_samples,), bool
        True for the rows with a label.
    """
    if y is None:
        raise ValueError(f"{estimator_name} requires y to be passed, but the target y is None.")
    y = check_array(y, ensure_2d=False, dtype=None, ensure_all_finite=False, input_name="y")
    y = column_or_1d(y, warn=True)
    check_consistent_length(X, y)
    missing = missing_labels(y)
    if unlabeled is None and missing.any():
        raise ValueError(
            f"y has {missing.sum()} missing label(s) (None or NaN), first at row "
            f"{np.flatnonzero(missing)[0]}; with unlabeled=None every row must be labeled. "
            "Drop those rows, or leave unlabeled=-1 to treat them as unlabeled."
        )
    labeled = ~unlabeled_mask(y, unlabeled)
    if labeled.all() and isinstance(unlabeled, Integral) and _has_strings(y):
        raise ValueError(
            f"y holds string labels, and no row is marked unlabeled={unlabeled!r}, so "
            f"every value (a marker such as 'unknown' too) would become a class of "
            f"{estimator_name}. Mark unlabeled rows with {unlabeled!r} or None in an "
            "object array, pass the marker you use as unlabeled='...', or "
            "unlabeled=None if every row is labeled."
        )
    if not labeled.any():
        raise ValueError(
            f"{estimator_name} needs labeled rows, but every entry of y is "
            f"{unlabeled!r} (the mark of an unlabeled row, set by `unlabeled`)."
        )
    check_classification_targets(y[labeled])
    n_classes = len(np.unique(y[labeled]))
    if n_classes < 2:
        raise ValueError(
            f"{estimator_name} needs at least 2 classes among the labeled rows, "
            f"got {n_classes} class."
        )
    return y, labeled


def _has_strings(y):
    return y.dtype.kind in "US" or any(isinstance(value, str) for value in y)


def labeled_accuracy(classifier, X, y, sample_weight=None):
    """Accuracy of ``classifier`` on the rows whose label is not ``classifier.unlabeled``."""
    y = np.asarray(y)
    labeled = ~unlabeled_mask(y, classifier.unlabeled)
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight)[labeled]
    if not labeled.all():
        X = _safe_indexing(X, np.flatnonzero(labeled))
    return accuracy_score(y[labeled], classifier.predict(X), sample_weight=sample_weight)


class PartlyLabeledClassifierMixin:
    """The ``unlabeled`` parameter of a classifier, and the score that honours it."""

    _shared_parameters = {"unlabeled": UNLABELED}
    _parameter_constraints: dict = {"unlabeled": UNLABELED.constraint}

    def _partly_labeled_targets(self, X, y):
        """``(y, labeled)``: validated labels and the mask of the labeled rows."""
        return check_partly_labeled_targets(X, y, type(self).__name__, self.unlabeled)

    def score(self, X, y, sample_weight=None):
        """Accuracy on the labeled rows of ``(X, y)``; rows marked ``unlabeled`` are ignored.

        So ``cross_val_score`` and ``GridSearchCV`` on partly labeled data
        score each test fold on its labeled rows (a scoring string such as
        ``"accuracy"`` would count the unlabeled rows as errors).

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows.
        y : array-like of shape (n_samples,)
            True labels, ``unlabeled`` (-1) for unlabeled rows.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
        """
        return labeled_accuracy(self, X, y, sample_weight)
