"""Time series: the input rule of series collections and the methods that learn from them."""

from ._base import SeriesSelfSupervised
from ._masked import MaskedTimeSeriesAutoencoder
from ._ts2vec import TS2Vec
from .batches import SeriesBatches, trimmed_series
from .validation import series_lengths

__all__ = [
    "MaskedTimeSeriesAutoencoder",
    "SeriesBatches",
    "SeriesSelfSupervised",
    "TS2Vec",
    "series_lengths",
    "trimmed_series",
]
