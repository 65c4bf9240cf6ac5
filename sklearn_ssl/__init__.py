"""sklearn-ssl: self-supervised pretraining as scikit-learn estimators."""

from ._barlow_twins import BarlowTwins
from ._byol import BYOL
from ._finetune import FineTunedClassifier, FineTunedRegressor
from ._mae import MaskedAutoencoder
from ._mlm import MaskedLanguageModel
from ._persistence import load
from ._rotation import RotationPrediction
from ._scarf import SCARF
from ._semi_supervised import SelfSupervisedClassifier
from ._simclr import SimCLR
from ._vicreg import VICReg
from ._vime import VIME

__version__ = "0.1.0"

__all__ = [
    "BYOL",
    "SCARF",
    "VIME",
    "BarlowTwins",
    "FineTunedClassifier",
    "FineTunedRegressor",
    "MaskedAutoencoder",
    "MaskedLanguageModel",
    "RotationPrediction",
    "SelfSupervisedClassifier",
    "SimCLR",
    "VICReg",
    "__version__",
    "load",
]
