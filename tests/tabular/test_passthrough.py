"""``passthrough=True``: the encoded input follows the embeddings in ``transform``."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import (
    check_transformer_get_feature_names_out_pandas,
    parametrize_with_checks,
)

from sklearn_ssl import SCARF, VIME, load

FAST = dict(n_components=8, hidden_layer_sizes=(32,), batch_size=64, device="cpu", random_state=0)


@pytest.fixture(params=[SCARF, VIME], ids=lambda cls: cls.__name__)
def method(request):
    return request.param


def small_frame(n=60, seed=0):
    """A number with holes, a category with holes and a rare value, a boolean."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "age": rng.normal(40.0, 10.0, n),
            "sex": pd.Categorical(rng.choice(["female", "male"], n)),
            "town": np.array(["a", "b", "c"], dtype=object)[np.arange(n) % 3],
            "member": rng.random(n) > 0.5,
        }
    )
    frame.loc[::4, "age"] = np.nan
    frame.loc[::5, "sex"] = np.nan
    frame.loc[7, "town"] = "once"  # seen a single time: no column of its own
    return frame


def test_encoded_input_is_one_hot_impute_scale(method):
    X = small_frame()
    est = method(**FAST, max_epochs=1, passthrough=True).fit(X)
    Z = est.transform(X)
    embeddings = method(**FAST, max_epochs=1, passthrough=False).fit(X).transform(X)
    np.testing.assert_array_equal(Z[:, :8], embeddings)
    age = X["age"].to_numpy()
    scaled = (age - np.nanmean(age)) / np.nanstd(age)
    expected = np.column_stack(
        [
            np.nan_to_num(scaled),  # the training mean where missing
            np.isnan(age),
            X["sex"].isna(),
            X["sex"] == "female",
            X["sex"] == "male",
            X["town"] == "a",
            X["town"] == "b",
            X["town"] == "c",
            ~X["member"],
            X["member"],
        ]
    ).astype(float)
    np.testing.assert_allclose(Z[:, 8:], expected, atol=1e-5)
    assert Z.shape[1] == len(est.get_feature_names_out()) == 8 + 10
    assert est.n_components_ == 8


def test_feature_names_name_the_encoded_columns(method):
    X = small_frame()
    est = method(**FAST, max_epochs=1, passthrough=True).fit(X)
    prefix = method.__name__.lower()
    assert est.get_feature_names_out().tolist() == [f"{prefix}{i}" for i in range(8)] + [
        "age",
        "missingindicator_age",
        "sex_nan",
        "sex_female",
        "sex_male",
        "town_a",
        "town_b",
        "town_c",
        "member_False",
        "member_True",
    ]
    out = est.set_output(transform="pandas").transform(X)
    assert out.columns.tolist() == est.get_feature_names_out().tolist()
    with pytest.raises(ValueError, match="input_features"):
        est.get_feature_names_out(["w", "x", "y", "z"])


def test_numeric_array_gets_scaled_columns_and_indicators(method):
    rng = np.random.default_rng(0)
    X = rng.normal(5.0, 3.0, size=(50, 3))
    X[::4, 1] = np.nan
    est = method(**FAST, max_epochs=1, passthrough=True).fit(X)
    names = est.get_feature_names_out()
    assert names[8:].tolist() == ["x0", "x1", "missingindicator_x1", "x2"]
    encoded = est.transform(X)[:, 8:]
    np.testing.assert_allclose(encoded[:, 0], (X[:, 0] - X[:, 0].mean()) / X[:, 0].std(), 1e-4)
    np.testing.assert_array_equal(encoded[:, 2], np.isnan(X[:, 1]))
    assert np.isfinite(encoded).all()


def test_probe_keeps_what_a_raw_column_tells_it(method):
    """One column decides the class among noise: the barely trained embeddings miss it."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 10))
    y = (X[:, 0] > 0).astype(int)
    train, test = np.arange(0, 60), np.arange(200, 400)  # 60 labels; raw columns: 0.96
    small = dict(FAST, n_components=2)

    def probe_accuracy(passthrough):
        est = method(**small, max_epochs=1, passthrough=passthrough).fit(X)
        Z = est.transform(X)
        probe = make_pipeline(StandardScaler(), LogisticRegression()).fit(Z[train], y[train])
        return probe.score(Z[test], y[test])

    assert probe_accuracy(passthrough=False) < 0.8
    assert probe_accuracy(passthrough=True) > 0.9


def test_pickle_and_save_keep_the_encoded_input(method, tmp_path):
    X = small_frame()
    est = method(**FAST, max_epochs=2, passthrough=True).fit(X)
    Z = est.transform(X)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(est)).transform(X), Z)
    est.save(tmp_path / "passthrough.safetensors")
    loaded = load(tmp_path / "passthrough.safetensors")
    np.testing.assert_array_equal(loaded.transform(X), Z)
    assert loaded.get_feature_names_out().tolist() == est.get_feature_names_out().tolist()


@parametrize_with_checks(
    [
        SCARF(
            3,
            hidden_layer_sizes=(8,),
            projection_size=8,
            max_epochs=2,
            batch_size=16,
            device="cpu",
            random_state=0,
            passthrough=True,
        ),
        VIME(
            3,
            hidden_layer_sizes=(8,),
            max_epochs=2,
            batch_size=16,
            device="cpu",
            random_state=0,
            passthrough=True,
        ),
    ]  # fmt: skip
)
def test_sklearn_checks_with_passthrough(estimator, check):
    check(estimator)


def test_pandas_feature_names_check_with_passthrough(method):
    est = method(3, hidden_layer_sizes=(8,), max_epochs=2, device="cpu", passthrough=True)
    check_transformer_get_feature_names_out_pandas(method.__name__, est)
