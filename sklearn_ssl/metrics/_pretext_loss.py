"""The pretext loss of a fitted self-supervised transformer on rows it did not train on."""

import numpy as np
import torch
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._engine import make_generator, seeded_torch, torch_threads


def pretext_loss(estimator, X, *, random_state=0):
    """Mean pretext loss of a fitted self-supervised transformer on the rows of ``X``.

    The estimator's own training objective, evaluated on ``X`` (held-out rows,
    to measure how well the pretext task generalises) in batches of
    ``batch_size`` rows as in training, with the task in evaluation mode
    (dropout off, batch normalisation on its running statistics) and without
    gradients; the weights do not change. **Lower is better** within one
    method and one set of loss settings; losses of different methods, or of
    settings that change the loss's scale (a temperature, a batch size for a
    contrastive loss), are not comparable.

    Parameters
    ----------
    estimator : fitted SelfSupervisedTransformer
        The method whose pretext task is evaluated.
    X : array-like of shape (n_samples, ...)
        Rows, in the form ``fit`` takes.
    random_state : int, RandomState instance or None, default=0
        Seeds the batch order and the task's random draws (views, masks), so
        that two estimators scored with the same seed see the same draws.

    Returns
    -------
    loss : float
        The mean of the batch losses.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn_ssl import VIME
    >>> from sklearn_ssl.metrics import pretext_loss
    >>> X, _ = load_digits(return_X_y=True)
    >>> vime = VIME(n_components=8, max_epochs=2, random_state=0).fit(X[:1000])
    >>> bool(pretext_loss(vime, X[1000:]) > 0)
    True
    """
    check_is_fitted(estimator)
    X = estimator._validate_input(X, reset=False)
    estimator._check_n_samples(X)
    net = estimator.net_
    device = torch.device(net.device)
    seed = int(check_random_state(random_state).randint(2**31 - 1))
    generator = make_generator(seed, device)
    net.module_.eval()
    losses = []
    with torch_threads(estimator.n_jobs, device), seeded_torch(seed, device), torch.no_grad():
        for X_batch, _ in estimator._training_batches(
            estimator._pretext_rows(X), device, generator
        ):
            losses.append(float(net.infer(X_batch, generator=generator)["loss"]))
    return float(np.mean(losses))
