"""Training batches of series of similar length, cut to their longest series.

The batches of an epoch are the engine's length buckets, as for text
(:class:`~sklearn_ssl._engine.LengthBuckets`, lengths from
:func:`~sklearn_ssl.timeseries.validation.series_lengths`): a fresh mix every
epoch, series of similar length together, so a collection of unequal lengths
spends little compute on NaN padding. :class:`SeriesBatches` cuts them from a
collection on the training device; :func:`trimmed_series` lets the engine's
:class:`~sklearn_ssl._engine.HostBatches` stream the same batches from host
memory (``data_on_device=False``).
"""

import numpy as np
import torch

from .._engine import LengthBuckets
from .validation import series_lengths


class SeriesBatches:
    """Length-bucketed batches of a device-resident collection, yielded as ``(series, None)``
    or ``(series, targets)``.

    Parameters
    ----------
    data : torch.Tensor of shape (n_cases, n_channels, n_timepoints)
        The NaN-padded collection, on the training device.
    lengths : ndarray of shape (n_cases,)
        Each series' length (on the host, so batches need no device sync).
    batch_size : int
        The smallest number of series per batch.
    generator : torch.Generator
        A generator on ``data.device`` that decides the order.
    targets : torch.Tensor of shape (n_cases, ...) or None, default=None
        Targets of the series, on the same device (fine-tuning).
    """

    def __init__(self, data, lengths, batch_size, generator, targets=None):
        self.data = data
        self.lengths = np.asarray(lengths)
        self.plan = LengthBuckets(self.lengths, batch_size)
        self.generator = generator
        self.targets = targets

    def __len__(self):
        return len(self.plan)

    def __iter__(self):
        for rows in self.plan(self.generator):
            longest = int(self.lengths[rows].max())
            index = torch.from_numpy(rows).to(self.data.device)
            targets = None if self.targets is None else self.targets[index]
            yield self.data[index, :, :longest], targets  # (batch, n_channels, longest), (batch,)


def trimmed_series(series, device):
    """Gathered series (a host array) as a float32 tensor on ``device``, cut to the longest."""
    longest = max(1, int(series_lengths(series).max()))
    array = np.ascontiguousarray(series[:, :, :longest], dtype=np.float32)
    return torch.from_numpy(array).to(device)  # (batch, n_channels, longest)
