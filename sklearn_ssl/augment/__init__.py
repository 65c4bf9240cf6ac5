"""Batched, per-row random corruptions and views computed on the training device."""

from .color import ColorJitter
from .filters import gaussian_blur, gaussian_noise
from .geometric import elastic_displacement, random_affine_theta, resample
from .image import ImageAugment, TwoViews
from .tabular import MarginalCorruption, OriginalAndCorrupted, marginal_corruption
from .text import BertMasking, bert_masking

__all__ = [
    "BertMasking",
    "ColorJitter",
    "ImageAugment",
    "MarginalCorruption",
    "OriginalAndCorrupted",
    "TwoViews",
    "bert_masking",
    "elastic_displacement",
    "gaussian_blur",
    "gaussian_noise",
    "marginal_corruption",
    "random_affine_theta",
    "resample",
]
