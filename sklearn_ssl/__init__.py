"""sklearn-ssl: self-supervised pretraining as scikit-learn estimators.

The estimators live by data kind (:mod:`sklearn_ssl.tabular`,
:mod:`sklearn_ssl.image`, :mod:`sklearn_ssl.text`,
:mod:`sklearn_ssl.timeseries`) and stage two in
:mod:`sklearn_ssl.finetune`; all are importable from here.
"""

from ._persistence import load
from ._version import __version__
from .finetune import (
    FineTunedClassifier,
    FineTunedRegressor,
    SeededKMeansClassifier,
    SelfSupervisedClassifier,
)
from .image import (
    BYOL,
    BarlowTwins,
    MaskedAutoencoder,
    RotationPrediction,
    SimCLR,
    VICReg,
)
from .tabular import SCARF, VIME
from .text import MaskedLanguageModel
from .timeseries import MaskedTimeSeriesAutoencoder, TS2Vec

__all__ = [
    "BYOL",
    "SCARF",
    "TS2Vec",
    "VIME",
    "BarlowTwins",
    "FineTunedClassifier",
    "FineTunedRegressor",
    "MaskedAutoencoder",
    "MaskedLanguageModel",
    "MaskedTimeSeriesAutoencoder",
    "RotationPrediction",
    "SeededKMeansClassifier",
    "SelfSupervisedClassifier",
    "SimCLR",
    "VICReg",
    "__version__",
    "load",
]
