"""Masked reconstruction of series: hide patches of timestamps, predict their values.

The masking family's idea carried to series, as PatchTST's self-supervised
pretraining does (Nie et al., ICLR 2023): each series is cut into patches of
``patch_size`` timestamps and a random ``mask_ratio`` of them is hidden (a
different set per series). The sequence network sees the series with those
timestamps hidden (a transformer replaces hidden patches by a mask token; the
dilated CNN zeroes them after its projection), and a linear head predicts the
standardised values of every state's timestamps. The loss scores the hidden
values that were observed.
"""

import torch

from ..augment.patches import random_patch_mask
from ..encoders.patch_transformer import patchify_series
from ..losses.masked_values import masked_value_loss
from .base import PretextTask


class MaskedSeriesTask(PretextTask):
    """Masked-patch reconstruction on a batch of series.

    Parameters
    ----------
    encoder : sklearn_ssl.encoders.SeriesEncoder
        The encoder being learned; its network's ``step`` is the timestamps per state.
    head : torch.nn.Module
        Maps a state (width ``n_components``) to ``step * n_channels`` values.
    patch_size : int
        Timestamps per hidden patch.
    mask_ratio : float
        Share of each series' patches that is hidden.
    """

    def __init__(self, encoder, head, patch_size, mask_ratio):
        super().__init__(encoder)
        self.head = head
        self.patch_size = patch_size
        self.mask_ratio = mask_ratio

    def forward(self, X, generator=None):
        values, observed = self.encoder.inputs(X)  # (B, C, T), (B, T)
        batch, channels, length = values.shape
        n_patches = max(2, -(-length // self.patch_size))  # a short batch is padded to 2 patches
        padding = n_patches * self.patch_size - length
        values = torch.cat([values, values.new_zeros(batch, channels, padding)], dim=2)
        observed = torch.cat([observed, observed.new_zeros(batch, padding)], dim=1)  # (B, N * P)
        _, patch_mask = random_patch_mask(
            batch, n_patches, self.mask_ratio, generator=generator, device=X.device
        )  # (B, N)
        hidden = patch_mask.repeat_interleave(self.patch_size, dim=1)  # (B, N * P)
        states, _ = self.encoder.network(values, observed, hidden)  # (B, L, D)
        step = self.encoder.network.step
        predicted = self.head(states)  # (B, L, step * C)
        target = patchify_series(values, step)  # (B, L, step * C)
        scored = (hidden & observed).unsqueeze(1).expand_as(values).to(values.dtype)
        return {"loss": masked_value_loss(predicted, target, patchify_series(scored, step))}
