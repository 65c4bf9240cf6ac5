"""Parameters renamed in 0.2: the old name still works, warns, and old files load silently."""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone

import sklearn_ssl
from tests.registry import get_case

#: (case, old name, new name, a value that is not the new name's default).
RENAMES = [
    ("MaskedAutoencoder", "mask_ratio", "mask_rate", 0.5),
    ("MaskedAutoencoder", "pool", "pooling", "cls"),
    ("MaskedTimeSeriesAutoencoder", "mask_ratio", "mask_rate", 0.6),
    ("TS2Vec", "hidden_size", "width", 5),
    ("MaskedLanguageModel", "n_layers", "depth", 3),
]
IDS = [f"{case}-{old}" for case, old, *_ in RENAMES]


def fitted_pair(case_name, old, new, value):
    """The case fitted with the new name set, and with the old name set instead."""
    case = get_case(case_name)
    X = case.make_X(24, np.random.default_rng(0))
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        with_new = clone(case.estimator).set_params(**{new: value}).fit(X)
    default = type(case.estimator)().get_params()[new]
    with_old = clone(case.estimator).set_params(**{old: value, new: default})
    with pytest.warns(FutureWarning, match=f"`{old}` was renamed `{new}` in 0.2"):
        with_old.fit(X)
    return with_new, with_old, X


@pytest.mark.parametrize("case_name, old, new, value", RENAMES, ids=IDS)
def test_the_old_name_gives_the_same_model_with_a_future_warning(case_name, old, new, value):
    with_new, with_old, X = fitted_pair(case_name, old, new, value)
    np.testing.assert_array_equal(with_old.transform(X), with_new.transform(X))
    assert with_old.get_params()[old] == value  # the parameters stay as given


@pytest.mark.parametrize("case_name, old, new, value", RENAMES, ids=IDS)
def test_both_names_that_disagree_are_refused(case_name, old, new, value):
    case = get_case(case_name)
    X = case.make_X(24, np.random.default_rng(0))
    other = clone(case.estimator).set_params(**{new: value, old: _another(value)})
    with (
        pytest.warns(FutureWarning),
        pytest.raises(ValueError, match=f"{old}=.* and {new}=.* disagree: {old} is the deprecated"),
    ):
        other.fit(X)


@pytest.mark.parametrize("case_name, old, new, value", RENAMES, ids=IDS)
def test_a_pickle_from_before_the_rename_loads_under_the_new_name(case_name, old, new, value):
    with_new, _, X = fitted_pair(case_name, old, new, value)
    state = with_new.__getstate__()
    state[old] = state.pop(new)  # as written before the rename
    unpickled = type(with_new).__new__(type(with_new))
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        unpickled.__setstate__(state)
        assert getattr(unpickled, new) == value and getattr(unpickled, old) == "deprecated"
        np.testing.assert_array_equal(unpickled.transform(X), with_new.transform(X))
        pickle.loads(pickle.dumps(unpickled)).transform(X[:2])


def test_the_masked_series_transformer_ignores_an_old_hidden_size():
    """Before ``width``, ``hidden_size`` sized the dilated CNN only."""
    case = get_case("MaskedTimeSeriesAutoencoder")
    X = case.make_X(24, np.random.default_rng(0))
    est = clone(case.estimator).fit(X)
    state = est.__getstate__()
    del state["width"]
    state["hidden_size"] = 64
    unpickled = type(est).__new__(type(est))
    unpickled.__setstate__(state)
    assert unpickled.width is None and unpickled.hidden_size == "deprecated"
    cnn = clone(est).set_params(encoder="dilated_cnn").get_params()
    del cnn["width"]
    cnn["hidden_size"] = 8
    assert sklearn_ssl.MaskedTimeSeriesAutoencoder._older_params(cnn)["hidden_size"] == 8


def _another(value):
    """Another value of the parameter's type."""
    for candidate in (0.3, 7, "mean", "cls"):
        if type(candidate) is type(value) and candidate != value:
            return candidate
    raise AssertionError(f"no third value for {value!r}")
