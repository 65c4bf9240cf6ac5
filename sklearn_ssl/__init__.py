"""sklearn-ssl: self-supervised pretraining as scikit-learn estimators."""

from ._finetune import FineTunedClassifier, FineTunedRegressor
from ._scarf import SCARF
from ._semi_supervised import SelfSupervisedClassifier
from ._vime import VIME

__version__ = "0.1.0"

__all__ = [
    "SCARF",
    "VIME",
    "FineTunedClassifier",
    "FineTunedRegressor",
    "SelfSupervisedClassifier",
    "__version__",
]
