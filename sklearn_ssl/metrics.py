"""Label-free and few-label measures of representation quality."""

import numpy as np
from scipy.spatial.distance import pdist
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_array

from ._labels import unlabeled_mask


def rankme(Z, epsilon=1e-7):
    """RankMe: the effective rank of an embedding matrix.

    The exponential of the Shannon entropy of the embedding matrix's singular
    values normalised to sum to one (Garrido, Balestriero, Najman and LeCun,
    "RankMe: Assessing the downstream performance of pretrained self-supervised
    representations by their rank", ICML 2023). It ranges from 1 (collapsed
    embeddings) to ``min(n_samples, n_components)``, needs no labels, and tracks
    downstream accuracy across pretext settings.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_components)
        Embeddings.
    epsilon : float, default=1e-7
        Added to the normalised singular values before the logarithm.

    Returns
    -------
    rank : float

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ssl.metrics import rankme
    >>> round(rankme(np.eye(4)), 3)
    4.0
    >>> round(rankme(np.ones((5, 3))), 3)
    1.0
    """
    Z = check_array(Z, dtype=np.float64)
    singular_values = np.linalg.svd(Z, compute_uv=False)
    total = singular_values.sum()
    if total == 0:
        return 1.0
    p = singular_values / total + epsilon
    return float(np.exp(-np.sum(p * np.log(p))))


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
        Mean accuracy over the inner folds.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_ssl.metrics import linear_probe_score
    >>> X, y = load_iris(return_X_y=True)
    >>> bool(linear_probe_score(None, X, y) > 0.9)
    True
    """
    Z, y = _labeled_embeddings(estimator, X, y)
    probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    return float(cross_val_score(probe, Z, y, cv=cv).mean())


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
        Mean accuracy over the inner folds.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_ssl.metrics import knn_probe_score
    >>> X, y = load_iris(return_X_y=True)
    >>> bool(knn_probe_score(None, X, y) > 0.9)
    True
    """
    Z, y = _labeled_embeddings(estimator, X, y)
    probe = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=n_neighbors))
    return float(cross_val_score(probe, Z, y, cv=cv).mean())


def _on_sphere(Z):
    """Rows of ``Z`` scaled to unit Euclidean norm."""
    Z = check_array(Z, dtype=np.float64)
    norms = np.linalg.norm(Z, axis=1, keepdims=True)
    return Z / np.where(norms > 0, norms, 1.0)


def alignment(Z_a, Z_b, *, alpha=2):
    """Alignment of positive pairs: their mean distance on the unit sphere.

    ``mean_i ||f(a_i) - f(b_i)||^alpha`` for the L2-normalised embeddings of
    the two views ``a_i`` and ``b_i`` of each row (Wang and Isola,
    "Understanding Contrastive Representation Learning through Alignment and
    Uniformity on the Hypersphere", ICML 2020). Lower is better: 0 when both
    views of every row map to the same point, 4 (alpha=2) for opposite points.

    Parameters
    ----------
    Z_a, Z_b : array-like of shape (n_samples, n_components)
        Embeddings of two views of the same rows, row by row; they are
        normalised to unit length here.
    alpha : float, default=2
        Exponent of the distance; the paper's default.

    Returns
    -------
    alignment : float

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ssl.metrics import alignment
    >>> Z = np.array([[1.0, 0.0], [0.0, 2.0]])
    >>> alignment(Z, Z), alignment(Z, -Z)
    (0.0, 4.0)
    """
    Z_a, Z_b = _on_sphere(Z_a), _on_sphere(Z_b)
    if Z_a.shape != Z_b.shape:
        raise ValueError(f"Z_a and Z_b must have the same shape, got {Z_a.shape} and {Z_b.shape}.")
    distances = np.linalg.norm(Z_a - Z_b, axis=1)  # (n_samples,)
    return float(np.mean(distances**alpha))


def uniformity(Z, *, t=2):
    """Uniformity of embeddings on the unit sphere.

    ``log mean_{i<j} exp(-t ||f(x_i) - f(x_j)||^2)`` over all pairs of
    L2-normalised embeddings (Wang and Isola 2020, see :func:`alignment`).
    Lower is better: 0 when every row maps to the same point, more negative
    as the embeddings spread evenly over the sphere.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_components)
        Embeddings, normalised to unit length here; at least 2 rows.
    t : float, default=2
        Scale of the Gaussian potential; the paper's default.

    Returns
    -------
    uniformity : float

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ssl.metrics import uniformity
    >>> uniformity(np.ones((4, 3)))
    0.0
    >>> round(uniformity(np.array([[1.0, 0.0], [-1.0, 0.0]])), 3)
    -8.0
    """
    Z = _on_sphere(Z)
    if len(Z) < 2:
        raise ValueError(f"uniformity needs at least 2 embeddings, got {len(Z)}.")
    squared = pdist(Z, "sqeuclidean")  # (n_samples * (n_samples - 1) / 2,)
    return float(logsumexp(-t * squared) - np.log(len(squared)))
