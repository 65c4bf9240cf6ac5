"""sklearn-ssl: self-supervised pretraining as scikit-learn estimators."""

from ._mlm import MaskedLanguageModel
from ._scarf import SCARF
from ._vime import VIME

__version__ = "0.1.0"

__all__ = ["MaskedLanguageModel", "SCARF", "VIME", "__version__"]
