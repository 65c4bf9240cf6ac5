"""Pretext losses: a pure function per loss and a thin module around it."""

from .._distributed import gather_with_grad
from .nt_xent import NTXentLoss, nt_xent_loss

__all__ = ["NTXentLoss", "gather_with_grad", "nt_xent_loss"]
