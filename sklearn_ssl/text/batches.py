"""Length-bucketed training batches of token ids, padded to their longest row.

:class:`~sklearn_ssl.text.LengthBuckets` (the engine's plan, which the series
share) decides which rows each batch of an epoch holds;
:class:`LengthBucketBatches` cuts those batches from ids kept on the training
device, and :func:`trimmed_ids` lets the engine's
:class:`~sklearn_ssl._engine.HostBatches` stream the same batches from host
memory (``data_on_device=False``).
"""

import numpy as np
import torch

from .._engine import LengthBuckets
from .tokenizer import PAD_ID


class LengthBucketBatches:
    """Batches of :class:`~sklearn_ssl.text.LengthBuckets`, cut from padded ids on the device.

    A batch is the slice of its rows up to its longest sequence, yielded as
    ``(ids, None)``, or ``(ids, targets)`` with ``targets`` (fine-tuning).

    Parameters
    ----------
    ids : torch.Tensor of shape (n_samples, longest), int64
        ``[PAD]``-padded token ids, on the training device.
    lengths : ndarray of shape (n_samples,)
        Token count of each row (on the host, so batches need no device sync).
    batch_size : int
        The smallest number of rows per batch.
    generator : torch.Generator
        A generator on ``ids.device`` that decides the order.
    targets : torch.Tensor of shape (n_samples, ...) or None, default=None
        Targets of the rows, on the same device.
    """

    def __init__(self, ids, lengths, batch_size, generator, targets=None):
        self.ids = ids
        self.lengths = np.asarray(lengths)
        self.plan = LengthBuckets(lengths, batch_size)
        self.generator = generator
        self.targets = targets

    def __len__(self):
        return len(self.plan)

    @property
    def n_tokens(self):
        """Non-padding tokens per epoch."""
        return int(self.lengths.sum())

    def __iter__(self):
        for rows in self.plan(self.generator):
            longest = int(self.lengths[rows].max())
            index = torch.from_numpy(rows).to(self.ids.device)
            targets = None if self.targets is None else self.targets[index]
            yield self.ids[index, :longest], targets  # (batch, longest), (batch, ...)


def trimmed_ids(ids, device, pad_id=PAD_ID):
    """A batch of ``pad_id``-padded ids (a host array) as a tensor on ``device``, cut to
    its longest row."""
    longest = max(1, int((ids != pad_id).sum(axis=1).max()))
    return torch.from_numpy(np.ascontiguousarray(ids[:, :longest])).to(device)  # (batch, longest)
