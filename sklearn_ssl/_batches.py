"""Mini-batches cut from a tensor that already lives on the training device."""

import torch


class DeviceBatches:
    """Iterate over shuffled mini-batches of a device-resident tensor.

    Every pass draws a fresh permutation from ``generator`` and splits it into
    ``max(1, n // batch_size)`` nearly equal batches: every row is seen each
    epoch and no batch is smaller than ``batch_size`` (unless the whole data set
    is), so contrastive losses and batch normalisation never see a ragged
    one-row batch. Batches are yielded as ``(X_batch, None)`` pairs, the form
    skorch's training step unpacks.

    Parameters
    ----------
    data : torch.Tensor of shape (n_samples, ...)
        The training rows, already on the training device.
    batch_size : int
        The smallest number of rows per batch.
    generator : torch.Generator
        A generator on ``data.device`` that decides the order.
    """

    def __init__(self, data, batch_size, generator):
        self.data = data
        self.batch_size = batch_size
        self.generator = generator

    def __len__(self):
        return max(1, len(self.data) // self.batch_size)

    def __iter__(self):
        n_samples = len(self.data)
        order = torch.randperm(n_samples, generator=self.generator, device=self.data.device)
        for rows in order.tensor_split(len(self)):
            yield self.data[rows], None
