"""Batched, per-row random corruptions computed on the training device."""

from .tabular import MarginalCorruption, OriginalAndCorrupted, marginal_corruption

__all__ = ["MarginalCorruption", "OriginalAndCorrupted", "marginal_corruption"]
