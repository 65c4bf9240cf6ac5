"""Length-bucketed training batches of token ids, padded to their longest row.

:class:`LengthBuckets` decides which rows each batch of an epoch holds;
:class:`LengthBucketBatches` cuts those batches from ids kept on the training
device, and :func:`trimmed_ids` lets the engine's
:class:`~sklearn_ssl._engine.host_batches.HostBatches` stream the same
batches from host memory (``data_on_device=False``).
"""

import numpy as np
import torch

from .tokenizer import PAD_ID

#: Batches per bucket: rows are sorted by length within groups this many batches large.
BUCKET_BATCHES = 50


class LengthBuckets:
    """The batches of an epoch: similar lengths together, a fresh mix every epoch.

    Each epoch draws a permutation from the generator, cuts it into groups of
    ``BUCKET_BATCHES`` batches, sorts each group by length and splits it into
    nearly equal batches, then orders the batches at random. So little
    compute goes to padding while every epoch mixes the data anew. As with
    shuffled batches, there are ``max(1, n // batch_size)`` batches and every
    row is seen once.

    Parameters
    ----------
    lengths : ndarray of shape (n_samples,)
        Token count of each row.
    batch_size : int
        The smallest number of rows per batch.
    """

    def __init__(self, lengths, batch_size):
        self.lengths = np.asarray(lengths)
        self.batch_size = batch_size

    def __len__(self):
        return max(1, len(self.lengths) // self.batch_size)

    def __call__(self, generator):
        """The row indices of each batch of the epoch, in training order."""
        order = _permutation(len(self.lengths), generator)
        n_batches = len(self)
        splits = np.array_split(order, n_batches)
        batches = []
        for group in np.array_split(np.arange(n_batches), -(-n_batches // BUCKET_BATCHES)):
            rows = np.concatenate(splits[group[0] : group[-1] + 1])
            rows = rows[np.argsort(self.lengths[rows], kind="stable")]
            batches += np.array_split(rows, len(group))
        return [batches[b] for b in _permutation(n_batches, generator)]


class LengthBucketBatches:
    """Batches of :class:`LengthBuckets`, cut from padded ids on the training device.

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


def _permutation(n, generator):
    return torch.randperm(n, generator=generator, device=generator.device).cpu().numpy()
