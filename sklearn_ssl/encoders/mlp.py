"""Multi-layer perceptrons for rows of a table."""

import torch
from torch import nn


class MLP(nn.Sequential):
    """Linear -> BatchNorm -> ReLU blocks, then a linear output layer.

    Parameters
    ----------
    n_inputs : int
        Width of the input rows.
    hidden_layer_sizes : sequence of int
        Width of each hidden layer.
    n_outputs : int
        Width of the output.
    """

    def __init__(self, n_inputs, hidden_layer_sizes, n_outputs):
        layers = []
        width = n_inputs
        for hidden in hidden_layer_sizes:
            layers += [nn.Linear(width, hidden), nn.BatchNorm1d(hidden), nn.ReLU()]
            width = hidden
        layers.append(nn.Linear(width, n_outputs))
        super().__init__(*layers)


class Standardize(nn.Module):
    """Subtract a per-feature center and divide by a per-feature scale.

    The statistics are buffers: fitted once from the training rows, saved with
    the module, and never trained. Missing values (NaN) stay missing.

    Parameters
    ----------
    mean, scale : torch.Tensor of shape (n_features,)
        The center and the scale of each feature.
    """

    def __init__(self, mean, scale):
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("scale", torch.as_tensor(scale, dtype=torch.float32))

    def forward(self, X):
        return (X - self.mean) / self.scale  # (batch, n_features)


class TabularEncoder(nn.Module):
    """Scale raw rows, then apply a network: the fitted ``encoder_``.

    Parameters
    ----------
    standardize : Standardize
        Maps raw rows to the scale the network was trained on.
    body : torch.nn.Module
        Maps the network's input rows to embeddings.
    columns : TableColumns or None, default=None
        Maps scaled rows of a table with categorical columns or missing
        values to the network's input rows; None passes scaled rows of
        numbers on, 0 where missing.
    """

    def __init__(self, standardize, body, columns=None):
        super().__init__()
        self.standardize = standardize
        self.body = body
        self.columns = columns

    def features(self, X):
        """The network's input rows for raw rows ``X``."""
        Z = self.standardize(X)  # (batch, n_features), NaN where missing
        if self.columns is None:
            return Z.masked_fill(Z.isnan(), 0.0)
        return self.columns(Z)  # (batch, width)

    def forward(self, X):
        return self.body(self.features(X))  # (batch, n_components)
