"""DataFrames with categories, strings, booleans and missing cells, straight into SCARF and VIME."""

import pickle
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
import torch
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline

from sklearn_ssl import SCARF, VIME, FineTunedClassifier, SelfSupervisedClassifier, load

# the embeddings alone (tests/tabular/test_passthrough.py covers the encoded input)
FAST = dict(
    n_components=8,
    hidden_layer_sizes=(32,),
    batch_size=64,
    device="cpu",
    random_state=0,
    passthrough=False,
)


@pytest.fixture(params=[SCARF, VIME], ids=lambda cls: cls.__name__)
def method(request):
    return request.param


def mixed_frame(n=240, seed=0):
    """Three classes told apart by a category, a string and a number; NaN and None sprinkled."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    frame = pd.DataFrame(
        {
            "size": rng.normal(size=n) + 3.0 * y,
            "colour": pd.Categorical(np.array(["red", "green", "blue"])[y]),
            "shape": np.array(["round", "square", "flat"], dtype=object)[(y + 1) % 3],
            "flag": rng.random(n) > 0.5,
            "noise": rng.normal(size=n) * 100.0,
            "count": pd.array(rng.integers(0, 5, n), dtype="Int64"),
        }
    )
    frame.loc[::7, "size"] = np.nan
    frame.loc[::5, "colour"] = np.nan
    frame.loc[::6, "shape"] = None
    frame.loc[::4, "count"] = pd.NA
    return frame, y


def test_dataframe_trains_and_embeds_without_preprocessing(method):
    X, y = mixed_frame()
    est = method(**FAST, max_epochs=30).fit(X)
    Z = est.transform(X)
    assert Z.shape == (len(X), 8) and np.isfinite(Z).all()
    np.testing.assert_array_equal(
        est.categorical_features_, [False, True, True, True, False, False]
    )
    assert [list(c) for c in est.categories_] == [
        ["blue", "green", "red"],
        ["flat", "round", "square"],
        [False, True],
    ]
    losses = est.history_[:, "train_loss"]
    assert np.mean(losses[-3:]) < np.mean(losses[:2])
    assert cross_val_score(KNeighborsClassifier(3), Z, y, cv=3).mean() > 0.9  # chance 1/3


def test_polars_gives_the_pandas_embeddings(method):
    X, _ = mixed_frame()
    est = method(**FAST, max_epochs=2).fit(X)
    np.testing.assert_allclose(est.transform(pl.from_pandas(X)), est.transform(X), rtol=1e-6)
    fitted_on_polars = method(**FAST, max_epochs=2).fit(pl.from_pandas(X))
    np.testing.assert_allclose(fitted_on_polars.transform(X), est.transform(X), rtol=1e-6)


def test_categorical_features_by_name_index_and_mask(method):
    X, _ = mixed_frame()
    X = X.assign(colour=X["colour"].cat.codes.astype(float).replace(-1, np.nan))  # numbers
    expected = [False, True, True, True, False, False]
    for requested in (["colour", "shape", "flag"], [1, 2, 3], np.array(expected)):
        est = method(**FAST, max_epochs=1, categorical_features=requested).fit(X)
        np.testing.assert_array_equal(est.categorical_features_, expected)
        np.testing.assert_array_equal(est.categories_[0], [0.0, 1.0, 2.0])
    numbers_only = method(**FAST, max_epochs=1, categorical_features=[1]).fit(X.iloc[:, :2])
    assert numbers_only.encoder_.columns is not None  # embeddings for the integer codes


def test_strings_outside_categorical_features_are_explained(method):
    X, _ = mixed_frame()
    with pytest.raises(TypeError, match="not categorical by categorical_features"):
        method(**FAST, max_epochs=1, categorical_features=None).fit(X)
    with pytest.raises(ValueError, match="not columns of X"):
        method(**FAST, max_epochs=1, categorical_features=["nope"]).fit(X)
    with pytest.raises(ValueError, match="outside the 6 features"):
        method(**FAST, max_epochs=1, categorical_features=[9]).fit(X)
    with pytest.raises(ValueError, match="boolean mask of 2 values"):
        method(**FAST, max_epochs=1, categorical_features=[True, False]).fit(X)
    with pytest.raises(ValueError, match="no feature names"):
        method(**FAST, max_epochs=1, categorical_features=["a"]).fit(np.ones((4, 2)))


def test_unseen_and_rare_categories_share_the_unknown_slot(method):
    X, _ = mixed_frame()
    X["shape"] = X["shape"].astype(object)
    X.loc[3, "shape"] = "once"  # seen a single time: pooled, not a category
    est = method(**FAST, max_epochs=1).fit(X)
    assert "once" not in list(est.categories_[1])
    new = X.iloc[[3]].copy()
    new_shape = new.assign(shape="never seen")
    with pytest.warns(UserWarning, match="no value seen during fit"):
        Z_new = est.transform(new_shape)
    np.testing.assert_allclose(Z_new, est.transform(X.iloc[[3]]), rtol=1e-6)


def test_missing_cells_are_their_own_category_and_indicator(method):
    X, _ = mixed_frame()
    est = method(**FAST, max_epochs=1).fit(X)
    rows = est._validate_input(X, reset=False)
    assert (rows[::5, 1] == 0).all()  # missing colour: the missing code
    assert np.isnan(rows[::7, 0]).all()
    columns = est.encoder_.columns
    assert columns.missing.tolist() == [0, 2]  # size and count had missing cells: indicators
    with torch.no_grad():
        features = est.encoder_.features(torch.as_tensor(rows[:8], dtype=torch.float32))
    assert torch.isfinite(features).all()
    assert features.shape[1] == columns.width


def test_vime_never_reconstructs_a_missing_cell():
    from sklearn_ssl.losses import table_reconstruction_loss

    numeric, categorical = torch.tensor([0]), torch.tensor([1])
    target = torch.tensor([[np.nan, 0.0], [1.0, 2.0]])  # row 0: number and category missing
    prediction = torch.tensor([[50.0, 9.0, -9.0, -9.0], [1.0, -9.0, -9.0, 9.0]])
    loss = table_reconstruction_loss(prediction, target, numeric, categorical, [3])
    assert loss.item() < 1e-3  # only row 1 counts, and it is right
    wrong = prediction.clone()
    wrong[1, 0] = 3.0
    assert table_reconstruction_loss(wrong, target, numeric, categorical, [3]) > 1.0


def test_corruption_draws_categories_from_their_own_column():
    from sklearn_ssl.augment import marginal_corruption

    codes = torch.tensor([[2.0, 10.0], [3.0, 11.0], [4.0, 12.0]]).repeat(50, 1)  # (150, 2)
    corrupted, mask = marginal_corruption(codes, 0.9, torch.Generator().manual_seed(0))
    assert mask.float().mean() > 0.8
    assert set(corrupted[:, 0].tolist()) <= {2.0, 3.0, 4.0}
    assert set(corrupted[:, 1].tolist()) <= {10.0, 11.0, 12.0}


def test_pipeline_grid_search_pickle_and_save(method, tmp_path):
    X, y = mixed_frame()
    defaults = {**FAST, "passthrough": True}  # the default: embeddings and encoded input
    pipe = make_pipeline(method(**defaults, max_epochs=3), LogisticRegression(max_iter=500))
    name = method.__name__.lower()
    grid = {f"{name}__n_components": [4, 8], f"{name}__passthrough": [False, True]}
    search = GridSearchCV(pipe, grid, cv=2).fit(X, y)
    assert search.best_score_ > 0.5
    est = method(**defaults, max_epochs=2).fit(X)
    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(restored.transform(X), est.transform(X))
    est.save(tmp_path / "mixed.safetensors")
    loaded = load(tmp_path / "mixed.safetensors")
    np.testing.assert_array_equal(loaded.transform(X), est.transform(X))
    np.testing.assert_array_equal(loaded.categorical_features_, est.categorical_features_)


def test_stage_two_takes_the_dataframe(method):
    X, y = mixed_frame()
    partial = np.where(np.arange(len(y)) % 4 == 0, y, -1)
    clf = SelfSupervisedClassifier(method(**FAST, max_epochs=10)).fit(X, partial)
    assert clf.score(X, y) > 0.7  # chance is 1/3
    tuned = FineTunedClassifier(method(**FAST, max_epochs=10), max_epochs=60, augment=True)
    assert tuned.fit(X, partial).score(X, y) > 0.7


def test_numeric_nan_is_imputed_and_flagged(method):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 4))
    X[::3, 1] = np.nan
    est = method(**FAST, max_epochs=2).fit(X)
    assert est.encoder_.columns.missing.tolist() == [1]
    assert np.isfinite(est.transform(X)).all()
    complete = method(**FAST, max_epochs=2).fit(np.nan_to_num(X))
    assert complete.encoder_.columns is None  # numbers without missing cells: the 0.1 layout
    holes = np.nan_to_num(X)
    holes[0, 2] = np.nan  # missing at transform only: the training median
    assert np.isfinite(complete.transform(holes)).all()


def test_identifier_column_warns_and_says_how_to_drop(method):
    X, _ = mixed_frame()
    X["id"] = [f"row-{i}" for i in range(len(X))]
    with pytest.warns(UserWarning, match=r"identifier.*X.drop\(columns=\['id'\]\)"):
        method(**FAST, max_epochs=1).fit(X)


def test_all_missing_column_warns(method):
    X, _ = mixed_frame()
    X["empty"] = np.nan
    X["nothing"] = pd.Series([None] * len(X), dtype=object)
    with pytest.warns(UserWarning, match="'empty', 'nothing' are missing in every row"):
        est = method(**FAST, max_epochs=1).fit(X)
    assert np.isfinite(est.transform(X)).all()


def test_dates_become_days_with_a_note(method):
    X, _ = mixed_frame()
    X["when"] = pd.date_range("2020-01-01", periods=len(X), tz="Europe/Paris")
    X.loc[2, "when"] = pd.NaT
    with pytest.warns(UserWarning, match="'when' hold dates or times.*days since 1970"):
        est = method(**FAST, max_epochs=1).fit(X)
    assert not est.categorical_features_[-1]
    assert np.isfinite(est.transform(pl.from_pandas(X))).all()


def test_mixed_types_in_one_column_are_refused(method):
    X, _ = mixed_frame()
    X["shape"] = X["shape"].astype(object)
    X.loc[0, "shape"] = 3
    with pytest.raises(TypeError, match=r"'shape' mixes value types \(number, str\).*astype"):
        method(**FAST, max_epochs=1).fit(X)


def test_reordered_or_renamed_columns_are_refused(method):
    X, _ = mixed_frame()
    est = method(**FAST, max_epochs=1).fit(X)
    with pytest.raises(ValueError, match=r"same order: X\[est.feature_names_in_\]"):
        est.transform(X[X.columns[::-1]])
    with pytest.raises(ValueError, match="rename them"):
        est.transform(X.rename(columns={"size": "height"}))


def test_numeric_column_with_strings_at_transform_is_explained(method):
    X, _ = mixed_frame()
    est = method(**FAST, max_epochs=1).fit(X)
    with pytest.raises(TypeError, match="convert it to numbers"):
        est.transform(X.assign(size="big"))


def test_same_random_state_same_embeddings_on_frames(method):
    X, _ = mixed_frame()
    first = method(**FAST, max_epochs=2).fit_transform(X)
    second = clone(method(**FAST, max_epochs=2)).fit_transform(X)
    np.testing.assert_array_equal(first, second)


def test_object_array_of_strings_and_numbers(method):
    X = np.array([["a", 1.0], ["b", 2.0], ["a", None], ["b", 4.0]] * 10, dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = method(**FAST, max_epochs=1).fit(X)
    np.testing.assert_array_equal(est.categorical_features_, [True, False])
    assert np.isfinite(est.transform(X)).all()
