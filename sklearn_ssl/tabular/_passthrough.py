"""The encoded input that ``passthrough=True`` appends to a table method's embeddings.

The columns of one-hot + impute + scale preprocessing, from statistics the
fitted estimator already has. Each number feature gives its value scaled as
the encoder scales it (0, the training mean, where missing), followed by a
0/1 missing-value indicator when it had missing cells at fit. Each
categorical feature gives one 0/1 column per kept category (a category not
kept at fit sets none of them), preceded by a "missing" column when it had
missing cells at fit.
"""

import numpy as np

from ._schema import FIRST_CATEGORY, MISSING


def encoded_input(rows, center, scale, mask, categories, missing):
    """The encoded input of validated ``rows``.

    Parameters
    ----------
    rows : ndarray of shape (n_samples, n_features)
        Numbers (NaN where missing) and category codes, as ``_validate_input`` returns them.
    center, scale : ndarray of shape (n_features,)
        The encoder's scaling of the number features.
    mask : ndarray of shape (n_features,), bool
        Which features are categorical.
    categories : list of ndarray
        The kept categories of each categorical feature.
    missing : ndarray of shape (n_features,), bool
        Which features had missing cells at fit.

    Returns
    -------
    encoded : ndarray of shape (n_samples, n_encoded), float64
        The columns named by :func:`encoded_input_names`, in that order.
    """
    parts = []
    found = iter(categories)
    for j in range(rows.shape[1]):
        column = rows[:, j].astype(np.float64)  # (n_samples,)
        if mask[j]:
            if missing[j]:
                parts.append(column == MISSING)
            codes = FIRST_CATEGORY + np.arange(len(next(found)))
            parts.extend(column == code for code in codes)
        else:
            absent = np.isnan(column)
            parts.append(np.where(absent, 0.0, (column - center[j]) / scale[j]))
            if missing[j]:
                parts.append(absent)
    if not parts:
        return np.zeros((len(rows), 0))
    return np.column_stack(parts).astype(np.float64)  # (n_samples, n_encoded)


def encoded_input_names(names, mask, categories, missing):
    """Names of the encoded columns, as scikit-learn's imputer and one-hot encoder name them.

    A number ``age`` gives ``age`` and ``missingindicator_age``; a categorical
    ``sex`` gives ``sex_nan`` (its missing column) and ``sex_female``, ...
    """
    found = iter(categories)
    encoded = []
    for name, categorical, absent in zip(names, mask, missing, strict=True):
        if categorical:
            encoded += [f"{name}_nan"] if absent else []
            encoded += [f"{name}_{category}" for category in next(found)]
        else:
            encoded += [name] + ([f"missingindicator_{name}"] if absent else [])
    return np.asarray(encoded, dtype=object)
