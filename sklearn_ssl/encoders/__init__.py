"""Encoder networks: presets per data kind; any torch module is accepted too."""

from .mlp import MLP, Standardize, TabularEncoder

__all__ = ["MLP", "Standardize", "TabularEncoder"]
