"""Batched, per-row random corruptions and views computed on the training device."""

from .color import ColorJitter
from .filters import gaussian_blur, gaussian_noise
from .geometric import elastic_displacement, random_affine_theta, resample
from .image import ImageAugment
from .patches import n_masked_patches, random_patch_mask
from .series import (
    SeriesAugment,
    jitter,
    overlapping_crops,
    random_resized_crop,
    random_time_mask,
    scaling,
    take_windows,
    time_warp,
)
from .tabular import (
    CorruptedNeighbors,
    MarginalCorruption,
    OriginalAndCorrupted,
    marginal_corruption,
)
from .text import BertMasking, bert_masking
from .views import AugmentedView, TwoViews, Views

__all__ = [
    "AugmentedView",
    "BertMasking",
    "ColorJitter",
    "CorruptedNeighbors",
    "ImageAugment",
    "MarginalCorruption",
    "OriginalAndCorrupted",
    "SeriesAugment",
    "TwoViews",
    "Views",
    "bert_masking",
    "elastic_displacement",
    "gaussian_blur",
    "gaussian_noise",
    "jitter",
    "marginal_corruption",
    "n_masked_patches",
    "overlapping_crops",
    "random_affine_theta",
    "random_patch_mask",
    "random_resized_crop",
    "random_time_mask",
    "resample",
    "scaling",
    "take_windows",
    "time_warp",
]
