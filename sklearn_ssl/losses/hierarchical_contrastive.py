"""TS2Vec's hierarchical contrastive loss over two views' per-timestamp states.

Yue et al., "TS2Vec: Towards Universal Representation of Time Series", AAAI
2022. The two views are the overlapping part of two crops of each series, so
timestamp ``t`` of view a and of view b is the same moment seen in two
contexts. At every scale:

* the **instance-wise** term asks, at each timestamp, every state to find its
  partner (same series, other view) among the 2B states of the batch;
* the **temporal** term asks, within each series, every state to find its
  partner (same timestamp, other view) among the 2T states of that series.

Similarities are plain dot products (no normalisation, no temperature). The
states are then max-pooled over pairs of timestamps and the terms computed
again, until one timestamp is left; the loss is the mean over scales of
``alpha * instance + (1 - alpha) * temporal`` (the temporal term only from
scale ``temporal_unit`` on, and not at the last, one-timestamp scale).
"""

import torch
import torch.nn.functional as F


def _pair_loss(z):
    """Cross-entropy of finding each row's partner in its group.

    ``z`` (groups, 2N, d): in every group, rows ``i`` and ``i + N`` are a
    positive pair; the other 2N - 2 rows of the group are the negatives.
    """
    groups, two_n, _ = z.shape
    similarity = z @ z.transpose(1, 2)  # (G, 2N, 2N)
    self_pairs = torch.eye(two_n, dtype=torch.bool, device=z.device)
    similarity = similarity.masked_fill(self_pairs, float("-inf"))
    partner = (torch.arange(two_n, device=z.device) + two_n // 2) % two_n  # (2N,)
    return F.cross_entropy(similarity.reshape(groups * two_n, two_n), partner.repeat(groups))


def instance_contrastive_loss(z_a, z_b):
    """Instance-wise term: at each timestamp, the other series of the batch are negatives.

    Parameters
    ----------
    z_a, z_b : torch.Tensor of shape (batch, n_timestamps, d)
        States of the two views; at each timestamp, series ``i`` of ``z_a``
        and of ``z_b`` are a positive pair.

    Returns
    -------
    loss : torch.Tensor of shape ()
        0 for a batch of one series.
    """
    if z_a.shape[0] == 1:
        return z_a.new_zeros(())
    return _pair_loss(torch.cat([z_a, z_b], dim=0).transpose(0, 1))  # groups: timestamps


def temporal_contrastive_loss(z_a, z_b):
    """Temporal term: within each series, the other timestamps are negatives.

    Parameters
    ----------
    z_a, z_b : torch.Tensor of shape (batch, n_timestamps, d)
        States of the two views; within series ``i``, timestamp ``t`` of
        ``z_a`` and of ``z_b`` are a positive pair.

    Returns
    -------
    loss : torch.Tensor of shape ()
        0 for a single timestamp.
    """
    if z_a.shape[1] == 1:
        return z_a.new_zeros(())
    return _pair_loss(torch.cat([z_a, z_b], dim=1))  # groups: series


def hierarchical_contrastive_loss(z_a, z_b, alpha=0.5, temporal_unit=0):
    """The TS2Vec loss of two views' states of the same timestamps.

    Parameters
    ----------
    z_a, z_b : torch.Tensor of shape (batch, n_timestamps, d)
        States of the overlap of the two crops; row ``i``, timestamp ``t`` of
        both views is the same moment of the same series.
    alpha : float, default=0.5
        Weight of the instance-wise term; ``1 - alpha`` weighs the temporal term.
    temporal_unit : int, default=0
        The temporal term starts at this scale (0: at single timestamps).

    Returns
    -------
    loss : torch.Tensor of shape ()
    """
    assert z_a.shape == z_b.shape and z_a.ndim == 3, (z_a.shape, z_b.shape)
    z_a, z_b = z_a.float(), z_b.float()
    loss = z_a.new_zeros(())
    scales = 0
    while z_a.shape[1] > 1:
        loss = loss + alpha * instance_contrastive_loss(z_a, z_b)
        if scales >= temporal_unit:
            loss = loss + (1 - alpha) * temporal_contrastive_loss(z_a, z_b)
        scales += 1
        z_a = F.max_pool1d(z_a.transpose(1, 2), kernel_size=2).transpose(1, 2)  # (B, T // 2, d)
        z_b = F.max_pool1d(z_b.transpose(1, 2), kernel_size=2).transpose(1, 2)
    loss = loss + alpha * instance_contrastive_loss(z_a, z_b)
    return loss / (scales + 1)


class HierarchicalContrastiveLoss(torch.nn.Module):
    """Module form of :func:`hierarchical_contrastive_loss`.

    Parameters
    ----------
    alpha : float, default=0.5
        Weight of the instance-wise term.
    temporal_unit : int, default=0
        The smallest scale of the temporal term.
    """

    def __init__(self, alpha=0.5, temporal_unit=0):
        super().__init__()
        self.alpha = alpha
        self.temporal_unit = temporal_unit

    def forward(self, z_a, z_b):
        return hierarchical_contrastive_loss(z_a, z_b, self.alpha, self.temporal_unit)
