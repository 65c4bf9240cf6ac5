"""Turn training faults into clear warnings and errors.

* :func:`warn_if_collapsed`: representation collapse after ``fit`` becomes a
  :class:`~sklearn_ssl.exceptions.CollapseWarning`;
* :func:`explain_out_of_memory`: a device out-of-memory error is re-raised
  with advice on ``batch_size``.
"""

import contextlib
import warnings

import numpy as np
import torch

from ..exceptions import CollapseWarning

#: Training rows embedded after ``fit`` to look for collapse.
COLLAPSE_CHECK_ROWS = 256

#: Spread of the embeddings (root of their total variance) relative to their
#: root mean square norm under which they count as collapsed.
COLLAPSE_RELATIVE_SPREAD = 1e-3


def relative_spread(embeddings):
    """Root total variance of ``embeddings`` divided by their RMS norm.

    Parameters
    ----------
    embeddings : ndarray of shape (n_samples, n_components)

    Returns
    -------
    spread : float
        0 when every row has the same embedding; about 1 for centred data.
    """
    embeddings = np.asarray(embeddings, dtype=np.float64)
    total_variance = embeddings.var(axis=0).sum()
    mean_square_norm = (embeddings**2).sum(axis=1).mean()
    if mean_square_norm == 0:
        return 0.0
    return float(np.sqrt(total_variance / mean_square_norm))


def warn_if_collapsed(embeddings, estimator_name):
    """Warn with :class:`CollapseWarning` when the embeddings barely differ.

    Parameters
    ----------
    embeddings : ndarray of shape (n_samples, n_components)
        Embeddings of (some of) the training rows.
    estimator_name : str
        Named in the message.
    """
    if len(embeddings) < 2:
        return
    spread = relative_spread(embeddings)
    if spread < COLLAPSE_RELATIVE_SPREAD:
        warnings.warn(
            f"{estimator_name} collapsed: the embeddings of {len(embeddings)} training "
            f"rows are nearly identical (spread {spread:.2g} of their size), so they "
            "carry almost no information. Unless the training rows are themselves "
            "identical, lower lr, change the pretext settings or the encoder, and "
            "check the loss in history_.",
            CollapseWarning,
            stacklevel=3,
        )


@contextlib.contextmanager
def explain_out_of_memory(name, batch_size, action):
    """Re-raise a device out-of-memory error with advice on ``batch_size``.

    Parameters
    ----------
    name : str
        Who ran out of memory (an estimator's class name).
    batch_size : int
        The batch size the message suggests lowering.
    action : str
        What was running, e.g. ``"training"``.

    Raises
    ------
    torch.OutOfMemoryError
        Same type as the original error (chained to it), new message.
    """
    try:
        yield
    except torch.OutOfMemoryError as exc:
        raise torch.OutOfMemoryError(
            f"{name} ran out of device memory while {action} with "
            f"batch_size={batch_size}. Use a smaller batch_size (e.g. "
            f"set_params(batch_size={max(1, batch_size // 2)})), a smaller encoder, or "
            "device='cpu'; training also keeps the training rows on the device. "
            f"Original error: {exc}"
        ) from exc
