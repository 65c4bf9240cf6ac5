"""Read the columns of a table (pandas, polars, NumPy) as values of one kind each.

:func:`read_columns` turns a DataFrame or 2-D array into one :class:`Column`
per feature: the column's name, its values and their kind, ``"number"``
(float64 values, NaN where missing) or ``"category"`` (an object array of
hashable values of one Python type, None where missing). Dates and times
become numbers (days since 1970-01-01). What cannot be read (a column that
mixes strings and numbers, complex numbers, nested values) raises an error
that says what to do.
"""

import warnings
from dataclasses import dataclass
from numbers import Real

import numpy as np

#: The types a categorical column may hold; one of them per column.
_VALUE_TYPES = {bool: "bool", np.bool_: "bool", str: "str", np.str_: "str"}


@dataclass
class Column:
    """One feature of a table.

    Attributes
    ----------
    name : str
        Its name in messages: ``'price'`` for a DataFrame, ``3`` for an array.
    values : ndarray of shape (n_samples,)
        float32/float64 with NaN for a number column; object with None for
        missing cells otherwise.
    kind : {"number", "category", "bool", "date", "mixed"}
        What the column's type says: ``"category"`` for category and string
        types and for object columns of strings, ``"bool"`` for booleans,
        ``"date"`` for dates and times (``values`` are then days since
        1970-01-01), ``"mixed"`` for an object column of numbers only, which
        is read as numbers unless listed as categorical.
    """

    name: str
    values: np.ndarray
    kind: str

    def as_numbers(self):
        """The values as float64, NaN where missing, or a clear error."""
        if self.values.dtype.kind == "f":
            return self.values
        if self.kind == "bool":
            return np.array([np.nan if v is None else float(v) for v in self.values])
        raise TypeError(
            f"Column {self.name} holds strings or categories, but it is a number feature "
            "(not categorical by categorical_features, or not at fit); convert it to numbers, "
            "or list it in categorical_features (categorical_features='from_dtype' reads "
            "category, string and boolean columns as categorical) and fit again."
        )

    def as_categories(self):
        """The values as an object array of one hashable type, None where missing."""
        if self.values.dtype.kind == "f":
            values = self.values.astype(object)
            values[np.isnan(self.values)] = None
            return values
        return self.values


def is_dataframe(X):
    """Whether ``X`` is a pandas or polars DataFrame."""
    module = type(X).__module__.split(".")[0]
    return module in ("pandas", "polars") and hasattr(X, "columns")


def read_columns(X):
    """The :class:`Column` of every feature of a DataFrame or 2-D array ``X``."""
    module = type(X).__module__.split(".")[0]
    if module == "pandas" and hasattr(X, "columns"):
        return [_pandas_column(str(name), X.iloc[:, j]) for j, name in enumerate(X.columns)]
    if module == "polars" and hasattr(X, "columns"):
        return [_polars_column(name, X.to_series(j)) for j, name in enumerate(X.columns)]
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(
            f"Expected 2D array, got {X.ndim}D array instead; reshape your data, e.g. "
            "X.reshape(-1, 1) for a single feature."
        )
    return [_array_column(str(j), X[:, j]) for j in range(X.shape[1])]


def _array_column(name, values):
    kind = values.dtype.kind
    if kind == "b":
        return Column(name, values.astype(object), "bool")
    if kind in "iuf":
        return Column(name, values.astype(np.float64), "number")
    if kind in "Mm":
        return _date_column(name, values)
    if kind in "OUS":
        return _object_column(name, values.astype(object))
    raise _unreadable(name, f"dtype {values.dtype}", "numbers, strings or categories first")


def _pandas_column(name, series):
    import pandas as pd

    name = repr(name)
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        values = series.astype(object).to_numpy()
        return _object_column(name, values, kind="category")
    if pd.api.types.is_bool_dtype(dtype):
        return _object_column(name, series.to_numpy(dtype=object), kind="bool")
    if isinstance(dtype, pd.DatetimeTZDtype):
        return _date_column(name, series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy())
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        return _date_column(name, series.to_numpy())
    if pd.api.types.is_numeric_dtype(dtype) and getattr(dtype, "kind", "") != "c":
        float32 = getattr(dtype, "kind", "") == "f" and getattr(dtype, "itemsize", 8) <= 4
        values = series.to_numpy(dtype=np.float32 if float32 else np.float64, na_value=np.nan)
        return Column(name, values, "number")
    if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
        return _object_column(name, series.to_numpy(dtype=object))
    raise _unreadable(
        name,
        f"dtype {dtype}",
        "numbers, strings or a category dtype first (e.g. X[col].astype(str))",
    )


def _polars_column(name, series):
    import polars as pl

    name = repr(name)
    dtype = series.dtype
    if dtype.is_numeric() and not dtype.is_decimal():
        float32 = dtype == pl.Float32
        values = series.cast(pl.Float32 if float32 else pl.Float64).fill_null(np.nan).to_numpy()
        return Column(name, values, "number")
    if dtype == pl.Boolean:
        return _object_column(name, np.array(series.to_list(), dtype=object), kind="bool")
    if dtype in (pl.Categorical, pl.Enum) or isinstance(dtype, pl.Categorical | pl.Enum):
        values = np.array(series.cast(pl.String).to_list(), dtype=object)
        return _object_column(name, values, kind="category")
    if dtype in (pl.Datetime, pl.Date, pl.Duration) or isinstance(dtype, pl.Datetime | pl.Duration):
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
            series = series.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return _date_column(name, series.to_numpy())
    if dtype in (pl.String, pl.Object) or dtype.is_decimal():
        return _object_column(name, np.array(series.to_list(), dtype=object))
    raise _unreadable(
        name,
        f"polars dtype {dtype}",
        "numbers, strings or pl.Categorical first (e.g. with .cast(pl.String))",
    )


def _unreadable(name, dtype, advice):
    """The TypeError for column ``name`` of a ``dtype`` no table method reads."""
    return TypeError(
        f"Column {name} has {dtype}, which a table method cannot read; convert it to {advice}."
    )


def _date_column(name, values):
    """Dates, times and durations as days (since 1970-01-01 for dates), NaT as NaN."""
    values = np.asarray(values)
    if values.dtype.kind == "M":
        values = values - np.datetime64(0, "s")
    days = values / np.timedelta64(1, "D")  # (n,) float64, NaN for NaT
    return Column(name, days.astype(np.float64), "date")


def _object_column(name, values, kind=None):
    """An object column, missing cells as None; its kind from its contents unless given."""
    cells = np.empty(len(values), dtype=object)  # (n,): one Python object per cell
    for i, value in enumerate(values):
        cells[i] = None if is_missing(value) else value
    values = cells
    types = {_value_type(v) for v in values if v is not None}
    if "other" in types:
        example = next(v for v in values if v is not None and _value_type(v) == "other")
        raise TypeError(
            f"Column {name} holds {type(example).__name__} values ({example!r}), but each "
            "cell of the X argument must be a string or a number (or missing); convert "
            "them first."
        )
    if len(types) > 1:
        raise TypeError(
            f"Column {name} mixes value types ({', '.join(sorted(types))}); convert it to one "
            f"type first, e.g. X[col].astype(str) to read it as categories, or "
            "pd.to_numeric(X[col], errors='coerce') to read it as numbers."
        )
    found = types.pop() if types else "str"
    if kind is None:
        kind = {"number": "mixed", "bool": "bool", "str": "category"}[found]
    if found == "number" and kind == "mixed":
        numbers = np.array([np.nan if v is None else float(v) for v in values])
        return Column(name, numbers, "mixed")
    return Column(name, values, kind)


def _value_type(value):
    """``"str"``, ``"bool"``, ``"number"`` or ``"other"``."""
    found = _VALUE_TYPES.get(type(value))
    if found is not None:
        return found
    if isinstance(value, str):
        return "str"
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, Real | np.number) and np.isrealobj(value):
        return "number"
    return "other"


def is_missing(value):
    """Whether a cell is missing: None, NaN, ``pd.NA`` or ``NaT``."""
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return value != value
    name = type(value).__name__
    if name in ("NAType", "NaTType"):
        return True
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return False


def warn_about_dates(columns):
    """Say once at fit which date columns are read as numbers."""
    dates = [column.name for column in columns if column.kind == "date"]
    if dates:
        warnings.warn(
            f"Columns {', '.join(dates)} hold dates or times; they are read as numbers "
            "(days since 1970-01-01, or days for durations). For calendar features (month, "
            "weekday), encode them first (e.g. with skrub's DatetimeEncoder), or drop them.",
            UserWarning,
            stacklevel=4,
        )
