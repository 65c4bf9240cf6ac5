"""Pretext tasks: an encoder plus heads, augmentation and a loss in one module."""

from .base import PretextTask
from .byol import BYOLTask
from .masked_features import MaskedFeatureTask
from .masked_image import MaskedImageTask, PatchDecoder, random_patch_mask
from .masked_tokens import MaskedTokenTask
from .rotation import RotationTask, rotate_all
from .siamese import SiameseTask

__all__ = [
    "BYOLTask",
    "MaskedFeatureTask",
    "MaskedImageTask",
    "MaskedTokenTask",
    "PatchDecoder",
    "PretextTask",
    "RotationTask",
    "SiameseTask",
    "random_patch_mask",
    "rotate_all",
]
