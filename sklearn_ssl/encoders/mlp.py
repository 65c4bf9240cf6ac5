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
    """Subtract a per-feature mean and divide by a per-feature scale.

    The statistics are buffers: fitted once from the training rows, saved with
    the module, and never trained.

    Parameters
    ----------
    mean, scale : torch.Tensor of shape (n_features,)
    """

    def __init__(self, mean, scale):
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("scale", torch.as_tensor(scale, dtype=torch.float32))

    def forward(self, X):
        return (X - self.mean) / self.scale  # (batch, n_features)


class TabularEncoder(nn.Module):
    """Standardise raw rows, then apply a network: the fitted ``encoder_``.

    Parameters
    ----------
    standardize : Standardize
        Maps raw rows to the scale the network was trained on.
    body : torch.nn.Module
        Maps standardised rows to embeddings.
    """

    def __init__(self, standardize, body):
        super().__init__()
        self.standardize = standardize
        self.body = body

    def forward(self, X):
        return self.body(self.standardize(X))  # (batch, n_components)
