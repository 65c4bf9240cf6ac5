"""The input rule of series collections: three forms, NaN as missing, clear errors."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from tests.registry import SERIES, cases

METHODS = [case.estimator for case in cases(SERIES)]


@pytest.fixture(params=METHODS, ids=lambda est: type(est).__name__)
def estimator(request):
    return clone(request.param)


def collection(n=24, channels=2, length=20, seed=0):
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 2 * np.pi, length)
    return np.sin(t * rng.uniform(1, 3, size=(n, channels, 1))) + 0.1 * rng.normal(
        size=(n, channels, length)
    )


def test_three_forms_give_the_same_embeddings(estimator):
    X = collection(channels=1)
    as_3d = clone(estimator).fit(X)
    as_2d = clone(estimator).fit(X[:, 0])
    as_list = clone(estimator).fit(list(X))
    expected = as_3d.transform(X)
    np.testing.assert_array_equal(as_2d.transform(X[:, 0]), expected)
    np.testing.assert_array_equal(as_list.transform(list(X)), expected)
    assert as_2d.n_features_in_ == 20 and not hasattr(as_3d, "n_features_in_")
    assert as_3d.n_channels_ == as_2d.n_channels_ == 1


def test_unequal_lengths_are_nan_padding(estimator):
    X = collection()
    series = [X[i, :, : 5 + i % 15] for i in range(len(X))]
    est = clone(estimator).fit(series)
    padded = np.full_like(X, np.nan)
    for i, item in enumerate(series):
        padded[i, :, : item.shape[1]] = item
    Z = est.transform(series)
    assert Z.shape == (len(X), est.n_components_) and np.isfinite(Z).all()
    np.testing.assert_allclose(est.transform(padded), Z, atol=1e-5)
    # a series' embedding does not depend on the others: alone, it gets the same vector
    alone = np.vstack([est.transform([item]) for item in series[:5]])
    np.testing.assert_allclose(alone, Z[:5], atol=1e-5)


def test_missing_timestamps_are_masked_not_errors(estimator):
    X = collection()
    X[3, 0, 5:9] = np.nan  # a run missing in one channel: the whole timestamps are missing
    X[7, :, 12:] = np.nan  # trailing run: a shorter series
    est = clone(estimator).fit(X)
    Z = est.transform(X)
    assert np.isfinite(Z).all()
    other = X[3].copy()
    other[1, 5:9] = 1e6  # the other channel's values at missing timestamps are ignored
    np.testing.assert_allclose(est.transform(other[None]), Z[3:4], atol=1e-5)
    np.testing.assert_allclose(est.transform(X[7:8, :, :12]), Z[7:8], atol=1e-5)


def test_any_length_in_transform_and_length_one(estimator):
    est = clone(estimator).fit(collection())
    for length in (1, 3, 57):
        Z = est.transform(collection(n=3, length=length, seed=1))
        assert Z.shape == (3, est.n_components_) and np.isfinite(Z).all()
    ones = clone(estimator).fit(collection(length=1))  # length-1 training series
    assert np.isfinite(ones.transform(collection(length=1))).all()


def test_float32_stays_float32(estimator):
    X = collection().astype(np.float32)
    est = clone(estimator).fit(X)
    assert est.transform(X).dtype == np.float32
    assert est.transform(X.astype(np.float64)).dtype == np.float64


def test_dataframe_of_univariate_series_keeps_feature_names(estimator):
    X = pd.DataFrame(collection(channels=1)[:, 0], columns=[f"t{i}" for i in range(20)])
    est = clone(estimator).fit(X)
    np.testing.assert_array_equal(est.feature_names_in_, X.columns)
    with pytest.raises(ValueError, match="20 features"):
        est.transform(X.iloc[:, :10].to_numpy())
    # other lengths go in as a 3-D array or a list
    assert est.transform(X.to_numpy()[:, None, :10]).shape == (len(X), est.n_components_)


@pytest.mark.parametrize(
    "X, error, message",
    [
        (np.zeros((2, 2, 2, 5)), ValueError, "4-D array.*Reshape it"),
        (np.zeros(5), ValueError, "Reshape your data.*X\\[None\\]"),
        ([np.zeros((2, 5)), np.zeros((3, 6))], ValueError, "X\\[1\\] has 3 channels.*same"),
        ([np.zeros((1, 5)), np.zeros((1, 0))], ValueError, "X\\[1\\] is an empty series.*drop"),
        (np.zeros((3, 1, 0)), ValueError, "at least one channel and one timepoint"),
        ([], ValueError, "empty: found 0 series"),
        (np.full((3, 1, 4), np.nan), ValueError, "X\\[0\\] has no observed timestamp.*Drop"),
        (np.array([[[0.0, np.inf]]] * 3), ValueError, "infinity.*replaced or clipped"),
        (np.full((3, 1, 4), 1e300), ValueError, "beyond the float32 range.*rescale"),
        (np.array([[["a", "b"]]] * 3, dtype=object), TypeError, "numeric.*convert"),
        (np.ones((3, 1, 4), dtype=complex), TypeError, "must be real"),
        ([np.zeros((1, 2)), "abc"], ValueError, "X\\[1\\] has shape \\(\\)"),
    ],
    ids=[
        "4-D", "1-D", "channels differ", "empty series", "no timepoints", "empty list",
        "all missing", "infinity", "beyond float32", "strings", "complex", "not numeric",
    ],
)  # fmt: skip
def test_bad_input_raises_clearly(estimator, X, error, message):
    with pytest.raises(error, match=message):
        clone(estimator).fit(X)


def test_transform_needs_the_channels_of_fit(estimator):
    est = clone(estimator).fit(collection(channels=2))
    with pytest.raises(ValueError, match="3 channels.*fitted on 2"):
        est.transform(collection(channels=3))
