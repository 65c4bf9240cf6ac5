"""RankMe: the effective rank of embeddings (Garrido et al. 2023)."""

import numpy as np
from sklearn.utils.validation import check_array


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
