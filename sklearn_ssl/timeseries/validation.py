"""The input rule of series collections: three forms in, one NaN-padded 3-D array out.

* a 3-D array ``(n_cases, n_channels, n_timepoints)``, aeon's collection format;
* a 2-D array or DataFrame ``(n_cases, n_timepoints)`` of univariate series
  (the estimator validates it as a table, see
  :class:`~sklearn_ssl.timeseries.SeriesSelfSupervised`);
* a list of series of unequal length, each a 2-D ``(n_channels,
  n_timepoints_i)`` or a 1-D (univariate) array.

Every form becomes a float array ``(n_cases, n_channels, n_timepoints)``;
shorter series of a list are padded with NaN to the longest. A timestamp with
a NaN in any channel is *missing* (TS2Vec's rule), so padding and missing
values are the same thing to the encoders.
"""

import numpy as np

EXPECTED = (
    "a 3-D array (n_cases, n_channels, n_timepoints), a 2-D array (n_cases, "
    "n_timepoints) of univariate series, or a list of 2-D (n_channels, "
    "n_timepoints_i) arrays"
)

#: Rows read at a time by the checks, so a memory-mapped collection is never loaded whole.
CHUNK_VALUES = 2**22


def series_form(X):
    """Which form ``X`` has: ``"table"`` (2-D), ``"array"`` (3-D) or ``"list"`` (ragged).

    Raises
    ------
    ValueError
        For a single series (1-D), 4-D and higher arrays, and empty input.
    """
    if isinstance(X, list | tuple):
        if len(X) == 0:
            raise ValueError(f"X is empty: found 0 series, expected {EXPECTED}.")
        items = [np.asarray(item) for item in X]
        if len({item.shape for item in items}) > 1:
            return "list"
        ndim = items[0].ndim + 1
    else:
        ndim = getattr(X, "ndim", None)
        if ndim is None:
            ndim = np.asarray(X).ndim
    if ndim == 2:
        return "table"
    if ndim == 3:
        return "array"
    if ndim <= 1:
        raise ValueError(
            f"X must be {EXPECTED}; got a {ndim}-D input. Reshape your data: a single "
            "series needs a cases axis, X[None] (or [series])."
        )
    raise ValueError(
        f"X must be {EXPECTED}; got a {ndim}-D array of shape {np.shape(X)}. Reshape it "
        "to (n_cases, n_channels, n_timepoints) first."
    )


def padded_collection(X):
    """A ragged list of series as a NaN-padded float array ``(n_cases, n_channels, longest)``."""
    series = [_numeric_series(item, position) for position, item in enumerate(X)]
    channels = series[0].shape[0]
    for position, item in enumerate(series):
        if item.shape[0] != channels:
            raise ValueError(
                f"X[{position}] has {item.shape[0]} channels but X[0] has {channels}: "
                "every series of a collection must have the same channels."
            )
    dtype = np.result_type(*[item.dtype for item in series])
    longest = max(item.shape[1] for item in series)
    out = np.full((len(series), channels, longest), np.nan, dtype=dtype)
    for row, item in enumerate(series):
        out[row, :, : item.shape[1]] = item
    return out


def _numeric_series(item, position):
    array = np.asarray(item)
    if array.ndim == 1:
        array = array[None]  # (1, n_timepoints): univariate
    if array.ndim != 2:
        raise ValueError(
            f"X[{position}] has shape {array.shape}; each series of a list must be a 2-D "
            "(n_channels, n_timepoints) or a 1-D array."
        )
    if array.dtype not in (np.float32, np.float64):
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"X[{position}] must be numeric; convert it to a float array first ({exc})."
            ) from exc
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(
            f"X[{position}] is an empty series of shape {array.shape}; drop it or pass "
            "at least one timepoint and one channel."
        )
    return array


def check_series_values(X):
    """Raise for infinity, values beyond float32, empty axes and series with no observed value.

    Parameters
    ----------
    X : ndarray of shape (n_cases, n_channels, n_timepoints)
        A float collection; NaN marks missing values.
    """
    n_cases, n_channels, n_timepoints = X.shape
    if n_cases == 0:
        raise ValueError(f"X is empty: found 0 series, expected {EXPECTED}.")
    if n_channels == 0 or n_timepoints == 0:
        raise ValueError(
            f"X has series of shape (n_channels, n_timepoints) = ({n_channels}, "
            f"{n_timepoints}); a series needs at least one channel and one timepoint."
        )
    float32_max = float(np.finfo(np.float32).max)
    for start, chunk in _chunks(X):
        magnitude = np.abs(chunk)
        if np.isinf(magnitude).any():
            raise ValueError(
                "X contains infinity; NaN marks a missing value, but infinite values "
                "must be replaced or clipped first (e.g. with np.nan_to_num)."
            )
        largest = np.nanmax(magnitude, initial=0.0)
        if largest > float32_max:
            raise ValueError(
                f"X has values of magnitude up to {largest:.3g}, beyond the float32 range "
                "(3.4e38) the encoders compute in; rescale X first."
            )
        empty = ~(~np.isnan(chunk).any(axis=1)).any(axis=1)  # (chunk,)
        if empty.any():
            row = start + int(np.flatnonzero(empty)[0])
            raise ValueError(
                f"X[{row}] has no observed timestamp: every timestamp has a NaN in some "
                "channel. Drop that series, or fill its missing values."
            )


def series_lengths(X):
    """Each series' length: its last timestamp observed in every channel, plus one.

    Trailing missing timestamps (the NaN padding of a shorter series) do not
    count; a series with none observed has length 0.

    Parameters
    ----------
    X : ndarray of shape (n_cases, n_channels, n_timepoints)

    Returns
    -------
    lengths : ndarray of shape (n_cases,), int64
    """
    lengths = np.empty(len(X), dtype=np.int64)
    n_timepoints = X.shape[2]
    for start, chunk in _chunks(X):
        observed = ~np.isnan(chunk).any(axis=1)  # (chunk, T)
        last = n_timepoints - np.argmax(observed[:, ::-1], axis=1)  # (chunk,)
        lengths[start : start + len(chunk)] = np.where(observed.any(axis=1), last, 0)
    return lengths


def _chunks(X):
    rows = max(1, CHUNK_VALUES // max(1, X.shape[1] * X.shape[2]))
    for start in range(0, len(X), rows):
        yield start, np.asarray(X[start : start + rows])
