"""LiDAR: the effective rank of the linear discriminant of augmented views (Thilak et al. 2024)."""

import numpy as np
from sklearn.utils.validation import check_array

#: Between-row scatter below this fraction of the total counts as none (rounding).
_NO_SIGNAL = 1e-12


def lidar(Z_views, *, delta=1e-4, epsilon=1e-8):
    """LiDAR: the effective rank of the linear discriminant matrix of augmented views.

    Each row of the data is a surrogate class whose samples are the
    embeddings of its augmented views. With ``Sigma_b`` the covariance of the
    rows' mean embeddings and ``Sigma_w`` the mean covariance of each row's
    views around its mean, regularised to ``Sigma_w + delta * I`` as in the
    paper, LiDAR is the effective rank (the exponential of the Shannon
    entropy of the eigenvalues normalised to sum to one, plus ``epsilon``, as
    :func:`rankme`) of ``Sigma_w^{-1/2} Sigma_b Sigma_w^{-1/2}`` (Thilak,
    Huang, Saremi, Dinh, Goh, Susskind, Littwin and Ghosh, "LiDAR: Sensing
    Linear Probing Performance in Joint Embedding SSL Architectures", ICLR
    2024). **Higher is better**: it counts the directions in which rows are
    told apart relative to how much their views vary, from 1 (no direction,
    or one) to ``n_components``. Unlike RankMe it ignores directions that
    only carry augmentation noise. It is scale-free: rows whose mean
    embeddings differ by sampling noise alone, in every direction, also get
    a high LiDAR.

    Parameters
    ----------
    Z_views : array-like of shape (n_rows, n_views, n_components)
        Embeddings of ``n_views`` augmented views of each of ``n_rows`` rows;
        at least 2 rows and 2 views.
    delta : float, default=1e-4
        Ridge added to the within-row covariance before it is inverted.
    epsilon : float, default=1e-8
        Added to the normalised eigenvalues before the logarithm.

    Returns
    -------
    lidar : float
        1.0 when the rows' mean embeddings are all equal.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ssl.metrics import lidar
    >>> rng = np.random.default_rng(0)
    >>> means = rng.normal(size=(500, 1, 4))  # distinct rows in 4 directions
    >>> views = means + 0.1 * rng.normal(size=(500, 8, 4))
    >>> round(lidar(views))
    4
    >>> round(lidar(np.broadcast_to(views[:1], views.shape)))  # every row alike
    1
    """
    Z_views = check_array(Z_views, dtype=np.float64, allow_nd=True, ensure_min_samples=2)
    if Z_views.ndim != 3 or Z_views.shape[1] < 2:
        raise ValueError(
            "Z_views must have shape (n_rows, n_views, n_components) with at least 2 views "
            f"per row, got shape {Z_views.shape}."
        )
    n_rows, n_views, width = Z_views.shape
    means = Z_views.mean(axis=1)  # (n_rows, width)
    between_deviations = means - means.mean(axis=0)  # (n_rows, width)
    within_deviations = (Z_views - means[:, None, :]).reshape(-1, width)  # (n_rows * n_views, w)
    between = between_deviations.T @ between_deviations / (n_rows - 1)  # (width, width)
    within = within_deviations.T @ within_deviations / (n_rows * (n_views - 1))  # (width, width)
    if np.trace(between) <= _NO_SIGNAL * (np.trace(between) + np.trace(within)):
        return 1.0
    values, vectors = np.linalg.eigh(within + delta * np.eye(width))
    whiten = vectors / np.sqrt(values)  # (width, width): Sigma_w^{-1/2} = whiten @ vectors.T
    discriminant = whiten.T @ between @ whiten  # similar to Sigma_w^{-1/2} Sigma_b Sigma_w^{-1/2}
    eigenvalues = np.clip(np.linalg.eigvalsh(discriminant), 0, None)
    p = eigenvalues / eigenvalues.sum() + epsilon
    return float(np.exp(-np.sum(p * np.log(p))))
