"""Corrupt table cells, then estimate which cells changed and what they were."""

import torch.nn.functional as F

from .base import PretextTask


class MaskedFeatureTask(PretextTask):
    """VIME's self-supervised task: mask estimation plus feature reconstruction.

    Parameters
    ----------
    encoder : torch.nn.Module
        Maps (corrupted) rows to embeddings of shape (batch, n_components).
    corruption : torch.nn.Module
        ``corruption(X, generator) -> (corrupted, mask)``.
    mask_head : torch.nn.Module
        Maps embeddings to one logit per feature: was the cell replaced?
    feature_head : torch.nn.Module
        Maps embeddings to the reconstructed (target-scale) features.
    target : torch.nn.Module
        Maps raw rows to the scale reconstructions are scored on.
    alpha : float
        Weight of the reconstruction loss against the mask loss.
    loss : torch.nn.Module or None, default=None
        ``loss(reconstruction, target(X))`` scores the reconstruction; None is
        the mean squared error. Tables with categorical columns or missing
        values use :class:`~sklearn_ssl.losses.TableReconstructionLoss`.
    """

    def __init__(self, encoder, corruption, mask_head, feature_head, target, alpha, loss=None):
        super().__init__(encoder)
        self.corruption = corruption
        self.mask_head = mask_head
        self.feature_head = feature_head
        self.target = target
        self.alpha = alpha
        self.loss = loss

    def forward(self, X, generator=None):
        corrupted, mask = self.corruption(X, generator)  # (B, F) each
        h = self.encoder(corrupted)  # (B, n_components)
        mask_loss = F.binary_cross_entropy_with_logits(self.mask_head(h).float(), mask.float())
        reconstruction = self.feature_head(h).float()  # (B, n_outputs)
        if self.loss is None:
            reconstruction_loss = F.mse_loss(reconstruction, self.target(X))
        else:
            reconstruction_loss = self.loss(reconstruction, self.target(X))
        loss = mask_loss + self.alpha * reconstruction_loss
        return {"loss": loss, "mask_loss": mask_loss, "reconstruction_loss": reconstruction_loss}
