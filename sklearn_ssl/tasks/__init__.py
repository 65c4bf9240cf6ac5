"""Pretext tasks: an encoder plus heads, augmentation and a loss in one module."""

from .base import PretextTask
from .byol import BYOLTask
from .masked_features import MaskedFeatureTask
from .siamese import SiameseTask

__all__ = ["BYOLTask", "MaskedFeatureTask", "PretextTask", "SiameseTask"]
