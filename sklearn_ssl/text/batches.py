"""Length-bucketed training batches of token ids, padded to their longest row."""

import numpy as np
import torch

from .tokenizer import pad_ids

#: Batches per bucket: rows are sorted by length within groups this many batches large.
BUCKET_BATCHES = 50


class LengthBucketBatches:
    """Shuffled batches of similar-length sequences, padded to the batch's longest.

    The ids are padded once into a tensor on the training device. Each epoch
    draws a permutation from ``generator``, cuts it into groups of
    ``BUCKET_BATCHES`` batches, sorts each group by length and splits it into
    nearly equal batches, then visits the batches in a random order. A batch is
    the slice of its rows up to its longest sequence, so little compute goes to
    padding while every epoch mixes the data anew. As with ``DeviceBatches``,
    there are ``max(1, n // batch_size)`` batches and every row is seen once.

    Parameters
    ----------
    sequences : list of 1-D int arrays
        Token ids of each training string (already truncated).
    batch_size : int
        The smallest number of rows per batch.
    device : torch.device
        Where the padded ids live.
    generator : torch.Generator
        A generator on ``device`` that decides the order.
    """

    def __init__(self, sequences, batch_size, device, generator):
        self.ids = pad_ids(sequences, device)  # (n, longest)
        self.lengths = np.array([len(seq) for seq in sequences])
        self.batch_size = batch_size
        self.generator = generator

    def __len__(self):
        return max(1, len(self.lengths) // self.batch_size)

    @property
    def n_tokens(self):
        """Non-padding tokens per epoch."""
        return int(self.lengths.sum())

    def _draw(self, n):
        return torch.randperm(n, generator=self.generator, device=self.ids.device).cpu().numpy()

    def __iter__(self):
        order = self._draw(len(self.lengths))
        n_batches = len(self)
        splits = np.array_split(order, n_batches)
        batches = []
        for group in np.array_split(np.arange(n_batches), -(-n_batches // BUCKET_BATCHES)):
            rows = np.concatenate(splits[group[0] : group[-1] + 1])
            rows = rows[np.argsort(self.lengths[rows], kind="stable")]
            batches += np.array_split(rows, len(group))
        for b in self._draw(n_batches):
            rows = batches[b]
            longest = int(self.lengths[rows].max())
            index = torch.from_numpy(rows).to(self.ids.device)
            yield self.ids[index, :longest], None  # (batch, longest)
