"""Few-label scorers: the accuracy of a linear or k-NN probe on the embeddings."""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_array

from .._labels import unlabeled_mask


def _probe_score(probe, estimator, X, y, cv):
    """Mean cross-validated accuracy of ``probe`` on the labeled rows' embeddings."""
    Z, y = _labeled_embeddings(estimator, X, y)
    return float(cross_val_score(probe, Z, y, cv=cv).mean())


def _labeled_embeddings(estimator, X, y):
    """Embeddings of the labeled rows (label not -1) and their labels."""
    Z = X if estimator is None else estimator.transform(X)
    Z = check_array(Z, dtype=np.float64)
    y = np.asarray(y)
    labeled = ~unlabeled_mask(y)
    return Z[labeled], y[labeled]


def linear_probe_score(estimator, X, y, *, cv=5):
    """Cross-validated accuracy of a linear probe on the embeddings of ``X``.

    A scorer: ``GridSearchCV(SCARF(), grid, scoring=linear_probe_score)``
    fits each candidate transformer without labels on the training folds and
    scores it by how well a linear classifier (standardisation, then logistic
    regression) separates the classes of the held-out fold's embeddings,
    estimated by an inner ``cv``-fold cross-validation on that fold. Rows with
    label -1 are left out.

    Parameters
    ----------
    estimator : fitted transformer or None
        Embeds ``X`` with ``transform``; None takes ``X`` as the embeddings.
    X : array-like of shape (n_samples, ...)
        Rows to embed.
    y : array-like of shape (n_samples,)
        Class labels, -1 for unlabeled rows.
    cv : int or cross-validation generator, default=5
        Splits of the inner cross-validation.

    Returns
    -------
    score : float
        Mean accuracy of the linear probe over the inner folds.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_ssl.metrics import linear_probe_score
    >>> X, y = load_iris(return_X_y=True)
    >>> bool(linear_probe_score(None, X, y) > 0.9)
    True
    """
    probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    return _probe_score(probe, estimator, X, y, cv)


def knn_probe_score(estimator, X, y, *, n_neighbors=5, cv=5):
    """Cross-validated accuracy of a k-nearest-neighbours probe on the embeddings.

    A scorer like :func:`linear_probe_score`, with a k-NN classifier on
    standardised embeddings: it rewards embeddings whose neighbourhoods share
    labels, without fitting any weights.

    Parameters
    ----------
    estimator : fitted transformer or None
        Embeds ``X`` with ``transform``; None takes ``X`` as the embeddings.
    X : array-like of shape (n_samples, ...)
        Rows to embed.
    y : array-like of shape (n_samples,)
        Class labels, -1 for unlabeled rows.
    n_neighbors : int, default=5
        Neighbours that vote.
    cv : int or cross-validation generator, default=5
        Splits of the inner cross-validation.

    Returns
    -------
    score : float
        Mean accuracy of the k-NN probe over the inner folds.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_ssl.metrics import knn_probe_score
    >>> X, y = load_iris(return_X_y=True)
    >>> bool(knn_probe_score(None, X, y, n_neighbors=10) > 0.9)
    True
    """
    probe = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=n_neighbors))
    return _probe_score(probe, estimator, X, y, cv)
