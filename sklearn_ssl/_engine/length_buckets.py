"""The batches of an epoch, rows of similar length together: text's and series' batch plan."""

import numpy as np
import torch

from .batches import n_batches

#: Batches per bucket: rows are sorted by length within groups this many batches large.
BUCKET_BATCHES = 50


class LengthBuckets:
    """The batches of an epoch: similar lengths together, a fresh mix every epoch.

    Each epoch draws a permutation from the generator, cuts it into groups of
    ``BUCKET_BATCHES`` batches, sorts each group by length and splits it into
    nearly equal batches, then orders the batches at random. So little
    compute goes to padding while every epoch mixes the data anew. As with
    shuffled batches, there are :func:`~.batches.n_batches` batches and every
    row is seen once.

    Parameters
    ----------
    lengths : ndarray of shape (n_samples,)
        Length of each row (token count of a text, timepoints of a series).
    batch_size : int
        The smallest number of rows per batch.
    """

    def __init__(self, lengths, batch_size):
        self.lengths = np.asarray(lengths)
        self.batch_size = batch_size

    def __len__(self):
        return n_batches(len(self.lengths), self.batch_size)

    def __call__(self, generator):
        """The row indices of each batch of the epoch, in training order."""
        order = _permutation(len(self.lengths), generator)
        count = len(self)
        splits = np.array_split(order, count)
        batches = []
        for group in np.array_split(np.arange(count), -(-count // BUCKET_BATCHES)):
            rows = np.concatenate(splits[group[0] : group[-1] + 1])
            rows = rows[np.argsort(self.lengths[rows], kind="stable")]
            batches += np.array_split(rows, len(group))
        return [batches[b] for b in _permutation(count, generator)]


def _permutation(n, generator):
    return torch.randperm(n, generator=generator, device=generator.device).cpu().numpy()
