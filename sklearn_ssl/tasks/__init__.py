"""Pretext tasks: an encoder plus heads, augmentation and a loss in one module."""

from .base import PretextTask
from .masked_features import MaskedFeatureTask
from .masked_tokens import MaskedTokenTask
from .siamese import SiameseTask

__all__ = ["MaskedFeatureTask", "MaskedTokenTask", "PretextTask", "SiameseTask"]
