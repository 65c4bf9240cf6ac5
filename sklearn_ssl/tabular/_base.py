"""The input rule of tables and what the table methods (SCARF, VIME) share."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import StrOptions
from torch import nn

from .._parameters import SharedAttribute, SharedParameter, constraints
from ..base import SelfSupervisedTransformer
from ..encoders import MLP, Standardize, TabularEncoder

#: The parameters of every table method.
TABLE_PARAMETERS = {
    "hidden_layer_sizes": SharedParameter(
        "array-like of int",
        "Widths of the encoder's hidden layers (Linear, BatchNorm, ReLU).",
        ["array-like"],
        (256, 256),
    ),
    "standardize": SharedParameter(
        "bool",
        """\
Standardise features with the training mean and standard deviation inside
the encoder; set False if X is already scaled.""",
        ["boolean"],
        True,
    ),
    "encoder": SharedParameter(
        '"mlp" or torch.nn.Module',
        """\
The encoder body; a module gets standardised rows of width
``n_features_in_`` and its output width becomes ``n_components_``.""",
        [StrOptions({"mlp"}), nn.Module],
        "mlp",
    ),
}

#: The fitted attributes of every table method.
TABLE_ATTRIBUTES = {
    "encoder_": SharedAttribute(
        "sklearn_ssl.encoders.TabularEncoder",
        "The trained encoder: maps a float32 batch of raw rows to embeddings.",
    ),
    "n_features_in_": SharedAttribute("int", "Number of features seen during fit."),
    "feature_names_in_": SharedAttribute(
        "ndarray of shape (n_features_in_,)",
        "Names of features seen during fit, when X has string feature names.",
    ),
}


class TabularSelfSupervised(SelfSupervisedTransformer):
    """Base class of the methods for rows of a numeric table.

    **Input rule.** ``X`` is a numeric 2-D array or DataFrame without
    missing values; values beyond the float32 range raise an error.

    The fitted ``encoder_`` is a :class:`~sklearn_ssl.encoders.TabularEncoder`:
    it standardises raw rows with the training means and standard deviations
    (when ``standardize=True``), then applies the network, so it maps raw
    float32 rows to embeddings.
    """

    _shared_parameters = TABLE_PARAMETERS
    _shared_attributes = TABLE_ATTRIBUTES
    _parameter_constraints: dict = {
        **SelfSupervisedTransformer._parameter_constraints,
        **constraints(TABLE_PARAMETERS),
    }

    def _validate_input(self, X, reset):
        _check_table_shape(X)
        X = super()._validate_input(X, reset)
        largest = max(X.max(), -X.min()) if X.size else 0.0
        if largest > np.finfo(np.float32).max:
            raise ValueError(
                f"X has values of magnitude up to {largest:.3g}, beyond the "
                "float32 range (3.4e38) the encoder computes in; rescale X first."
            )
        return X

    def _build_encoder(self, X):
        """The standardising encoder for training rows ``X``."""
        if self.standardize:
            mean, scale = _column_mean_std(X)
            # constant columns, or spreads below float32's normal range, stay at zero
            scale[~(scale > np.finfo(np.float32).tiny)] = 1.0
        else:
            mean, scale = np.zeros(X.shape[1]), np.ones(X.shape[1])
        body = self._user_encoder()
        if body is None:
            body = MLP(X.shape[1], self._hidden_layer_sizes(), self.n_components)
        return TabularEncoder(Standardize(mean, scale), body)

    def _hidden_layer_sizes(self):
        sizes = list(np.atleast_1d(self.hidden_layer_sizes))
        if not all(isinstance(size, Integral | np.integer) and size > 0 for size in sizes):
            raise ValueError(
                "hidden_layer_sizes must be a sequence of positive integers, got "
                f"{self.hidden_layer_sizes!r}."
            )
        return [int(size) for size in sizes]


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


def _column_mean_std(X, chunk_bytes=2**24):
    """Per-column mean and std of ``X`` at float32 precision, in chunks of rows.

    Two passes over chunks of about ``chunk_bytes`` of float64 temporaries, so
    a memory-mapped ``X`` is never loaded whole.
    """
    chunk_rows = max(1, chunk_bytes // (8 * max(1, X.shape[1])))
    total = np.zeros(X.shape[1])
    for start in range(0, len(X), chunk_rows):
        # the precision the encoder computes in
        total += X[start : start + chunk_rows].astype(np.float32).sum(axis=0, dtype=np.float64)
    mean = total / len(X)
    squares = np.zeros(X.shape[1])
    for start in range(0, len(X), chunk_rows):
        deviation = X[start : start + chunk_rows].astype(np.float32) - mean  # (chunk, d) float64
        squares += np.square(deviation).sum(axis=0)
    return mean, np.sqrt(squares / len(X))
