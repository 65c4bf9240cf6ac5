"""Embeddings of augmented views of rows, for the criteria that compare views (LiDAR, alignment)."""

import numpy as np
import torch
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._engine import make_generator, seeded_torch, torch_threads


def view_embeddings(estimator, X, *, n_views=8, max_rows=1024, random_state=0):
    """Embeddings of several augmented views of each row of ``X``.

    Each view is the row under the method's own augmentation (the one it lends
    to fine-tuning with ``augment=True``: SCARF's and VIME's corruption, the
    image methods' augmentation, random gain and noise for series), embedded
    by the fitted encoder in evaluation mode, without the ``passthrough``
    columns. These are the surrogate classes of :func:`lidar` and the
    positive pairs of :func:`alignment`.

    Parameters
    ----------
    estimator : fitted SelfSupervisedTransformer
        A method with an augmentation of rows (``MaskedLanguageModel``'s is its
        token masking); ``MaskedAutoencoder`` and ``RotationPrediction`` have none.
    X : array-like of shape (n_samples, ...)
        Rows, in the form ``fit`` takes.
    n_views : int, default=8
        Views per row, at least 2.
    max_rows : int, default=1024
        At most this many evenly spaced rows of ``X`` are used.
    random_state : int, RandomState instance or None, default=0
        Seeds the augmentation, so that two estimators scored with the same
        seed see the same kind of draws.

    Returns
    -------
    Z_views : ndarray of shape (n_rows, n_views, n_components), float32

    Raises
    ------
    NotImplementedError
        When the method has no augmentation of rows.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn_ssl import SCARF
    >>> from sklearn_ssl.metrics import lidar, view_embeddings
    >>> X, _ = load_digits(return_X_y=True)
    >>> scarf = SCARF(n_components=8, max_epochs=2, random_state=0).fit(X[:1000])
    >>> view_embeddings(scarf, X[1000:], n_views=4).shape
    (797, 4, 8)
    >>> bool(lidar(view_embeddings(scarf, X[1000:])) > 1)
    True
    """
    check_is_fitted(estimator)
    if not estimator._augments_rows():
        raise NotImplementedError(
            f"{type(estimator).__name__} has no augmentation of rows to make views with; "
            "criteria that compare views (lidar, alignment) need one. Use 'rankme', "
            "'alpha_req', 'uniformity' or 'pretext_loss'."
        )
    if not (isinstance(n_views, int) and n_views >= 2):
        raise ValueError(f"n_views must be an int of at least 2, got {n_views!r}.")
    X = estimator._validate_input(X, reset=False)
    X = X[:: -(-len(X) // max_rows)]  # ceil: evenly spaced rows, at most max_rows
    device = torch.device(estimator.net_.device)
    seed = int(check_random_state(random_state).randint(2**31 - 1))
    generator = make_generator(seed, device)
    encoder = estimator.encoder_.eval()
    Z_views = None
    with torch_threads(estimator.n_jobs, device), seeded_torch(seed, device), torch.no_grad():
        for rows, batch in estimator._embedding_batches(X, device):
            views = [estimator._augment_rows(batch, generator) for _ in range(n_views)]
            z = encoder(torch.cat(views)).float().cpu().numpy()  # (n_views * B, n_components)
            z = z.reshape(n_views, -1, z.shape[1]).transpose(1, 0, 2)  # (B, n_views, d)
            if Z_views is None:
                Z_views = np.empty((len(X), n_views, z.shape[2]), dtype=np.float32)
            Z_views[rows] = z
    return Z_views
