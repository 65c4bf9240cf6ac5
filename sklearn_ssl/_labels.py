"""Targets of partly labeled data: ``y == -1`` marks an unlabeled row.

This is :mod:`sklearn.semi_supervised`'s convention. String labels with
unlabeled rows need an object array holding the integer -1 for them, or
another marker passed as the estimators' ``unlabeled`` parameter.
"""

import numpy as np
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_consistent_length, column_or_1d


def unlabeled_mask(y, unlabeled=-1):
    """Boolean mask of the rows of ``y`` equal to ``unlabeled`` (None: no row)."""
    y = np.asarray(y)
    if unlabeled is None:
        return np.zeros(len(y), dtype=bool)
    return np.asarray(y == unlabeled, dtype=bool).reshape(len(y), -1).any(axis=1)


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
    y = column_or_1d(check_array(y, ensure_2d=False, dtype=None, input_name="y"), warn=True)
    check_consistent_length(X, y)
    labeled = ~unlabeled_mask(y, unlabeled)
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
