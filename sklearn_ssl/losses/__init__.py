"""Pretext and fine-tuning losses: a pure function per loss and a thin module around it."""

from ._distributed import gather_with_grad
from .barlow_twins import BarlowTwinsLoss, barlow_twins_loss
from .cosine_pairs import cosine_similarity_loss
from .hierarchical_contrastive import (
    HierarchicalContrastiveLoss,
    hierarchical_contrastive_loss,
    instance_contrastive_loss,
    temporal_contrastive_loss,
)
from .masked_patches import masked_patch_loss
from .masked_values import masked_value_loss
from .negative_cosine import NegativeCosineSimilarity, negative_cosine_similarity
from .nt_xent import NTXentLoss, nt_xent_loss
from .pseudo_label import pseudo_label_loss
from .soft_targets import SoftTargetCrossEntropy, soft_target_cross_entropy
from .table_reconstruction import TableReconstructionLoss, table_reconstruction_loss
from .vicreg import VICRegLoss, vicreg_loss

__all__ = [
    "BarlowTwinsLoss",
    "HierarchicalContrastiveLoss",
    "NTXentLoss",
    "NegativeCosineSimilarity",
    "SoftTargetCrossEntropy",
    "TableReconstructionLoss",
    "VICRegLoss",
    "barlow_twins_loss",
    "cosine_similarity_loss",
    "gather_with_grad",
    "hierarchical_contrastive_loss",
    "instance_contrastive_loss",
    "masked_patch_loss",
    "masked_value_loss",
    "negative_cosine_similarity",
    "nt_xent_loss",
    "pseudo_label_loss",
    "soft_target_cross_entropy",
    "table_reconstruction_loss",
    "temporal_contrastive_loss",
    "vicreg_loss",
]
