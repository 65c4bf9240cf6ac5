"""Normalised temperature-scaled cross-entropy (NT-Xent), the SimCLR loss.

Chen, Kornblith, Norouzi and Hinton, "A Simple Framework for Contrastive
Learning of Visual Representations", ICML 2020. For a batch of N rows with two
views each, every view must pick its partner among the other 2N - 1 views by
cosine similarity divided by a temperature.
"""

import torch
import torch.nn.functional as F
from torch import nn

from .._engine import process_shard
from ._distributed import gather_with_grad


def nt_xent_loss(z_a, z_b, temperature=0.5, *, gather_distributed=False):
    """NT-Xent loss of two batches of projections whose rows are paired.

    With ``gather_distributed=True``, in a data-parallel fit the candidates
    are the views of the whole global batch, gathered from every process with
    gradients (:func:`~sklearn_ssl.losses.gather_with_grad`): the negatives
    are those a single process would see with the global batch, as in the
    paper's large-batch training. Each process averages over its own views;
    the data-parallel average of the gradients is then the gradient of the
    global batch's loss.

    Parameters
    ----------
    z_a, z_b : torch.Tensor of shape (batch, d)
        Projections of the two views; row i of ``z_a`` and of ``z_b`` come
        from the same example.
    temperature : float, default=0.5
        Divides the cosine similarities; smaller values weigh hard negatives more.
    gather_distributed : bool, default=False
        Take the negatives from every process of a data-parallel fit (the
        estimators pass True); False keeps each process's own. Outside a
        data-parallel fit both are the same.

    Returns
    -------
    loss : torch.Tensor of shape ()
        The mean over all 2 * batch views (of this process).
    """
    assert z_a.shape == z_b.shape and z_a.ndim == 2, (z_a.shape, z_b.shape)
    batch, dim = z_a.shape
    z_a, z_b = F.normalize(z_a.float(), dim=1), F.normalize(z_b.float(), dim=1)
    pairs = torch.cat([z_a, z_b], dim=1)  # (B, 2d)
    rank, world_size = 0, 1
    if gather_distributed:  # the global batch's views (a no-op outside data-parallel)
        pairs = gather_with_grad(pairs)  # (world * B, 2d)
        rank, world_size = process_shard()
    candidates = torch.cat([pairs[:, :dim], pairs[:, dim:]])  # (2 * world * B, d)
    logits = torch.cat([z_a, z_b]) @ candidates.T / temperature  # (2B, 2 * world * B)
    view = torch.arange(2 * batch, device=z_a.device)  # (2B,)
    row = rank * batch + view % batch  # the example's row in the global batch
    is_b = view >= batch
    own = torch.where(is_b, world_size * batch + row, row)  # (2B,) column of the view itself
    partner = torch.where(is_b, row, world_size * batch + row)  # (2B,)
    logits[view, own] = float("-inf")  # a view is not its own partner
    return F.cross_entropy(logits, partner)


class NTXentLoss(nn.Module):
    """Module form of :func:`nt_xent_loss`.

    Parameters
    ----------
    temperature : float, default=0.5
        Divides the cosine similarities.
    gather_distributed : bool, default=False
        Take the negatives from every process of a data-parallel fit.
    """

    def __init__(self, temperature=0.5, *, gather_distributed=False):
        super().__init__()
        self.temperature = temperature
        self.gather_distributed = gather_distributed

    def forward(self, z_a, z_b):
        return nt_xent_loss(z_a, z_b, self.temperature, gather_distributed=self.gather_distributed)
