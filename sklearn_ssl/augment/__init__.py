"""Batched, per-row random corruptions computed on the training device."""

from .tabular import MarginalCorruption, OriginalAndCorrupted, marginal_corruption
from .text import BertMasking, bert_masking

__all__ = [
    "BertMasking",
    "MarginalCorruption",
    "OriginalAndCorrupted",
    "bert_masking",
    "marginal_corruption",
]
