"""VICReg: variance-invariance-covariance regularisation.

Bardes, Ponce and LeCun, "VICReg: Variance-Invariance-Covariance
Regularization for Self-Supervised Learning", ICLR 2022. The two views'
projections are pulled together (invariance, a mean squared error), each
dimension's standard deviation over the batch is pushed above 1 (variance, a
hinge) and off-diagonal covariances are pushed to 0 (covariance). The paper's
weights are 25, 25 and 1.
"""

import torch
import torch.nn.functional as F
from torch import nn

from ._distributed import paired_batch


def invariance_term(z_a, z_b):
    """Mean squared distance between paired projections, (batch, d) each."""
    return F.mse_loss(z_a, z_b)


def variance_term(z, epsilon=1e-4):
    """Mean hinge ``max(0, 1 - std)`` of each dimension's std over the batch."""
    std = torch.sqrt(z.var(dim=0) + epsilon)  # (d,)
    return F.relu(1 - std).mean()


def covariance_term(z):
    """Sum of squared off-diagonal covariances over the batch, divided by d."""
    batch, dim = z.shape
    z = z - z.mean(dim=0)  # (batch, d)
    covariance = z.T @ z / (batch - 1)  # (d, d)
    off_diagonal = covariance.pow(2).sum() - covariance.diagonal().pow(2).sum()
    return off_diagonal / dim


def vicreg_loss(
    z_a,
    z_b,
    invariance_weight=25.0,
    variance_weight=25.0,
    covariance_weight=1.0,
    epsilon=1e-4,
    *,
    gather_distributed=False,
):
    """VICReg loss of two batches of paired projections.

    Parameters
    ----------
    z_a, z_b : torch.Tensor of shape (batch, d)
        Projections of the two views; row i of each comes from the same
        example. batch must be at least 2.
    invariance_weight, variance_weight, covariance_weight : float
        The paper's lambda (25), mu (25) and nu (1).
    epsilon : float, default=1e-4
        Added to the variance before the square root.
    gather_distributed : bool, default=False
        Take the invariance, variance and covariance terms over every process's
        rows in a data-parallel fit (the estimators pass True); False uses each
        process's own rows. Outside a data-parallel fit both are the same.

    Returns
    -------
    loss : torch.Tensor of shape ()
        The weighted sum of the three terms, the variance and covariance terms
        of both views.
    """
    z_a, z_b = paired_batch(z_a, z_b, gather_distributed)  # (B, d) each, float32
    return (
        invariance_weight * invariance_term(z_a, z_b)
        + variance_weight * (variance_term(z_a, epsilon) + variance_term(z_b, epsilon))
        + covariance_weight * (covariance_term(z_a) + covariance_term(z_b))
    )


class VICRegLoss(nn.Module):
    """Module form of :func:`vicreg_loss`.

    Parameters
    ----------
    invariance_weight, variance_weight, covariance_weight : float
        Weights of the three terms (paper: 25, 25, 1).
    gather_distributed : bool, default=False
        Take the batch statistics over every process of a data-parallel fit.
    """

    def __init__(
        self,
        invariance_weight=25.0,
        variance_weight=25.0,
        covariance_weight=1.0,
        *,
        gather_distributed=False,
    ):
        super().__init__()
        self.invariance_weight = invariance_weight
        self.variance_weight = variance_weight
        self.covariance_weight = covariance_weight
        self.gather_distributed = gather_distributed

    def forward(self, z_a, z_b):
        return vicreg_loss(
            z_a,
            z_b,
            self.invariance_weight,
            self.variance_weight,
            self.covariance_weight,
            gather_distributed=self.gather_distributed,
        )
