"""The encoder of the series methods: standardise, encode every timestamp, pool.

A *sequence network* (a :class:`~sklearn_ssl.encoders.SequenceNetwork`:
:class:`~sklearn_ssl.encoders.DilatedConvNetwork`,
:class:`~sklearn_ssl.encoders.PatchTransformerNetwork` or your own) maps
standardised values to one state per step (a timestamp or a patch).
:class:`SeriesEncoder` wraps it into the fitted ``encoder_``: raw NaN-padded
series in, one vector per series out.
"""

import torch
from torch import nn


class ChannelStandardize(nn.Module):
    """Subtract a per-channel mean and divide by a per-channel scale; NaN stays NaN.

    Computed as ``X / scale - mean / scale``, so that values near the float32
    limit do not overflow. The statistics are buffers, fitted once.

    Parameters
    ----------
    mean, scale : array-like of shape (n_channels,)
    """

    def __init__(self, mean, scale):
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("scale", torch.as_tensor(scale, dtype=torch.float32))

    def forward(self, X):
        # X (B, C, T)
        return X / self.scale[:, None] - (self.mean / self.scale)[:, None]  # (B, C, T)


def pool_states(states, valid, pooling):
    """One vector per series: the max or mean of its valid states.

    Parameters
    ----------
    states : torch.Tensor of shape (batch, n_steps, width)
    valid : torch.Tensor of shape (batch, n_steps), bool
        The steps that hold observed values; at least one per series.
    pooling : {"max", "mean"}

    Returns
    -------
    pooled : torch.Tensor of shape (batch, width)
    """
    if pooling == "max":
        return states.masked_fill(~valid.unsqueeze(-1), float("-inf")).amax(dim=1)
    weights = valid.unsqueeze(-1).to(states.dtype)  # (B, L, 1)
    return (states * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1)


class SeriesEncoder(nn.Module):
    """Raw series to embeddings: the fitted ``encoder_`` of the series methods.

    A timestamp with a NaN in any channel is missing: its values become zero
    and the network leaves it out (TS2Vec's rule), so NaN padding to a longer
    batch changes no series' embedding.

    Parameters
    ----------
    standardize : ChannelStandardize
        Raw values to the scale the network was trained on.
    network : torch.nn.Module
        A sequence network (see the module docstring).
    pooling : {"max", "mean"}
        How the states of a series become its embedding.
    """

    def __init__(self, standardize, network, pooling):
        super().__init__()
        self.standardize = standardize
        self.network = network
        self.pooling = pooling

    def inputs(self, X):
        """Standardised values with missing ones zeroed, and the observed timestamps.

        Parameters
        ----------
        X : torch.Tensor of shape (batch, n_channels, n_timepoints)
            Raw series; NaN marks missing values.

        Returns
        -------
        values : torch.Tensor of shape (batch, n_channels, n_timepoints)
        observed : torch.Tensor of shape (batch, n_timepoints), bool
        """
        observed = ~torch.isnan(X).any(dim=1)  # (B, T)
        values = torch.where(observed.unsqueeze(1), self.standardize(X), 0.0)  # (B, C, T)
        return values, observed

    def forward(self, X):
        values, observed = self.inputs(X)
        states, valid = self.network(values, observed)  # (B, L, D), (B, L)
        return pool_states(states, valid, self.pooling)  # (B, D)
