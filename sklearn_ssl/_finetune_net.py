"""The fine-tuning engine: encoder plus head, trained on labels through skorch.

It reuses :class:`~sklearn_ssl._engine.PretextNet`'s fast data path (batches
sliced from tensors already on the device, the loss read once per epoch) and
changes what a step computes: the module maps a batch to predictions and the
criterion compares them with the batch's targets.
"""

import torch
from skorch import NeuralNet
from torch import nn

from ._engine import PretextNet


class EncoderWithHead(nn.Module):
    """A pretrained encoder followed by a freshly initialised head.

    While ``freeze_encoder`` is True the encoder runs in evaluation mode and
    without gradients (batch-norm statistics and weights stay as pretrained),
    so only the head learns: a linear probe.

    Parameters
    ----------
    encoder : torch.nn.Module
        Maps a batch of inputs to embeddings of shape (batch, n_components).
    head : torch.nn.Module
        Maps embeddings to outputs of shape (batch, n_outputs).
    """

    def __init__(self, encoder, head):
        super().__init__()
        self.encoder = encoder
        self.head = head
        self.freeze_encoder = False

    def train(self, mode=True):
        super().train(mode)
        if self.freeze_encoder:
            self.encoder.eval()
        return self

    def forward(self, X):
        with torch.set_grad_enabled(torch.is_grad_enabled() and not self.freeze_encoder):
            h = self.encoder(X)  # (batch, n_components)
        return self.head(h).float()  # (batch, n_outputs)

    def after_optimizer_step(self):
        """Nothing to update outside the gradient step."""


class LabeledBatches:
    """Shuffled mini-batches of device-resident inputs and targets.

    Every pass draws a fresh permutation from ``generator`` and splits it into
    ``max(1, n // batch_size)`` nearly equal batches, as
    :class:`~sklearn_ssl._batches.DeviceBatches` does.

    Parameters
    ----------
    data : torch.Tensor of shape (n_samples, ...)
        The labeled inputs, on the training device.
    targets : torch.Tensor of shape (n_samples, ...)
        Their targets, on the same device.
    batch_size : int
        The smallest number of rows per batch.
    generator : torch.Generator
        A generator on the device that decides the order (and augmentation).
    augment : callable or None
        ``augment(X_batch, generator) -> X_batch``, applied to every batch.
    """

    def __init__(self, data, targets, batch_size, generator, augment=None):
        self.data = data
        self.targets = targets
        self.batch_size = batch_size
        self.generator = generator
        self.augment = augment

    def __len__(self):
        return max(1, len(self.data) // self.batch_size)

    def __iter__(self):
        order = torch.randperm(len(self.data), generator=self.generator, device=self.data.device)
        for rows in order.tensor_split(len(self)):
            X_batch = self.data[rows]
            if self.augment is not None:
                X_batch = self.augment(X_batch, self.generator)
            yield X_batch, self.targets[rows]


class FineTuneNet(PretextNet):
    """skorch net that trains an :class:`EncoderWithHead` on labels.

    Parameters
    ----------
    module : EncoderWithHead
        The network to train.
    freeze_epochs : int, default=0
        The encoder is frozen during the first ``freeze_epochs`` epochs.
    **kwargs
        Passed on to :class:`~sklearn_ssl._engine.PretextNet`; ``criterion``
        is the supervised loss.
    """

    def __init__(self, module, *, freeze_epochs=0, **kwargs):
        super().__init__(module, **kwargs)
        self.freeze_epochs = freeze_epochs

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        super().on_epoch_begin(net, dataset_train, dataset_valid, **kwargs)
        self.module_.freeze_encoder = len(self.history) <= self.freeze_epochs
        self._set_training(True)  # once per epoch; a frozen encoder stays in eval mode

    def train_step_single(self, batch, **fit_params):
        Xi, yi = batch  # (batch, ...), (batch,) or (batch, n_targets)
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        loss.backward()
        return {"loss": loss, "y_pred": y_pred}

    def get_loss(self, y_pred, y_true, X=None, training=False):
        return NeuralNet.get_loss(self, y_pred, y_true, X=X, training=training)
