"""Streaming from host memory: memmaps, data_on_device, partial_fit over chunks.

The estimator level, for every registry case with numeric input;
``tests/engine/test_host_batches.py`` tests the streamed batches themselves.
"""

import numpy as np
import pytest
import torch
from sklearn.base import clone

from sklearn_ssl._engine import HostBatches, is_memory_mapped, keep_resident
from tests.registry import parametrize_cases


@pytest.fixture
def memmap_rows(tmp_path):
    """``make(case, n)``: the case's float32 rows written to and reopened from a memmap."""

    def make(case, n_samples, seed=0):
        X = np.asarray(case.make_X(n_samples, np.random.default_rng(seed)), dtype=np.float32)
        path = tmp_path / f"rows_{seed}.f32"
        writer = np.memmap(path, dtype=np.float32, mode="w+", shape=X.shape)
        writer[:] = X
        writer.flush()
        return np.memmap(path, dtype=np.float32, mode="r", shape=X.shape), X

    return make


@parametrize_cases(needs="numeric_array")
def test_streaming_trains_the_same_model_as_resident(case):
    X = np.asarray(case.make_X(96, np.random.default_rng(0)), dtype=np.float32)
    resident = clone(case.estimator).set_params(data_on_device=True).fit(X)
    streamed = clone(case.estimator).set_params(data_on_device=False).fit(X)
    assert resident.history_[:, "train_loss"] == streamed.history_[:, "train_loss"]
    np.testing.assert_array_equal(resident.transform(X), streamed.transform(X))


@parametrize_cases(needs="numeric_array")
def test_memmap_is_validated_without_copy_and_streamed(case, memmap_rows, monkeypatch):
    X_map, X = memmap_rows(case, 96)
    est = clone(case.estimator)
    validated = est._validate_input(X_map, reset=True)
    assert is_memory_mapped(validated) and np.shares_memory(validated, X_map)
    assert not keep_resident(validated, torch.device("cpu"), "auto")

    gathered = []
    original = HostBatches._gather
    monkeypatch.setattr(
        HostBatches,
        "_gather",
        lambda self, rows: gathered.append(len(rows)) or original(self, rows),
    )
    est.fit(X_map)
    assert gathered and max(gathered) < len(X)  # read batch by batch, never whole
    same = clone(case.estimator).set_params(data_on_device=False).fit(X)
    np.testing.assert_array_equal(est.transform(X_map), same.transform(X))


@parametrize_cases(needs="numeric_array")
def test_partial_fit_over_chunks_of_a_memmap_learns(case, memmap_rows):
    X_map, _ = memmap_rows(case, 240)
    est = clone(case.estimator).set_params(max_epochs=1, batch_size=16, lr=3e-3)
    losses = []
    for _ in range(6):  # passes over the data arriving in 3 chunks
        for start in range(0, len(X_map), 80):
            est.partial_fit(X_map[start : start + 80])
        losses.append(np.mean(est.history_[-3:, "train_loss"]))
    assert est.n_iter_ == 18
    assert losses[-1] < losses[0]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@parametrize_cases(needs="numeric_array")
def test_streaming_on_cuda_matches_resident(case):
    """Pinned buffers and side-stream copies deliver the same batches as resident data."""
    X = np.asarray(case.make_X(512, np.random.default_rng(0)), dtype=np.float32)
    params = dict(device="cuda", precision="float32", batch_size=32)
    resident = clone(case.estimator).set_params(data_on_device=True, **params).fit(X)
    streamed = clone(case.estimator).set_params(data_on_device=False, **params).fit(X)
    np.testing.assert_allclose(
        resident.history_[:, "train_loss"], streamed.history_[:, "train_loss"], rtol=1e-4
    )
    np.testing.assert_allclose(resident.transform(X), streamed.transform(X), atol=1e-3)
