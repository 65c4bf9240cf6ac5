"""alpha-ReQ: the power-law decay of the embeddings' eigenspectrum (Agrawal et al. 2022)."""

import numpy as np
from sklearn.utils.validation import check_array


def alpha_req(Z, *, rtol=1e-10):
    """alpha-ReQ: the decay exponent of the eigenspectrum of the embeddings.

    Fits ``lambda_k ~ k ** -alpha`` to the eigenvalues ``lambda_1 >= lambda_2
    >= ...`` of the covariance of the embeddings, by least squares of
    ``log lambda_k`` against ``log k`` over the eigenvalues above ``rtol``
    times the largest (Agrawal, Mondal, Ghosh and Richards, "alpha-ReQ:
    Assessing Representation Quality in Self-Supervised Learning by measuring
    Eigenspectrum Decay", NeurIPS 2022). Small ``alpha`` spreads the variance
    over many directions (white, noise-like embeddings), large ``alpha``
    concentrates it in a few (towards collapse); the paper finds downstream
    accuracy best with ``alpha`` near 1. **Closer to 1 is better**, so the
    criterion ``score_criterion="alpha_req"`` scores ``-abs(alpha - 1)``,
    where higher is better.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_components)
        Embeddings; at least 2 rows.
    rtol : float, default=1e-10
        Eigenvalues below ``rtol`` times the largest are left out of the fit
        (the null space of rank-deficient embeddings, rounding noise).

    Returns
    -------
    alpha : float
        The fitted exponent; ``inf`` when fewer than two eigenvalues are left
        (collapsed or rank-1 embeddings).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ssl.metrics import alpha_req
    >>> Z = np.random.default_rng(0).normal(size=(2000, 8)) * np.arange(1, 9) ** -1.0
    >>> round(alpha_req(Z), 1)  # standard deviations k^-1: variances k^-2
    2.0
    >>> alpha_req(np.ones((5, 3)))
    inf
    """
    Z = check_array(Z, dtype=np.float64, ensure_min_samples=2)
    singular_values = np.linalg.svd(Z - Z.mean(axis=0), compute_uv=False)
    eigenvalues = singular_values**2 / (len(Z) - 1)  # of the covariance, descending
    if eigenvalues[0] == 0:
        return float("inf")
    kept = eigenvalues[eigenvalues > rtol * eigenvalues[0]]
    if len(kept) < 2:
        return float("inf")
    log_rank = np.log(np.arange(1, len(kept) + 1))
    slope = np.polyfit(log_rank, np.log(kept), 1)[0]
    return float(-slope)
