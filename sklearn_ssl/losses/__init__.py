"""Pretext losses: a pure function per loss and a thin module around it."""

from .nt_xent import NTXentLoss, nt_xent_loss

__all__ = ["NTXentLoss", "nt_xent_loss"]
