"""Negative cosine similarity, the regression loss of BYOL.

Grill et al., "Bootstrap Your Own Latent: A New Approach to Self-Supervised
Learning", NeurIPS 2020. The online network's prediction regresses the target
network's projection of the other view; the paper's loss 2 - 2 cos is this
loss up to a constant and a factor 2.
"""

import torch.nn.functional as F
from torch import nn


def negative_cosine_similarity(p, z):
    """Mean negative cosine similarity of paired rows; ``z`` gets no gradient.

    Parameters
    ----------
    p : torch.Tensor of shape (batch, d)
        Predictions.
    z : torch.Tensor of shape (batch, d)
        Targets; detached, so gradients flow through ``p`` only.

    Returns
    -------
    loss : torch.Tensor of shape (), in [-1, 1]
    """
    assert p.shape == z.shape and p.ndim == 2, (p.shape, z.shape)
    return -F.cosine_similarity(p.float(), z.detach().float(), dim=1).mean()


class NegativeCosineSimilarity(nn.Module):
    """Module form of :func:`negative_cosine_similarity`."""

    def forward(self, p, z):
        return negative_cosine_similarity(p, z)
