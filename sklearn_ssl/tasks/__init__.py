"""Pretext tasks: an encoder plus heads, augmentation and a loss in one module."""

from .base import PretextTask
from .byol import BYOLTask
from .masked_features import MaskedFeatureTask
from .masked_image import MaskedImageTask, PatchDecoder, random_patch_mask
from .rotation import RotationTask, rotate_all
from .siamese import SiameseTask

__all__ = [
    "BYOLTask",
    "MaskedFeatureTask",
    "MaskedImageTask",
    "PatchDecoder",
    "PretextTask",
    "RotationTask",
    "SiameseTask",
    "random_patch_mask",
    "rotate_all",
]
