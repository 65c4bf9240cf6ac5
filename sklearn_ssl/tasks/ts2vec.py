"""TS2Vec: contextual consistency between two overlapping crops, at every time scale.

Yue, Wang, Duan, Yang, Huang, Tong and Xu, "TS2Vec: Towards Universal
Representation of Time Series", AAAI 2022. Each series of a batch gives two
overlapping crops (:func:`~sklearn_ssl.augment.series.overlapping_crops`);
each crop is encoded with a fresh random half of its timestamps hidden after
the input projection (``mask_rate``), and the states of the overlap in both
views are pulled together and pushed from the other series and the other
timestamps by the hierarchical contrastive loss.

The embeddings come from an equal-weight running average of the trained
network's weights over all optimizer steps (stochastic weight averaging, as
the authors' reference implementation embeds with), held in ``encoder``.
"""

import copy

import torch

from ..augment.series import overlapping_crops, take_windows
from ..losses.hierarchical_contrastive import hierarchical_contrastive_loss
from .base import PretextTask


class TS2VecTask(PretextTask):
    """TS2Vec's pretext task on a batch of series.

    Parameters
    ----------
    encoder : sklearn_ssl.encoders.SeriesEncoder
        The trained (online) encoder; ``self.encoder``, which embeds, is its
        weight average.
    temporal_unit : int, default=0
        Smallest time scale of the temporal term; crops overlap by at least
        ``2 ** (temporal_unit + 1)`` timestamps.
    mask_rate : float, default=0.5
        Probability that a timestamp of a crop is hidden (the paper's 0.5).
    alpha : float, default=0.5
        Weight of the instance-wise term against the temporal one.
    max_train_length : int or None, default=None
        Train on a random window of at most this many timestamps of each batch.
    """

    def __init__(self, encoder, temporal_unit=0, mask_rate=0.5, alpha=0.5, max_train_length=None):
        super().__init__(copy.deepcopy(encoder))
        self.online = encoder
        self.temporal_unit = temporal_unit
        self.mask_rate = mask_rate
        self.alpha = alpha
        self.max_train_length = max_train_length
        self.register_buffer("n_averaged", torch.zeros((), dtype=torch.long))

    def forward(self, X, generator=None):
        values, observed = self.online.inputs(X)  # (B, C, T), (B, T)
        batch, _, length = values.shape
        if self.max_train_length is not None and length > self.max_train_length:
            first = torch.randint(
                length - self.max_train_length + 1, (1,), generator=generator, device=X.device
            )
            values = take_windows(values, first.expand(batch), self.max_train_length)
            observed = take_windows(observed, first.expand(batch), self.max_train_length)
            length = self.max_train_length
        start_a, length_a, start_b, length_b, overlap = overlapping_crops(
            length, batch, 2 ** (self.temporal_unit + 1), generator, X.device
        )
        z_a = self._encode_view(values, observed, start_a, length_a, generator)  # (B, La, D)
        z_b = self._encode_view(values, observed, start_b, length_b, generator)  # (B, Lb, D)
        loss = hierarchical_contrastive_loss(
            z_a[:, -overlap:], z_b[:, :overlap], self.alpha, self.temporal_unit
        )
        return {"loss": loss}

    def _encode_view(self, values, observed, start, width, generator):
        view = take_windows(values, start, width)  # (B, C, width)
        seen = take_windows(observed, start, width)  # (B, width)
        hidden = (
            torch.rand(seen.shape, generator=generator, device=seen.device) < self.mask_rate
        )  # (B, width)
        states, _ = self.online.network(view, seen, hidden)  # (B, width, D)
        return states

    @torch.no_grad()
    def after_optimizer_step(self):
        """Fold the online weights into the running average (equal weight per step)."""
        self.n_averaged += 1
        torch._foreach_lerp_(
            list(self.encoder.parameters()),
            list(self.online.parameters()),
            1.0 / self.n_averaged.float(),
        )
