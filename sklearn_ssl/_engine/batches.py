"""Mini-batches cut from tensors that already live on the training device."""

import torch


def n_batches(n_samples, batch_size):
    """Batches per epoch: ``max(1, n_samples // batch_size)``, none below ``batch_size`` rows."""
    return max(1, n_samples // batch_size)


def shuffled_batches(n_samples, batch_size, generator):
    """Row indices of one epoch's batches, on ``generator``'s device.

    A fresh permutation drawn from ``generator``, split into
    :func:`n_batches` nearly equal parts: every row is seen each epoch and no
    batch is smaller than ``batch_size`` (unless the whole data set is), so
    contrastive losses and batch normalisation never see a ragged one-row
    batch.
    """
    order = torch.randperm(n_samples, generator=generator, device=generator.device)
    return order.tensor_split(n_batches(n_samples, batch_size))


class DeviceBatches:
    """Iterate over shuffled mini-batches of device-resident tensors.

    Batches are :func:`shuffled_batches` of the rows, yielded as
    ``(X_batch, y_batch)`` pairs, the form skorch's training step unpacks
    (``y_batch`` is None without ``targets``).

    Parameters
    ----------
    data : torch.Tensor of shape (n_samples, ...)
        The training rows, already on the training device.
    batch_size : int
        The smallest number of rows per batch.
    generator : torch.Generator
        A generator on ``data.device`` that decides the order (and augmentation).
    targets : torch.Tensor of shape (n_samples, ...) or None, default=None
        Targets of the rows, on the same device (fine-tuning).
    augment : callable or None, default=None
        ``augment(X_batch, generator) -> X_batch``, applied to every batch.
    """

    def __init__(self, data, batch_size, generator, targets=None, augment=None):
        self.data = data
        self.batch_size = batch_size
        self.generator = generator
        self.targets = targets
        self.augment = augment

    def __len__(self):
        return n_batches(len(self.data), self.batch_size)

    def __iter__(self):
        for rows in shuffled_batches(len(self.data), self.batch_size, self.generator):
            X_batch = self.data[rows]
            if self.augment is not None:
                X_batch = self.augment(X_batch, self.generator)
            yield X_batch, None if self.targets is None else self.targets[rows]
