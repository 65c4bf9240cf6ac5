"""sklearn-ssl: self-supervised pretraining as scikit-learn estimators."""

from ._barlow_twins import BarlowTwins
from ._byol import BYOL
from ._mae import MaskedAutoencoder
from ._rotation import RotationPrediction
from ._scarf import SCARF
from ._simclr import SimCLR
from ._vicreg import VICReg
from ._vime import VIME

__version__ = "0.1.0"

__all__ = [
    "BYOL",
    "SCARF",
    "VIME",
    "BarlowTwins",
    "MaskedAutoencoder",
    "RotationPrediction",
    "SimCLR",
    "VICReg",
    "__version__",
]
