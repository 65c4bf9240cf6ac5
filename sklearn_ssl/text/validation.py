"""Validation of a 1-D collection of strings, with errors that say what to do."""

from collections.abc import Iterator
from numbers import Real

import numpy as np

EXPECTED = "a 1-D collection of strings (list, numpy array, pandas Series or one-column DataFrame)"


def check_strings(X, name="X"):
    """Return ``X`` as a 1-D object array of ``str``, or raise a clear error.

    Accepted: a list or tuple of str, a 1-D numpy array of str or object, a
    pandas or polars Series, a one-column DataFrame or (n, 1) array, and an
    iterator of str. Empty strings are valid. Refused: a single string, bytes,
    missing values (None, NaN, pd.NA), numbers and other non-strings, numeric
    arrays, several columns and an empty collection.

    Parameters
    ----------
    X : object
        The input to check.
    name : str, default="X"
        The argument's name, used in error messages.

    Returns
    -------
    X : ndarray of shape (n_samples,), dtype object
    """
    if isinstance(X, str | bytes):
        raise TypeError(
            f"{name} must be {EXPECTED}, got a single {type(X).__name__}; "
            f"wrap it in a list: [{name}]."
        )
    if isinstance(X, Iterator):
        X = list(X)
    dtype = getattr(X, "dtype", None)
    kind = getattr(dtype, "kind", None)
    if kind in ("b", "i", "u", "f", "c", "m", "M"):
        raise TypeError(
            f"{name} must be {EXPECTED}, got numeric data of dtype {dtype} and shape "
            f"{getattr(X, 'shape', None)}; this estimator embeds raw text."
        )
    array = np.asarray(X, dtype=object)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be {EXPECTED}, got {type(X).__name__} of shape {array.shape}."
        )
    if len(array) == 0:
        raise ValueError(f"{name} is empty: found 0 strings, expected at least 1.")
    for position, value in enumerate(array):
        if not isinstance(value, str):
            _raise_for_entry(value, position, name)
    return array


def _raise_for_entry(value, position, name):
    if (
        value is None
        or type(value).__name__ == "NAType"
        or (isinstance(value, Real) and value != value)
    ):
        raise ValueError(
            f"{name} has a missing value ({value!r}) at position {position}; drop "
            "those entries or fill them with a string (an empty string is allowed)."
        )
    if isinstance(value, bytes | bytearray):
        raise TypeError(
            f"{name}[{position}] is bytes; decode it to str first, e.g. value.decode('utf-8')."
        )
    raise TypeError(
        f"{name} must contain only strings, got {type(value).__name__} "
        f"({value!r}) at position {position}."
    )
