"""The engine's entry points, train and embed, called on validated rows."""

import numpy as np
import pytest
import torch
from sklearn.base import clone
from torch import nn

from sklearn_ssl._engine import apply_in_batches, embed, train, training_batches
from sklearn_ssl._engine.batches import DeviceBatches
from sklearn_ssl._engine.host_batches import HostBatches
from tests.registry import IMAGE, TABLE, cases, get_case

CPU = torch.device("cpu")


def fresh(name="SCARF", n_rows=48, dtype=None):
    """An unfitted copy of a registry case and its validated rows."""
    case = get_case(name)
    est = clone(case.estimator)
    X = case.make_X(n_rows, np.random.default_rng(0))
    X = X if dtype is None else X.astype(dtype)
    return est, est._validate_input(X, reset=True)


def parameters(module):
    return {name: value.detach().clone() for name, value in module.named_parameters()}


def test_restart_builds_the_net_and_sets_the_fitted_attributes():
    est, X = fresh()
    train(est, X, 2, restart=True)
    assert est.n_components_ == 3
    assert est.n_iter_ == 2 and est.history_ is est.net_.history
    assert est.interrupted_ is False
    assert embed(est, X).shape == (len(X), 3)
    first_net = est.net_
    train(est, X, 1, restart=True)  # a new task and net, from the seeded start
    assert est.net_ is not first_net
    assert est.n_iter_ == 1


def test_a_restart_starts_from_the_same_seeded_weights():
    est, X = fresh()
    train(est, X, 1, restart=True)
    once = parameters(est.encoder_)
    train(est, X, 1, restart=True)
    for name, value in parameters(est.encoder_).items():
        assert torch.equal(value, once[name]), name


def test_a_continued_run_keeps_the_net_and_its_weights():
    est, X = fresh()
    train(est, X, 2, restart=True)
    net, before = est.net_, parameters(est.encoder_)
    for group in net.optimizer_.param_groups:
        group["lr"] = 0.0  # steps that do not move: only a rebuild could change the weights
    train(est, X, 1, restart=False)
    assert est.net_ is net and est.n_iter_ == 3
    for name, value in parameters(est.encoder_).items():
        assert torch.equal(value, before[name]), name


def test_a_continued_run_trains_on():
    est, X = fresh()
    train(est, X, 2, restart=True)
    before = parameters(est.encoder_)
    train(est, X, 1, restart=False)
    after = parameters(est.encoder_)
    assert any(not torch.equal(after[name], before[name]) for name in before)


@pytest.mark.parametrize(
    ("name", "dtype", "expected"),
    [
        ("SCARF", np.float64, np.float64),
        ("SCARF", np.float32, np.float32),
        ("SimCLR", None, np.float32),  # uint8 images
        ("SimCLR", np.float64, np.float64),
        ("MaskedLanguageModel", None, np.float32),  # strings
    ],
)
def test_embed_dtype_follows_the_input(name, dtype, expected):
    est, X = fresh(name, dtype=dtype)
    train(est, X, 1, restart=True)
    embeddings = embed(est, X)
    assert embeddings.dtype == expected
    assert embeddings.shape == (len(X), est.n_components_)


class NonFinite(nn.Module):
    def forward(self, X):
        out = torch.zeros(len(X), 3)
        out[0, 1] = torch.nan
        return out


def test_embed_refuses_non_finite_embeddings():
    est, X = fresh()
    train(est, X, 1, restart=True)
    est.net_.module_.encoder = NonFinite()
    with pytest.raises(ValueError, match="SCARF produced non-finite embeddings.*rescale or clip X"):
        embed(est, X)


def test_apply_in_batches_puts_outputs_in_row_order():
    module = nn.Linear(2, 1).eval()
    nn.init.ones_(module.weight)
    nn.init.zeros_(module.bias)
    X = torch.arange(10.0).reshape(5, 2)  # row sums 1, 5, 9, 13, 17
    batches = [(np.array([4, 0]), X[[4, 0]]), (slice(1, 4), X[1:4])]
    out = apply_in_batches(module, batches, 5)
    assert out.dtype == np.float32 and out.shape == (5, 1)
    np.testing.assert_array_equal(out[:, 0], [1, 5, 9, 13, 17])


@pytest.mark.parametrize("case", cases(TABLE) + cases(IMAGE), ids=lambda case: case.id)
def test_training_batches_resident_or_streamed(case):
    est = clone(case.estimator)
    X = est._validate_input(case.make_X(32, np.random.default_rng(0)), reset=True)
    generator = torch.Generator()
    est.set_params(data_on_device=True)
    assert isinstance(training_batches(est, X, CPU, generator), DeviceBatches)
    est.set_params(data_on_device=False)
    assert isinstance(training_batches(est, X, CPU, generator), HostBatches)
