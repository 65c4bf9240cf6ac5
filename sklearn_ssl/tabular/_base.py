"""The input rule of tables and what the table methods (SCARF, VIME) share."""

import contextlib
import warnings
from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import (
    _check_feature_names_in,
    _num_samples,
    check_array,
    check_is_fitted,
    validate_data,
)
from torch import nn

from .._engine import embed
from .._input_advice import explain_invalid_input
from .._parameters import SharedAttribute, SharedParameter, constraints
from ..base import N_COMPONENTS, SelfSupervisedTransformer
from ..encoders import MLP, Standardize, TableColumns, TabularEncoder
from ._columns import is_dataframe, read_columns, warn_about_dates
from ._passthrough import encoded_input, encoded_input_names
from ._schema import (
    FIRST_CATEGORY,
    MISSING,
    categorical_mask,
    encode_rows,
    fit_categories,
    warn_if_all_missing,
    warn_if_all_new,
)

#: The parameters of every table method.
TABLE_PARAMETERS = {
    "n_components": SharedParameter(
        N_COMPONENTS.type,
        N_COMPONENTS.description
        + """ 32 by default on tables: with ``passthrough`` the
embeddings come next to the encoded input, and a narrower embedding lost
less to the raw columns at 5 and 10 labels per class.""",
        N_COMPONENTS.constraint,
        32,
    ),
    "categorical_features": SharedParameter(
        '"from_dtype", None or array-like of {bool, int, str}',
        """\
Which features are categorical, as in scikit-learn's
``HistGradientBoostingClassifier``: ``"from_dtype"`` takes the category,
string and boolean columns of a pandas or polars DataFrame (and object
columns of strings); otherwise a boolean mask, feature indices, or feature
names of a DataFrame; None reads every feature as a number. Each
categorical feature gets a learned embedding, with its own slots for a
missing value and for categories not seen (or seen once) at fit.""",
        [StrOptions({"from_dtype"}), "array-like", None],
        "from_dtype",
    ),
    "hidden_layer_sizes": SharedParameter(
        "array-like of int",
        "Widths of the encoder's hidden layers (Linear, BatchNorm, ReLU).",
        ["array-like"],
        (256, 256),
    ),
    "standardize": SharedParameter(
        "bool",
        """\
Scale number features inside the encoder with training statistics; set
False if X is already scaled.""",
        ["boolean"],
        True,
    ),
    "encoder": SharedParameter(
        '"mlp" or torch.nn.Module',
        """\
The encoder body; a module gets the scaled rows (of width
``n_features_in_`` for numbers without missing values; with categorical
features or missing values, the width of ``encoder_.columns``) and its
output width becomes ``n_components_``.""",
        [StrOptions({"mlp"}), nn.Module],
        "mlp",
    ),
    "passthrough": SharedParameter(
        "bool",
        """\
Append the encoded input to the embeddings in ``transform``: each number
feature scaled as the encoder scales it (0 where missing), with a
missing-value indicator if it had missing cells at fit, and a 0/1 column for
each category of each categorical feature (and for a missing cell), the
columns of one-hot + impute + scale preprocessing. The output has the
``n_components_`` embedding columns first. With few labels a linear model
on the embeddings alone can fall behind one on the raw columns; with both
it did not fall behind by more than about one test row on the mixed
tables of the documented benchmarks. False gives the embeddings
alone. The fine-tuned estimators use the encoder and are unaffected.""",
        ["boolean"],
        True,
    ),
}

#: The fitted attributes of every table method.
TABLE_ATTRIBUTES = {
    "encoder_": SharedAttribute(
        "sklearn_ssl.encoders.TabularEncoder",
        """\
The trained encoder: maps a float32 batch of rows (numbers, NaN where
missing, and category codes) to embeddings.""",
    ),
    "n_features_in_": SharedAttribute("int", "Number of features seen during fit."),
    "feature_names_in_": SharedAttribute(
        "ndarray of shape (n_features_in_,)",
        "Names of features seen during fit, when X has string feature names.",
    ),
    "categorical_features_": SharedAttribute(
        "ndarray of shape (n_features_in_,), dtype=bool",
        "Which features are categorical.",
    ),
    "categories_": SharedAttribute(
        "list of ndarray",
        """\
The categories of each categorical feature, in feature order, sorted; a
category seen once at fit is left out and shares the unknown slot with
categories never seen.""",
    ),
}


class TabularSelfSupervised(SelfSupervisedTransformer):
    """Base class of the methods for rows of a table.

    **Input rule.** ``X`` is a 2-D array or a pandas or polars DataFrame
    with number, category, string and boolean columns; missing cells (NaN,
    None, ``pd.NA``) are allowed anywhere. ``categorical_features`` says
    which features are categorical. Dates and times are read as numbers
    (days since 1970-01-01, with a warning); an object column that mixes
    strings and numbers, infinite values and values beyond the float32
    range raise an error that says what to change. A column missing in
    every row, or with a different string in every row (an identifier),
    is accepted with a warning that says how to drop it.

    The fitted ``encoder_`` is a :class:`~sklearn_ssl.encoders.TabularEncoder`:
    it standardises number features with the training mean and standard
    deviation (when ``standardize=True``), fills missing numbers with the
    training mean and adds a missing-value indicator for each number feature that had
    missing cells at fit, embeds each categorical feature, then applies the
    network. It maps the rows that ``_validate_input`` returns (numbers and
    category codes, as float32) to embeddings.
    """

    _shared_parameters = TABLE_PARAMETERS
    _shared_attributes = TABLE_ATTRIBUTES
    #: Saved files and pickles from before ``passthrough`` existed embed without the encoded input.
    _values_for_older_files = {"passthrough": False}
    _parameter_constraints: dict = {
        **SelfSupervisedTransformer._parameter_constraints,
        **constraints(TABLE_PARAMETERS),
    }

    # -- the input rule ----------------------------------------------------------

    def _validate_input(self, X, reset):
        """The rows of ``X`` as a float array: numbers (NaN where missing), category codes."""
        _check_table_shape(X)
        if self._reads_columns(X, reset):
            X = self._validate_columns(X, reset)
        else:
            X = self._validate_numbers(X, reset)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN input
            largest = max(np.nanmax(X), -np.nanmin(X)) if X.size else 0.0
        if largest > np.finfo(np.float32).max:
            raise ValueError(
                f"X has values of magnitude up to {largest:.3g}, beyond the "
                "float32 range (3.4e38) the encoder computes in; rescale X first."
            )
        return X

    def _reads_columns(self, X, reset):
        """Whether ``X`` is read column by column (else as one numeric array)."""
        if is_dataframe(X) or getattr(getattr(X, "dtype", None), "kind", None) in ("O", "U"):
            return True
        if not reset:
            return bool(self._column_plan()[0].any())
        requested = self.categorical_features
        if requested is None or isinstance(requested, str):
            return False
        requested = np.asarray(requested)
        return bool(requested.size) and (requested.dtype.kind != "b" or bool(requested.any()))

    def _validate_numbers(self, X, reset):
        """A numeric array: scikit-learn's validation, NaN allowed."""
        with explain_invalid_input(self):
            X = validate_data(
                self, X, reset=reset, dtype=[np.float64, np.float32], ensure_all_finite="allow-nan"
            )
        if reset:
            kinds = ["number"] * X.shape[1]
            names = getattr(self, "feature_names_in_", None)
            self.categorical_features_ = categorical_mask(kinds, self.categorical_features, names)
            self.categories_ = []
            self._missing_features = _columns_with_nan(X)
        return X

    def _validate_columns(self, X, reset):
        """A DataFrame or object array, read column by column; learns the categories at fit."""
        with _explain_column_names(self):
            validate_data(self, X, reset=reset, skip_check_array=True)
        columns = read_columns(X)
        if reset:
            kinds = [column.kind for column in columns]
            names = getattr(self, "feature_names_in_", None)
            mask = categorical_mask(kinds, self.categorical_features, names)
            categories = [
                fit_categories(column) for column, m in zip(columns, mask, strict=True) if m
            ]
        else:
            mask, categories, _ = self._column_plan()
        numbers = [column for column, m in zip(columns, mask, strict=True) if not m]
        dtype = np.float32 if all(c.values.dtype == np.float32 for c in numbers) else np.float64
        rows = encode_rows(columns, _num_samples(X), mask, categories, dtype)
        with explain_invalid_input(self):
            rows = check_array(rows, ensure_all_finite="allow-nan", input_name="X")
        if reset:
            warn_about_dates(columns)
            warn_if_all_missing(columns, rows, mask)
            self.categorical_features_ = mask
            self.categories_ = categories
            self._missing_features = np.where(
                mask, (rows == MISSING).any(axis=0), np.isnan(rows).any(axis=0)
            )
        else:
            warn_if_all_new(columns, rows, mask)
        return rows

    def _column_plan(self):
        """The fitted categorical mask, categories and features with missing cells at fit.

        A model saved by sklearn-ssl 0.1 has none of them: numbers only.
        """
        n_features = self.n_features_in_
        mask = getattr(self, "categorical_features_", np.zeros(n_features, dtype=bool))
        categories = getattr(self, "categories_", [])
        missing = getattr(self, "_missing_features", np.zeros(n_features, dtype=bool))
        return np.asarray(mask, dtype=bool), categories, np.asarray(missing, dtype=bool)

    def _n_slots(self):
        """Codes of each categorical feature: its categories plus missing and unknown."""
        return [len(categories) + FIRST_CATEGORY for categories in self._column_plan()[1]]

    # -- the output ----------------------------------------------------------------

    def transform(self, X):
        """Embed the rows of ``X`` with the trained encoder.

        The encoder runs in evaluation mode, without gradients and without
        augmentation, in batches of ``batch_size`` rows. With
        ``passthrough=True`` the encoded input follows the embeddings.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to embed, with the columns seen at fit.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features_out)
            The embeddings (``n_components_`` columns), then with
            ``passthrough=True`` the encoded input; float64 for float64
            input and float32 otherwise.
        """
        check_is_fitted(self)
        rows = self._validate_input(X, reset=False)
        Z = embed(self, rows)  # (n_samples, n_components_)
        if not self.passthrough:
            return Z
        return np.hstack([Z, self._encoded_input(rows).astype(Z.dtype)])

    def _encoded_input(self, rows):
        """The encoded input of validated ``rows``: one-hot + impute + scale, as the
        fitted encoder scales the numbers (``passthrough``'s columns)."""
        mask, categories, missing = self._column_plan()
        standardize = self.encoder_.standardize
        center, scale = (t.detach().cpu().numpy() for t in (standardize.mean, standardize.scale))
        return encoded_input(rows, center, scale, mask, categories, missing)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: the embeddings', then the encoded input's.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            The input feature names, checked against ``feature_names_in_``;
            used for the encoded input's names with ``passthrough=True``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``scarf0``, ``scarf1``, ... (the lowercase class name and a
            number); with ``passthrough=True`` followed by the encoded
            columns, named as scikit-learn's ``SimpleImputer`` and
            ``OneHotEncoder`` name them (``age``, ``missingindicator_age``,
            ``sex_nan``, ``sex_female``).
        """
        embeddings = super().get_feature_names_out(input_features)
        if not self.passthrough:
            return embeddings
        mask, categories, missing = self._column_plan()
        names = _check_feature_names_in(self, input_features)
        return np.concatenate([embeddings, encoded_input_names(names, mask, categories, missing)])

    # -- the encoder -------------------------------------------------------------

    def _build_encoder(self, X):
        """The scaling encoder for training rows ``X``."""
        mask, _, missing = self._column_plan()
        if self.standardize:
            center, scale = _center_scale(X, ~mask)
        else:
            center, scale = np.zeros(X.shape[1]), np.ones(X.shape[1])
        columns = None
        width = X.shape[1]
        if mask.any() or missing.any():
            columns = TableColumns(
                numeric=np.flatnonzero(~mask),
                missing=np.flatnonzero(missing[~mask]),
                categorical=np.flatnonzero(mask),
                n_slots=self._n_slots(),
            )
            width = columns.width
        body = self._user_encoder()
        if body is None:
            body = MLP(width, self._hidden_layer_sizes(), self.n_components)
        return TabularEncoder(Standardize(center, scale), body, columns)

    def _hidden_layer_sizes(self):
        sizes = list(np.atleast_1d(self.hidden_layer_sizes))
        if not all(isinstance(size, Integral | np.integer) and size > 0 for size in sizes):
            raise ValueError(
                "hidden_layer_sizes must be a sequence of positive integers, got "
                f"{self.hidden_layer_sizes!r}."
            )
        return [int(size) for size in sizes]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def _check_table_shape(X):
    """Refuse 1-D input (an empty list among it) with a short message, not the array."""
    shape = getattr(X, "shape", None)
    if shape is None and isinstance(X, list | tuple):
        try:
            shape = np.shape(X)
        except ValueError:  # ragged rows: validate_data explains those
            return
    if shape is None or len(shape) != 1:
        return
    size = shape[0]
    if size == 0:
        raise ValueError(
            "X is empty: expected a table of shape (n_samples, n_features) with rows and columns."
        )
    raise ValueError(
        f"X is 1-D ({size} values): expected a table of shape (n_samples, n_features). "
        "Reshape your data: X.reshape(-1, 1) for a single feature, X.reshape(1, -1) for "
        "a single row."
    )


def _columns_with_nan(X, chunk_bytes=2**24):
    """Which columns of ``X`` have a NaN, in chunks of rows (a memory map is never loaded whole)."""
    chunk_rows = max(1, chunk_bytes // (8 * max(1, X.shape[1])))
    found = np.zeros(X.shape[1], dtype=bool)
    for start in range(0, len(X), chunk_rows):
        found |= np.isnan(X[start : start + chunk_rows]).any(axis=0)
    return found


def _center_scale(X, numeric, chunk_bytes=2**24):
    """Per-column mean and standard deviation of the ``numeric`` columns; 0 and 1 elsewhere.

    Missing values are ignored; a constant or all-missing column, or a spread
    below float32's normal range, gets the scale 1. Computed at float32
    precision in two passes over chunks of about ``chunk_bytes`` of float64
    temporaries, so a memory-mapped ``X`` is never loaded whole; on numbers
    without missing values these are the statistics of sklearn-ssl 0.1.
    """
    chunk_rows = max(1, chunk_bytes // (8 * max(1, X.shape[1])))
    total, count = np.zeros(X.shape[1]), np.zeros(X.shape[1])
    for start in range(0, len(X), chunk_rows):
        chunk = X[start : start + chunk_rows].astype(np.float32)  # the encoder's precision
        total += np.nansum(chunk, axis=0, dtype=np.float64)
        count += (~np.isnan(chunk)).sum(axis=0)
    mean = np.divide(total, count, out=np.zeros(X.shape[1]), where=count > 0)
    squares = np.zeros(X.shape[1])
    for start in range(0, len(X), chunk_rows):
        deviation = X[start : start + chunk_rows].astype(np.float32) - mean  # (chunk, d) float64
        squares += np.nansum(np.square(deviation), axis=0)
    scale = np.sqrt(np.divide(squares, count, out=np.zeros(X.shape[1]), where=count > 0))
    scale[~(scale > np.finfo(np.float32).tiny)] = 1.0
    return np.where(numeric, mean, 0.0), np.where(numeric, scale, 1.0)


@contextlib.contextmanager
def _explain_column_names(estimator):
    """Add what to do to scikit-learn's errors about renamed or reordered columns."""
    try:
        yield
    except ValueError as exc:
        if "feature names should match" not in str(exc):
            raise
        raise ValueError(
            f"{type(estimator).__name__}: {exc}Pass the columns seen at fit, in the same "
            "order: X[est.feature_names_in_] (rename them first if they were renamed)."
        ) from exc
