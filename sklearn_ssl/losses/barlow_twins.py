"""Barlow Twins: redundancy reduction between the two views' projections.

Zbontar, Jing, Misra, LeCun and Deny, "Barlow Twins: Self-Supervised Learning
via Redundancy Reduction", ICML 2021. The cross-correlation matrix of the two
views' batch-standardised projections is pushed towards the identity: its
diagonal to 1 (invariance), its off-diagonal entries to 0 (redundancy
reduction, weighted by lambda = 5e-3 in the paper).
"""

import torch
from torch import nn

from ._distributed import paired_batch


def cross_correlation(z_a, z_b, epsilon=1e-5):
    """Cross-correlation of batch-standardised projections: (batch, d) x2 -> (d, d)."""
    batch = z_a.shape[0]
    z_a = (z_a - z_a.mean(dim=0)) / torch.sqrt(z_a.var(dim=0, unbiased=False) + epsilon)
    z_b = (z_b - z_b.mean(dim=0)) / torch.sqrt(z_b.var(dim=0, unbiased=False) + epsilon)
    return z_a.T @ z_b / batch  # (d, d)


def barlow_twins_loss(z_a, z_b, redundancy_weight=5e-3, *, gather_distributed=False):
    """Barlow Twins loss of two batches of paired projections.

    Parameters
    ----------
    z_a, z_b : torch.Tensor of shape (batch, d)
        Projections of the two views; row i of each comes from the same
        example. batch must be at least 2.
    redundancy_weight : float, default=5e-3
        The paper's lambda, weight of the off-diagonal terms.
    gather_distributed : bool, default=False
        Standardise and correlate over every process's rows in a data-parallel
        fit (the estimators pass True); False uses each process's own rows.
        Outside a data-parallel fit both are the same.

    Returns
    -------
    loss : torch.Tensor of shape ()
        The diagonal's squared distance to 1, plus ``redundancy_weight`` times
        the squared off-diagonal entries.
    """
    z_a, z_b = paired_batch(z_a, z_b, gather_distributed)  # (B, d) each, float32
    c = cross_correlation(z_a, z_b)  # (d, d)
    on_diagonal = (c.diagonal() - 1).pow(2).sum()
    off_diagonal = c.pow(2).sum() - c.diagonal().pow(2).sum()
    return on_diagonal + redundancy_weight * off_diagonal


class BarlowTwinsLoss(nn.Module):
    """Module form of :func:`barlow_twins_loss`.

    Parameters
    ----------
    redundancy_weight : float, default=5e-3
        Weight of the off-diagonal (redundancy) terms.
    gather_distributed : bool, default=False
        Take the batch statistics over every process of a data-parallel fit.
    """

    def __init__(self, redundancy_weight=5e-3, *, gather_distributed=False):
        super().__init__()
        self.redundancy_weight = redundancy_weight
        self.gather_distributed = gather_distributed

    def forward(self, z_a, z_b):
        return barlow_twins_loss(
            z_a, z_b, self.redundancy_weight, gather_distributed=self.gather_distributed
        )
