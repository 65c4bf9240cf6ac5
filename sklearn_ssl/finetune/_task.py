"""Fine-tuning as a task of the engine: labeled batches in, a supervised loss out.

The engine trains any module whose ``forward(batch, generator=...)`` returns
``{"loss": ...}`` (:func:`~sklearn_ssl._engine.fit_net`); stage two is one such
module. A batch is ``(X, y)`` (labeled rows and their targets), or
``(X, y, X_unlabeled)`` when the unlabeled rows take part through FixMatch's
pseudo-label consistency.
"""

import torch
from skorch.callbacks import Callback
from torch import nn

from ..losses import cosine_similarity_loss, pseudo_label_loss


class FineTuningTask(nn.Module):
    """The supervised loss of a network, plus an optional consistency loss on unlabeled rows.

    Parameters
    ----------
    network : EncoderWithHead
        The encoder and head being trained; ``network(X)`` gives the outputs.
    criterion : torch.nn.Module
        ``criterion(outputs, targets)``: the supervised loss.
    augment : callable or None, default=None
        ``augment(X_batch, generator)``: the method's augmentation of rows,
        applied to the labeled rows in training.
    strong_augment : callable or None, default=None
        The augmentation whose predictions the unlabeled rows' confident
        pseudo-labels train (FixMatch's strong view); needed with ``(X, y,
        X_unlabeled)`` batches.
    consistency_weight : float, default=0.0
        Weight of :func:`~sklearn_ssl.losses.pseudo_label_loss` in the total.
    confidence_threshold : float, default=0.95
        The pseudo-label's smallest probability on the clean view.
    """

    def __init__(self, network, criterion, augment=None, strong_augment=None,
                 consistency_weight=0.0, confidence_threshold=0.95):  # fmt: skip
        super().__init__()
        self.network = network
        self.criterion = criterion
        self.augment = augment
        self.strong_augment = strong_augment
        self.consistency_weight = consistency_weight
        self.confidence_threshold = confidence_threshold

    @property
    def encoder(self):
        """The encoder being fine-tuned."""
        return self.network.encoder

    @property
    def head(self):
        """The head on the embeddings."""
        return self.network.head

    def forward(self, batch, generator=None):
        X, y, *unlabeled = batch  # (B, ...), (B,) or (B, n_targets)[, (mu * B, ...)]
        if self.training and self.augment is not None:
            X = self.augment(X, generator)
        loss = self.criterion(self.network(X), y)
        if self.training and unlabeled and self.consistency_weight > 0:
            loss = loss + self.consistency_weight * self._consistency(unlabeled[0], generator)
        return {"loss": loss}

    def _consistency(self, X_unlabeled, generator):
        """FixMatch: confident predictions on clean rows train their strong views."""
        with torch.no_grad():
            weak = self.network(X_unlabeled)  # (mu * B, n_classes)
        strong = self.network(self.strong_augment(X_unlabeled, generator))
        return pseudo_label_loss(weak, strong, self.confidence_threshold)

    def after_optimizer_step(self):
        """Nothing to update outside the gradient step."""


class PairTask(nn.Module):
    """SetFit's contrastive step: pairs of rows embed alike when they share their class.

    Parameters
    ----------
    encoder : torch.nn.Module
        The encoder being tuned; ``encoder(X)`` gives the embeddings.
    """

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, batch, generator=None):
        X_first, X_second, same = batch  # (B, ...), (B, ...), (B,)
        loss = cosine_similarity_loss(self.encoder(X_first), self.encoder(X_second), same)
        return {"loss": loss}

    def after_optimizer_step(self):
        """Nothing to update outside the gradient step."""


class WithUnlabeled:
    """Labeled batches, each paired with a batch of unlabeled rows: ``(X, y, X_unlabeled)``.

    An epoch is one pass over the unlabeled rows; the labeled batches cycle
    (reshuffled at each pass) alongside, as in FixMatch.

    Parameters
    ----------
    labeled : iterable of (X_batch, y_batch)
        Batches of the labeled rows.
    unlabeled : iterable of (X_batch, None)
        Batches of the unlabeled rows.
    """

    def __init__(self, labeled, unlabeled):
        self.labeled = labeled
        self.unlabeled = unlabeled

    def __len__(self):
        return len(self.unlabeled)

    def map_streams(self, function):
        """The same pairing of ``function(labeled)`` and ``function(unlabeled)``
        (e.g. each process's shard in a data-parallel fit)."""
        return WithUnlabeled(function(self.labeled), function(self.unlabeled))

    def __iter__(self):
        labeled = _cycle(self.labeled)
        for X_unlabeled, _ in self.unlabeled:
            X, y = next(labeled)
            yield X, y, X_unlabeled


def _cycle(batches):
    """The batches of ``batches`` over and over, a fresh epoch (new order) each time."""
    while True:
        yield from batches


class FreezeEncoder(Callback):
    """Keep the encoder frozen during the first ``epochs`` epochs (linear probing first).

    Parameters
    ----------
    epochs : int
        Epochs with the encoder in evaluation mode and without gradients.
    """

    def __init__(self, epochs):
        self.epochs = epochs

    def on_epoch_begin(self, net, **kwargs):
        task = getattr(net.module_, "module", net.module_)  # inside a data-parallel wrapper
        task.network.freeze_encoder = len(net.history) <= self.epochs
