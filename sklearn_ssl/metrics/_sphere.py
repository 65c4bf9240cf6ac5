"""Alignment and uniformity on the unit sphere (Wang and Isola 2020)."""

import numpy as np
from scipy.spatial.distance import pdist
from scipy.special import logsumexp
from sklearn.utils.validation import check_array


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
