"""Projection heads of the joint-embedding methods, dropped after pretraining."""

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


def expander_head(n_inputs, width, n_layers=3):
    """An MLP of ``n_layers`` equal-width layers, batch norm and ReLU between them.

    The projector ("expander") of Barlow Twins (Zbontar et al. 2021) and
    VICReg (Bardes et al. 2022), whose losses act on every output dimension.

    Parameters
    ----------
    n_inputs : int
        Width of the input.
    width : int
        Width of every layer, the output included.
    n_layers : int, default=3
        Number of linear layers.

    Returns
    -------
    head : torch.nn.Sequential
    """
    layers = []
    for _ in range(n_layers - 1):
        layers += [nn.Linear(n_inputs, width), nn.BatchNorm1d(width), nn.ReLU()]
        n_inputs = width
    layers.append(nn.Linear(n_inputs, width))
    return nn.Sequential(*layers)
