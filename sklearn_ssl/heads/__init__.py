"""Heads that sit on top of an encoder during pretraining, one part a file."""

from .patch_decoder import PatchDecoder
from .projection import expander_head, projection_head
from .token_predictor import TiedTokenPredictor

__all__ = ["PatchDecoder", "TiedTokenPredictor", "expander_head", "projection_head"]
