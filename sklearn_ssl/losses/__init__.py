"""Pretext losses: a pure function per loss and a thin module around it."""

from .masked_patches import MaskedPatchLoss, masked_patch_loss
from .nt_xent import NTXentLoss, nt_xent_loss

__all__ = ["MaskedPatchLoss", "NTXentLoss", "masked_patch_loss", "nt_xent_loss"]
