"""Behaviour of the table methods (the registry's table cases: SCARF, VIME) beyond
sklearn's checks."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline

from sklearn_ssl import SCARF, VIME
from tests.registry import TABLE, cases

# the embeddings alone (tests/tabular/test_passthrough.py covers the encoded input)
FAST = dict(
    n_components=8,
    hidden_layer_sizes=(32,),
    batch_size=64,
    device="cpu",
    random_state=0,
    passthrough=False,
)
METHODS = list(dict.fromkeys(type(case.estimator) for case in cases(TABLE)))


@pytest.fixture(params=METHODS, ids=lambda cls: cls.__name__)
def method(request):
    return request.param


def test_pretext_loss_goes_down(method, digits):
    X, _ = digits
    est = method(**FAST, max_epochs=15).fit(X)
    losses = est.history_[:, "train_loss"]
    assert len(losses) == est.n_iter_ == 15
    assert np.mean(losses[-3:]) < 0.95 * np.mean(losses[:2])


def test_embeddings_separate_classes(method, blobs):
    X, y = blobs
    Z = method(**FAST, max_epochs=10).fit_transform(X)
    accuracy = cross_val_score(KNeighborsClassifier(3), Z, y, cv=3).mean()
    assert accuracy > 0.9  # chance is 1/3


def test_same_random_state_gives_identical_embeddings(method, digits):
    X, _ = digits
    first = method(**FAST, max_epochs=2).fit_transform(X)
    second = method(**FAST, max_epochs=2).fit_transform(X)
    np.testing.assert_array_equal(first, second)
    other = method(**{**FAST, "random_state": 1}, max_epochs=2).fit_transform(X)
    assert not np.allclose(first, other)


def test_fit_leaves_global_torch_rng_alone(method, digits):
    X, _ = digits
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    method(**FAST, max_epochs=1).fit(X)
    np.testing.assert_array_equal(torch.rand(3), expected)


def test_pickle_round_trip_keeps_embeddings(method, digits):
    X, _ = digits
    est = method(**FAST, max_epochs=1).fit(X)
    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(est.transform(X), restored.transform(X))
    assert restored.history_[-1, "train_loss"] == est.history_[-1, "train_loss"]


def test_clone_is_unfitted_with_same_params(method, digits):
    X, _ = digits
    est = method(**FAST, max_epochs=1).fit(X)
    twin = clone(est)
    assert twin.get_params() == est.get_params()
    assert not hasattr(twin, "net_")


def test_pipeline_under_grid_search(digits):
    X, y = digits
    pipe = make_pipeline(SCARF(**FAST, max_epochs=20), LogisticRegression(max_iter=500))
    search = GridSearchCV(pipe, {"scarf__corruption_rate": [0.3, 0.6]}, cv=2).fit(X[:300], y[:300])
    assert search.best_params_["scarf__corruption_rate"] in (0.3, 0.6)
    assert search.best_score_ > 0.5


def test_partial_fit_continues_training(method, digits):
    X, _ = digits
    est = method(**FAST, max_epochs=2).fit(X)
    optimizer_state = est.net_.optimizer_.state_dict()["state"]
    steps_before = int(optimizer_state[0]["step"])
    est.partial_fit(X[:500])
    assert est.n_iter_ == 3
    assert int(est.net_.optimizer_.state_dict()["state"][0]["step"]) > steps_before
    with pytest.raises(ValueError, match="X has 10 features"):
        est.partial_fit(X[:, :10])


def test_partial_fit_from_scratch_is_one_epoch(method, digits):
    X, _ = digits
    est = method(**FAST).partial_fit(X)
    assert est.n_iter_ == 1
    assert est.transform(X).shape == (len(X), 8)


def test_early_stopping_on_pretext_loss(method, digits):
    X, _ = digits
    est = method(**FAST, max_epochs=200, n_iter_no_change=2, tol=10.0).fit(X)
    assert est.n_iter_ == 3  # no epoch improves by 10 on the first


def test_batch_larger_than_data(method, digits):
    X, _ = digits
    est = method(**{**FAST, "batch_size": 10_000}, max_epochs=1).fit(X[:50])
    assert est.history_[-1, "train_batch_count"] == 1


def test_transform_keeps_float_dtype(method, digits):
    X, _ = digits
    est = method(**FAST, max_epochs=1).fit(X)
    assert est.transform(X.astype(np.float32)).dtype == np.float32
    assert est.transform(X).dtype == np.float64
    assert est.transform(X.astype(np.int64)).dtype == np.float64


def test_encoder_maps_raw_float32_rows(method, digits):
    X, _ = digits
    est = method(**FAST, max_epochs=1).fit(X)
    with torch.no_grad():
        Z = est.encoder_(torch.as_tensor(X[:5], dtype=torch.float32)).numpy()
    np.testing.assert_allclose(Z, est.transform(X[:5].astype(np.float32)), rtol=1e-5, atol=1e-6)


def test_custom_encoder_module(method, digits):
    X, _ = digits
    body = torch.nn.Sequential(torch.nn.Linear(64, 20), torch.nn.ReLU(), torch.nn.Linear(20, 5))
    est = method(**{**FAST, "encoder": body}, max_epochs=2).fit(X)
    assert est.transform(X).shape == (len(X), 5)
    assert est.get_feature_names_out()[-1] == f"{method.__name__.lower()}4"
    assert body[0].weight.grad is None  # the user's module itself is not trained


def test_html_repr(method):
    html = method()._repr_html_()
    assert method.__name__ in html


def test_standardize_handles_constant_and_huge_columns(method):
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=100) * 1e30, np.full(100, 7.0), rng.normal(size=100)])
    Z = method(**FAST, max_epochs=2).fit_transform(X)
    assert np.isfinite(Z).all()


@pytest.mark.parametrize(
    "X, message",
    [
        (np.array([[1.0, np.inf], [2.0, 3.0]]), "infinity"),
        (np.empty((0, 3)), "0 sample"),
        ([], "X is empty: expected a table"),
        (np.ones((1, 3)), "1 sample"),
        (np.arange(5.0), r"X is 1-D \(5 values\).*Reshape your data: X.reshape\(-1, 1\)"),
        (np.ones((4, 2)) * 1j, "Complex data not supported"),
        (np.array([[1e300, 0.0], [0.0, 1.0]]), "float32 range"),
    ],
)
def test_bad_training_data_gets_a_clear_error(method, X, message):
    with pytest.raises(ValueError, match=message):
        method(**FAST, max_epochs=1).fit(X)


def test_one_d_input_is_refused_without_printing_it(method):
    """A long 1-D array gets a short message, not the array printed in full."""
    with pytest.raises(ValueError) as error:
        method(**FAST, max_epochs=1).fit(np.arange(100_000.0))
    assert len(str(error.value)) < 300


def test_sparse_input_is_refused_clearly(method):
    from scipy import sparse

    with pytest.raises(TypeError, match="Sparse data was passed"):
        method(**FAST, max_epochs=1).fit(sparse.random(20, 5, density=0.5, format="csr"))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"max_epochs": -1}, "max_epochs"),
        ({"lr": 0}, "lr"),
        ({"encoder": "resnet"}, "encoder"),
        ({"device": "tpu9"}, "device"),
        ({"optimizer": "lbfgs"}, "optimizer"),
        ({"hidden_layer_sizes": (8, -2)}, "hidden_layer_sizes"),
    ],
)
def test_invalid_parameters_are_named(method, digits, params, message):
    X, _ = digits
    with pytest.raises(ValueError, match=message):
        method(**{**FAST, **params}).fit(X[:20])


@pytest.mark.parametrize(
    "cls, param", [(SCARF, "corruption_rate"), (SCARF, "temperature"), (VIME, "mask_rate")]
)
@pytest.mark.parametrize("value", [0.0, 1.5, -0.1])
def test_rates_outside_their_range_are_refused(cls, param, value, digits):
    X, _ = digits
    if param == "temperature" and value == 1.5:
        return  # any positive temperature is valid
    with pytest.raises(ValueError, match=param):
        cls(**FAST, **{param: value}).fit(X[:20])


def test_cuda_request_without_cuda_is_explained(digits):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ValueError, match="no CUDA device"):
        SCARF(**{**FAST, "device": "cuda"}).fit(digits[0][:20])


def test_wrong_width_at_transform(method, digits):
    X, _ = digits
    est = method(**FAST, max_epochs=1).fit(X)
    with pytest.raises(ValueError, match="X has 63 features, but .* is expecting 64"):
        est.transform(X[:, :63])


def test_diverging_loss_stops_with_a_hint(digits):
    X, _ = digits
    est = SCARF(**{**FAST, "lr": 1e30, "optimizer": "sgd"}, max_epochs=20)
    with pytest.raises(FloatingPointError, match="learning rate"):
        est.fit(X)
    assert not hasattr(est, "net_")


def test_verbose_shows_progress(digits, capsys):
    SCARF(**FAST, max_epochs=2, verbose=1).fit(digits[0][:100])
    assert "SCARF" in capsys.readouterr().err


def test_score_is_label_free_rankme(method, digits):
    X, _ = digits
    est = method(**FAST, max_epochs=2).fit(X)
    score = est.score(X)
    assert 1.0 <= score <= est.n_components_
