"""Pretext tasks: an encoder plus heads, augmentation and a loss in one module."""

import warnings

from .base import PretextTask
from .byol import BYOLTask
from .masked_features import MaskedFeatureTask
from .masked_image import MaskedImageTask
from .masked_series import MaskedSeriesTask
from .masked_tokens import MaskedTokenTask
from .rotation import RotationTask, rotate_all
from .siamese import SiameseTask
from .ts2vec import TS2VecTask

__all__ = [
    "BYOLTask",
    "MaskedFeatureTask",
    "MaskedImageTask",
    "MaskedSeriesTask",
    "MaskedTokenTask",
    "PretextTask",
    "RotationTask",
    "SiameseTask",
    "TS2VecTask",
    "rotate_all",
]

#: Parts that lived here in 0.1.0, and where they are now.
_MOVED = {"PatchDecoder": "sklearn_ssl.heads", "random_patch_mask": "sklearn_ssl.augment"}


def __getattr__(name):
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"sklearn_ssl.tasks.{name} moved to {_MOVED[name]}.{name} in 0.2; the old "
        "name goes in 0.3.",
        FutureWarning,
        stacklevel=2,
    )
    import importlib

    return getattr(importlib.import_module(_MOVED[name]), name)
