"""What ``fit`` learns of a table's columns, and the numeric rows the encoder reads.

A fitted table method knows which features are categorical
(``categorical_features_``), the categories of each (``categories_``) and
which number columns had missing cells (they get a missing-value
indicator). :func:`encode_rows` turns a table into the float array the
training engine batches: number columns as they are (NaN where missing),
each categorical column as integer codes, :data:`MISSING` for a missing
cell, :data:`UNKNOWN` for a category not kept at ``fit`` (unseen, or seen
fewer than :data:`MIN_COUNT` times), and ``FIRST_CATEGORY + i`` for
``categories_[j][i]``.
"""

import warnings

import numpy as np

#: Codes of a missing cell and of a category not kept at fit.
MISSING, UNKNOWN = 0, 1
#: The code of a column's first kept category.
FIRST_CATEGORY = 2
#: Categories seen fewer times at fit share the unknown slot (and train it).
MIN_COUNT = 2
#: Rows from which a column of distinct values is taken for an identifier.
ID_MIN_ROWS = 10


def categorical_mask(kinds, categorical_features, feature_names):
    """The boolean mask of categorical features that ``categorical_features`` asks for.

    ``kinds`` are the :class:`~._columns.Column` kinds of the features.
    ``"from_dtype"``: category, string and boolean columns (and object
    columns of strings); None: none; else names, indices or a boolean mask,
    as scikit-learn's ``HistGradientBoostingClassifier`` takes them.
    """
    n_features = len(kinds)
    if categorical_features is None:
        return np.zeros(n_features, dtype=bool)
    if isinstance(categorical_features, str):  # "from_dtype"
        return np.array([kind in ("category", "bool") for kind in kinds], dtype=bool)
    requested = np.asarray(categorical_features)
    if requested.ndim != 1:
        raise ValueError(
            "categorical_features must be 'from_dtype', None, or a 1-D array-like of feature "
            f"names, indices or booleans; got an array of shape {requested.shape}."
        )
    mask = np.zeros(n_features, dtype=bool)
    if requested.size == 0:
        return mask
    if requested.dtype.kind == "b":
        if len(requested) != n_features:
            raise ValueError(
                f"categorical_features is a boolean mask of {len(requested)} values, but X "
                f"has {n_features} features; pass one value per feature."
            )
        return requested.copy()
    if requested.dtype.kind in "iu":
        outside = requested[(requested < 0) | (requested >= n_features)]
        if len(outside):
            raise ValueError(
                f"categorical_features has indices {outside.tolist()} outside the {n_features} "
                f"features of X; pass indices from 0 to {n_features - 1}."
            )
        mask[requested] = True
        return mask
    if requested.dtype.kind in "OU" and all(isinstance(name, str) for name in requested):
        if feature_names is None:
            raise ValueError(
                "categorical_features names features, but X has no feature names; pass a "
                "DataFrame with string column names, or indices of the features."
            )
        names = list(feature_names)
        unknown = [name for name in requested if name not in names]
        if unknown:
            raise ValueError(
                f"categorical_features names {unknown} that are not columns of X; expected "
                f"names among {names[:10]}{'...' if len(names) > 10 else ''}."
            )
        mask[[names.index(name) for name in requested]] = True
        return mask
    raise ValueError(
        "categorical_features must be 'from_dtype', None, or a 1-D array-like of feature "
        f"names, indices or booleans; got {categorical_features!r}."
    )


def fit_categories(column):
    """The kept categories of a categorical column, sorted; warns about identifiers."""
    values = column.as_categories()
    present = [value for value in values if value is not None]
    uniques, counts = _counts(present)
    if len(present) >= ID_MIN_ROWS and len(uniques) == len(present):
        warnings.warn(
            f"Column {column.name} has a different value in every row, like an identifier; "
            "it cannot help the embeddings (every value is seen once, so all share the "
            f"unknown category). Drop it before fit, e.g. X.drop(columns=[{column.name}]).",
            UserWarning,
            stacklevel=5,
        )
    kept = [value for value, count in zip(uniques, counts, strict=True) if count >= MIN_COUNT]
    if all(isinstance(value, str) for value in kept):
        return np.array(kept, dtype=object)
    return np.array(kept)


def _counts(values):
    """Distinct values, sorted, and how often each occurs."""
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    uniques = sorted(counts)
    return uniques, [counts[value] for value in uniques]


def encode_categories(column, categories):
    """The codes of a categorical column's cells (float64 of shape (n_samples,))."""
    lookup = {value: FIRST_CATEGORY + i for i, value in enumerate(categories.tolist())}
    values = column.as_categories()
    codes = np.array(
        [MISSING if value is None else lookup.get(value, UNKNOWN) for value in values],
        dtype=np.float64,
    )
    return codes


def encode_rows(columns, n_samples, mask, categories, dtype):
    """The rows the encoder reads: numbers as they are, categories as codes.

    Parameters
    ----------
    columns : list of Column
    n_samples : int
    mask : ndarray of shape (n_features,), bool
        Which features are categorical.
    categories : list of ndarray
        The kept categories of each categorical feature, in order.
    dtype : numpy dtype
        float32 or float64.

    Returns
    -------
    rows : ndarray of shape (n_samples, n_features)
    """
    rows = np.empty((n_samples, len(columns)), dtype=dtype)
    found = iter(categories)
    for j, column in enumerate(columns):
        rows[:, j] = encode_categories(column, next(found)) if mask[j] else column.as_numbers()
    return rows


def missing_everywhere(rows, mask):
    """Which features of encoded ``rows`` are missing in every row."""
    numbers = np.isnan(rows).all(axis=0)
    codes = (rows == MISSING).all(axis=0)
    return np.where(mask, codes, numbers) & (len(rows) > 0)


def warn_if_all_missing(columns, rows, mask):
    """Warn at fit about columns missing in every row."""
    gone = missing_everywhere(rows, mask)
    empty = [column.name for column, empty in zip(columns, gone, strict=True) if empty]
    if empty:
        warnings.warn(
            f"Columns {', '.join(empty)} are missing in every row: they carry no "
            f"information. Drop them before fit, e.g. X.drop(columns=[{', '.join(empty)}]).",
            UserWarning,
            stacklevel=5,
        )


def warn_if_all_new(columns, rows, mask):
    """Warn at transform about categorical columns none of whose values was seen at fit."""
    new = []
    for j in np.flatnonzero(mask):
        present = rows[:, j][rows[:, j] != MISSING]
        if len(present) and (present == UNKNOWN).all():
            new.append(columns[j].name)
    if new:
        warnings.warn(
            f"Columns {', '.join(new)} have no value seen during fit: every row gets the "
            "unknown category there. Check that they hold the same kind of values as at fit.",
            UserWarning,
            stacklevel=5,
        )
