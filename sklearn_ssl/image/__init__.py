"""Images: the input rule of image collections and the methods that learn from them."""

from ._barlow_twins import BarlowTwins
from ._base import ImageSelfSupervised
from ._byol import BYOL
from ._mae import MaskedAutoencoder
from ._rotation import RotationPrediction
from ._simclr import SimCLR
from ._vicreg import VICReg
from ._views import ViewsSelfSupervised

__all__ = [
    "BYOL",
    "BarlowTwins",
    "ImageSelfSupervised",
    "MaskedAutoencoder",
    "RotationPrediction",
    "SimCLR",
    "VICReg",
    "ViewsSelfSupervised",
]
