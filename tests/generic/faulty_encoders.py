"""Encoders that fail or collapse on purpose, for the fault and persistence tests."""

import torch
from torch import nn


class FaultyEncoder(nn.Module):
    """A linear encoder that raises ``fault`` on its ``fault_at``-th training call.

    With ``in_eval=True`` it raises on every call in evaluation mode instead.
    """

    def __init__(self, width=3, fault=None, fault_at=1, in_eval=False):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(width))
        self.fault, self.fault_at, self.in_eval = fault, fault_at, in_eval
        self.training_calls = 0

    def forward(self, X):
        if self.training:
            self.training_calls += 1
        hit = self.in_eval if not self.training else self.training_calls >= self.fault_at
        if self.fault is not None and hit:
            raise self.fault
        return self.net(X.float())  # (batch, width)


class ConstantEncoder(nn.Module):
    """Maps every input to the same trainable vector: a collapsed encoder."""

    def __init__(self, width=3):
        super().__init__()
        self.value = nn.Parameter(torch.ones(width))

    def forward(self, X):
        return self.value.expand(len(X), -1)  # (batch, width)
