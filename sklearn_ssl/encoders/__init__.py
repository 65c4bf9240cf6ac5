"""Encoder networks: presets per data kind; any torch module is accepted too."""

from .mlp import MLP, Standardize, TabularEncoder
from .vit import VisionTransformer, patchify

__all__ = ["MLP", "Standardize", "TabularEncoder", "VisionTransformer", "patchify"]
