"""Normalised temperature-scaled cross-entropy (NT-Xent), the SimCLR loss.

Chen, Kornblith, Norouzi and Hinton, "A Simple Framework for Contrastive
Learning of Visual Representations", ICML 2020. For a batch of N rows with two
views each, every view must pick its partner among the other 2N - 1 views by
cosine similarity divided by a temperature.
"""

import torch
import torch.nn.functional as F
from torch import nn


def nt_xent_loss(z_a, z_b, temperature=0.5):
    """NT-Xent loss of two batches of projections whose rows are paired.

    Parameters
    ----------
    z_a, z_b : torch.Tensor of shape (batch, d)
        Projections of the two views; row i of ``z_a`` and of ``z_b`` come
        from the same example.
    temperature : float, default=0.5
        Divides the cosine similarities; smaller values weigh hard negatives more.

    Returns
    -------
    loss : torch.Tensor of shape ()
        The mean over all 2 * batch views.
    """
    assert z_a.shape == z_b.shape and z_a.ndim == 2, (z_a.shape, z_b.shape)
    batch = z_a.shape[0]
    z = F.normalize(torch.cat([z_a, z_b]).float(), dim=1)  # (2B, d)
    logits = z @ z.T / temperature  # (2B, 2B)
    logits.fill_diagonal_(float("-inf"))  # a view is not its own partner
    partner = torch.arange(2 * batch, device=z.device).roll(batch)  # (2B,)
    return F.cross_entropy(logits, partner)


class NTXentLoss(nn.Module):
    """Module form of :func:`nt_xent_loss`.

    Parameters
    ----------
    temperature : float, default=0.5
        Divides the cosine similarities.
    """

    def __init__(self, temperature=0.5):
        super().__init__()
        self.temperature = temperature

    def forward(self, z_a, z_b):
        return nt_xent_loss(z_a, z_b, self.temperature)
