"""sklearn-ssl: self-supervised pretraining as scikit-learn estimators."""

from ._persistence import load
from ._scarf import SCARF
from ._vime import VIME

__version__ = "0.1.0"

__all__ = ["SCARF", "VIME", "__version__", "load"]
