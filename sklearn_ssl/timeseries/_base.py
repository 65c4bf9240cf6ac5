"""The input rule of series collections and what the series methods share."""

from numbers import Integral

import numpy as np
import torch
from sklearn.utils.validation import validate_data

from .._engine import HostBatches, LengthBuckets, keep_resident
from .._input_advice import explain_invalid_input
from .._parameters import SharedAttribute, SharedParameter, constraints
from ..augment.series import jitter, scaling
from ..base import SelfSupervisedTransformer
from ..encoders import ChannelStandardize, SeriesEncoder
from .batches import SeriesBatches, trimmed_series
from .validation import (
    CHUNK_VALUES,
    check_series_values,
    padded_collection,
    series_form,
    series_lengths,
)

#: The parameters of every series method.
SERIES_PARAMETERS = {
    "standardize": SharedParameter(
        "bool",
        """\
Standardise each channel with its mean and standard deviation over the
observed training values, inside the encoder; set False if the series are
already on a common scale.""",
        ["boolean"],
        True,
    ),
}

#: The fitted attributes of every series method.
SERIES_ATTRIBUTES = {
    "encoder_": SharedAttribute(
        "sklearn_ssl.encoders.SeriesEncoder",
        """\
The trained encoder: maps a float32 batch of raw series (batch, n_channels,
n_timepoints), NaN for missing values, to embeddings.""",
    ),
    "n_channels_": SharedAttribute("int", "Channels per series seen during fit."),
    "n_features_in_": SharedAttribute(
        "int",
        """\
Timepoints per series, set when ``fit`` got the 2-D form (a table of
equal-length univariate series); 2-D input to ``transform`` must then have
as many columns.""",
    ),
    "feature_names_in_": SharedAttribute(
        "ndarray of shape (n_features_in_,)",
        "Names of the timepoints, when ``fit`` got a DataFrame with string column names.",
    ),
}

#: Timepoints of the stub series :func:`sklearn_ssl.load` rebuilds a task from.
STUB_LENGTH = 16


class SeriesSelfSupervised(SelfSupervisedTransformer):
    """Base class of the methods for collections of time series.

    **Input rule.** ``X`` is one of

    * a 3-D array ``(n_cases, n_channels, n_timepoints)`` (aeon's collection
      format);
    * a 2-D array or DataFrame ``(n_cases, n_timepoints)``: univariate series
      of equal length. scikit-learn sees it as a table: ``fit`` sets
      ``n_features_in_`` (and ``feature_names_in_``), and a 2-D ``X`` in
      ``transform`` must have as many columns;
    * a list of series of unequal length, each a 2-D ``(n_channels,
      n_timepoints_i)`` array (or a 1-D array, univariate).

    3-D arrays and lists may have any length in ``transform``; the channels
    must be those of ``fit``. Every form becomes a float array, shorter
    series padded with NaN. **NaN is a missing value**, not an error: a
    timestamp with a NaN in any channel is left out by the encoder (TS2Vec's
    rule), exactly like the padding beyond a series' end, so missing
    timestamps and padding never change an embedding. Errors (``ValueError``
    or ``TypeError``, saying what to change): 1-D input (a single series),
    4-D and higher arrays, an empty collection, series without channels or
    timepoints, channel counts that differ between series or from ``fit``,
    a series with no observed timestamp, infinity, values beyond the float32
    range and non-numeric values.

    Training batches group series of similar length, each cut to its longest
    series, resident on the device or streamed from host memory as
    ``data_on_device`` says; ``transform`` embeds series in order of length,
    a batch at a time, whole.
    """

    _shared_parameters = SERIES_PARAMETERS
    _shared_attributes = SERIES_ATTRIBUTES
    _parameter_constraints: dict = {
        **SelfSupervisedTransformer._parameter_constraints,
        **constraints(SERIES_PARAMETERS),
    }

    # -- input -----------------------------------------------------------------

    def _validate_input(self, X, reset):
        """Validate a collection and return it as a float array (n_cases, n_channels, T)."""
        with explain_invalid_input(self):
            form = series_form(X)
            if form == "table":
                X = validate_data(
                    self,
                    X,
                    reset=reset,
                    dtype=[np.float64, np.float32],
                    ensure_all_finite="allow-nan",
                )
                X = X.reshape(len(X), 1, X.shape[1])  # (n, 1, T): a view
            else:
                if reset:  # forget the table attributes of an earlier 2-D fit
                    for name in ("n_features_in_", "feature_names_in_"):
                        vars(self).pop(name, None)
                X = padded_collection(X) if form == "list" else self._numeric_array(X)
        check_series_values(X)
        if reset:
            self.n_channels_ = X.shape[1]
        elif X.shape[1] != self.n_channels_:
            raise ValueError(
                f"X has series of {X.shape[1]} channels, but {type(self).__name__} was "
                f"fitted on {self.n_channels_}; pass series with the channels of fit."
            )
        return X

    @staticmethod
    def _numeric_array(X):
        array = X if isinstance(X, np.ndarray) else np.asarray(X)
        if array.dtype in (np.float32, np.float64):
            return array
        if array.dtype.kind == "c":
            raise TypeError(
                "Complex data is not supported: X must be real; pass np.real(X), np.abs(X) "
                "or both parts as channels."
            )
        try:
            return array.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"X must be numeric; convert it to a float array first ({exc})."
            ) from exc

    def _stub_input(self):
        return np.zeros((max(2, self._min_samples), self.n_channels_, STUB_LENGTH), np.float32)

    def _as_tensor(self, X, device):
        """Series ``(n, n_channels, n_timepoints)`` as float32 on ``device``, NaN kept."""
        array = np.asarray(X)
        if not array.flags.writeable:  # e.g. a read-only memmap: torch wants its own copy
            array = array.copy()
        return torch.as_tensor(array, dtype=torch.float32).to(device)

    def _training_batches(
        self, X, device, generator, batch_size=None, data_on_device=None, targets=None
    ):
        """Series of similar length together, resident or streamed as ``data_on_device`` says."""
        lengths = series_lengths(X)
        batch_size = batch_size or self.batch_size
        data_on_device = self.data_on_device if data_on_device is None else data_on_device
        if keep_resident(X, device, data_on_device):
            data = self._as_tensor(X, device)
            return SeriesBatches(data, lengths, batch_size, generator, targets)
        plan = LengthBuckets(lengths, batch_size)
        return HostBatches(X, batch_size, generator, trimmed_series, device, plan, targets)

    def _embedding_batches(self, X, device):
        """Series in order of length, each batch cut to its longest series."""
        lengths = series_lengths(X)
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(X), self.batch_size):
            rows = order[start : start + self.batch_size]
            yield rows, trimmed_series(np.asarray(X[rows]), device)  # (batch, C, longest)

    # -- encoder ---------------------------------------------------------------

    def _build_encoder(self, X):
        """The :class:`SeriesEncoder` of training series ``X``: standardisation + network."""
        if self.standardize:
            mean, scale = _channel_mean_std(X)
        else:
            mean, scale = np.zeros(X.shape[1]), np.ones(X.shape[1])
        return SeriesEncoder(
            ChannelStandardize(mean, scale), self._network(X.shape[1]), self._pooling()
        )

    def _user_network(self):
        """A private copy of the user's ``encoder`` module, checked; None for a preset."""
        network = self._user_encoder()
        if network is None:
            return None
        step = getattr(network, "step", None)
        if not isinstance(step, Integral) or step < 1:
            raise TypeError(
                f"encoder={type(network).__name__}(...) is not a sequence network: it needs "
                "an integer attribute `step` >= 1 (timestamps per state) and a forward("
                "values, observed, hidden=None) that returns (states, valid): subclass "
                "sklearn_ssl.encoders.SequenceNetwork."
            )
        return network

    def _network(self, n_channels):
        """The method's sequence network for series of ``n_channels`` channels."""
        raise NotImplementedError(f"{type(self).__name__} defines no _network.")

    def _pooling(self):
        """How the method pools states into an embedding: ``"max"`` or ``"mean"``."""
        raise NotImplementedError(f"{type(self).__name__} defines no _pooling.")

    def _augment_rows(self, X_batch, generator):
        """Random gain (sd 0.1) per series and channel, then noise (sd 0.03) on the
        standardised scale (TS-TCC's weak augmentation)."""
        standardize = self.encoder_.standardize
        mean = standardize.mean.to(X_batch.device)[:, None]  # (C, 1)
        scale = standardize.scale.to(X_batch.device)[:, None]
        z = scaling((X_batch - mean) / scale, 0.1, generator)  # (B, C, T)
        return jitter(z, 0.03, generator) * scale + mean

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.three_d_array = True
        return tags


def _channel_mean_std(X):
    """Per-channel mean and standard deviation of the observed values, in chunks of series."""
    channels = X.shape[1]
    count, total, total_sq = np.zeros(channels), np.zeros(channels), np.zeros(channels)
    rows = max(1, CHUNK_VALUES // max(1, channels * X.shape[2]))
    for start in range(0, len(X), rows):
        chunk = np.asarray(X[start : start + rows], dtype=np.float64)  # (chunk, C, T)
        chunk = np.where(np.isnan(chunk).any(axis=1, keepdims=True), np.nan, chunk)
        count += (~np.isnan(chunk)).sum(axis=(0, 2))
        total += np.nansum(chunk, axis=(0, 2))
    mean = total / np.maximum(count, 1)
    for start in range(0, len(X), rows):
        chunk = np.asarray(X[start : start + rows], dtype=np.float64)
        chunk = np.where(np.isnan(chunk).any(axis=1, keepdims=True), np.nan, chunk)
        total_sq += np.nansum(np.square(chunk - mean[:, None]), axis=(0, 2))
    scale = np.sqrt(total_sq / np.maximum(count, 1))
    # constant channels, or spreads below float32's normal range, stay at zero
    scale[~(scale > np.finfo(np.float32).tiny)] = 1.0
    return mean, scale
