"""Corruption of table cells with draws from each feature's marginal.

SCARF (Bahri et al. 2022) builds its positive view this way, and VIME (Yoon et
al. 2020) uses the same corruption for its mask-estimation task. The marginal
of a feature is estimated by the current batch, itself a uniform random sample
of the training rows: a replaced cell takes the value of the same column in
another random row of the batch. SCARF with ``n_neighbors`` corrupts a row
and one of its nearest rows (:class:`CorruptedNeighbors`).
"""

import torch
from torch import nn


def marginal_corruption(X, rate, generator=None):
    """Replace a random fraction of each row's cells by marginal draws.

    Parameters
    ----------
    X : torch.Tensor of shape (batch, n_features)
        The rows to corrupt.
    rate : float
        Probability that a cell is replaced, drawn independently per cell.
    generator : torch.Generator, optional
        Source of randomness, on ``X.device``.

    Returns
    -------
    corrupted : torch.Tensor of shape (batch, n_features)
    mask : torch.Tensor of shape (batch, n_features), bool
        True where a cell was replaced.
    """
    batch, n_features = X.shape
    mask = torch.rand(X.shape, generator=generator, device=X.device) < rate  # (B, F)
    donor_rows = torch.randint(batch, X.shape, generator=generator, device=X.device)  # (B, F)
    donors = X.gather(0, donor_rows)  # (B, F): column j read from a random row
    return torch.where(mask, donors, X), mask


class MarginalCorruption(nn.Module):
    """Module form of :func:`marginal_corruption` that returns both outputs.

    Parameters
    ----------
    rate : float
        Probability that a cell is replaced.
    """

    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def forward(self, X, generator=None):
        return marginal_corruption(X, self.rate, generator)


class OriginalAndCorrupted(nn.Module):
    """SCARF's pair of views: the row itself and a corrupted copy.

    Parameters
    ----------
    rate : float
        Probability that a cell of the corrupted view is replaced.
    """

    def __init__(self, rate):
        super().__init__()
        self.corrupt = MarginalCorruption(rate)

    def forward(self, X, generator=None):
        corrupted, _ = self.corrupt(X, generator)
        return X, corrupted


class CorruptedNeighbors(nn.Module):
    """A pair of views from each row's neighbourhood: the row and one of its nearest rows.

    The input holds, for each row, the row itself followed by its ``k``
    nearest training rows. The first view is a corrupted copy of the row, the
    second a corrupted copy of one of its neighbours drawn at random, so a
    contrastive loss pulls together rows that lie close in the input space,
    as neighbour embeddings do (Damrich et al. 2023), while the corruption
    still asks the encoder to see past a fraction of each row's cells.

    Parameters
    ----------
    rate : float
        Probability that a cell of either view is replaced by a marginal draw.
    """

    def __init__(self, rate):
        super().__init__()
        self.corrupt = MarginalCorruption(rate)

    def forward(self, X, generator=None):
        batch, width, _ = X.shape  # (B, 1 + k, F): each row, then its k neighbours
        choice = torch.randint(1, width, (batch,), generator=generator, device=X.device)  # (B,)
        neighbours = X[torch.arange(batch, device=X.device), choice]  # (B, F)
        rows, _ = self.corrupt(X[:, 0], generator)  # (B, F)
        neighbours, _ = self.corrupt(neighbours, generator)  # (B, F)
        return rows, neighbours
