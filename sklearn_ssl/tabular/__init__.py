"""Tables: the input rule of numeric tables and the methods that learn from their rows."""

from ._base import TabularSelfSupervised
from ._scarf import SCARF
from ._vime import VIME

__all__ = ["SCARF", "VIME", "TabularSelfSupervised"]
