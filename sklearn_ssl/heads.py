"""Heads that sit on top of an encoder during pretraining."""

from torch import nn


def projection_head(n_inputs, n_hidden, n_outputs):
    """A two-layer MLP head: Linear -> BatchNorm -> ReLU -> Linear.

    SimCLR (Chen et al. 2020) found that a non-linear projection between the
    representation and the contrastive loss improves the representation
    itself; the head is dropped after pretraining.

    Parameters
    ----------
    n_inputs, n_hidden, n_outputs : int
        Widths of the input, hidden and output layers.

    Returns
    -------
    head : torch.nn.Sequential
    """
    return nn.Sequential(
        nn.Linear(n_inputs, n_hidden),
        nn.BatchNorm1d(n_hidden),
        nn.ReLU(),
        nn.Linear(n_hidden, n_outputs),
    )
