"""Batches streamed from a host array: the same batches as resident data, or a plan's."""

import numpy as np
import pytest
import torch

from sklearn_ssl._engine import host_batches as _host_batches
from sklearn_ssl._engine.batches import DeviceBatches, n_batches
from sklearn_ssl._engine.distributed import _SHARD
from sklearn_ssl._engine.host_batches import (
    HostBatches,
    gather_threads,
    is_memory_mapped,
    keep_resident,
)


def as_tensor(rows, device):
    return torch.as_tensor(rows, device=device)


def generator(seed=0):
    return torch.Generator().manual_seed(seed)


@pytest.mark.parametrize("n_samples", [5, 16, 50, 97])
def test_host_batches_are_the_device_batches(n_samples):
    data = np.random.default_rng(0).normal(size=(n_samples, 3)).astype(np.float32)
    resident = DeviceBatches(torch.from_numpy(data), 16, generator(3))
    streamed = HostBatches(data, 16, generator(3), as_tensor, "cpu")
    assert len(streamed) == len(resident) == n_batches(n_samples, 16)
    for _ in range(2):  # the generator moves on: a second epoch matches too
        pairs = list(zip(resident, streamed, strict=True))
        assert len(pairs) == len(resident)
        for (X_resident, y_resident), (X_streamed, y_streamed) in pairs:
            assert torch.equal(X_resident, X_streamed)
            assert y_resident is None and y_streamed is None


def test_host_batches_follow_a_plan():
    data = np.arange(10, dtype=np.float32)[:, None]  # (10, 1): row i holds i
    calls = []
    planned = [np.array([7, 1, 4, 0, 9]), np.array([3, 2, 8, 6, 5])]

    def plan(gen):
        calls.append(gen)
        return planned

    gen = generator()
    batches = HostBatches(data, 5, gen, as_tensor, "cpu", plan=plan)
    seen = [batch[:, 0].long().tolist() for batch, _ in batches]
    assert seen == [rows.tolist() for rows in planned]  # the plan's rows, in its order
    assert calls == [gen]  # asked once per epoch, with the training generator
    list(batches)
    assert len(calls) == 2


def test_only_the_rows_of_a_batch_are_gathered(monkeypatch):
    data = np.arange(40, dtype=np.float32)[:, None]
    gathered = []
    original = HostBatches._gather
    monkeypatch.setattr(
        HostBatches,
        "_gather",
        lambda self, rows: gathered.append(len(rows)) or original(self, rows),
    )
    list(HostBatches(data, 8, generator(), as_tensor, "cpu"))
    assert gathered == [8] * 5


def test_memory_maps_and_their_views_are_recognised(tmp_path):
    mapped = np.memmap(tmp_path / "x.f32", dtype=np.float32, mode="w+", shape=(10, 4))
    assert is_memory_mapped(mapped) and is_memory_mapped(mapped[2:5])
    assert not is_memory_mapped(np.array(mapped)) and not is_memory_mapped(np.zeros(3))


def test_one_gathering_thread_on_the_cpu():
    assert gather_threads(torch.device("cpu")) == 1


def test_auto_streams_data_over_the_budget(monkeypatch):
    X = np.zeros((1000, 10), dtype=np.float32)  # 40 kB as float32
    cpu = torch.device("cpu")
    monkeypatch.setattr(_host_batches, "free_memory", lambda device: 100_000)
    assert keep_resident(X, cpu, "auto")  # 40 kB <= half of 100 kB
    monkeypatch.setattr(_host_batches, "free_memory", lambda device: 60_000)
    assert not keep_resident(X, cpu, "auto")
    assert keep_resident(X, cpu, True) and not keep_resident(X, cpu, False)


def test_host_batches_cover_the_rows_and_shard_disjointly():
    data = np.arange(50, dtype=np.float32)[:, None]  # (50, 1): row i holds i

    def epoch(rank, world_size):
        _SHARD.update(rank=rank, world_size=world_size)
        try:
            generator = torch.Generator().manual_seed(3)
            batches = HostBatches(data, 16, generator, lambda X, d: torch.as_tensor(X), "cpu")
            return [batch[:, 0].long().tolist() for batch, _ in batches]
        finally:
            _SHARD.update(rank=0, world_size=1)

    whole = epoch(0, 1)
    assert sorted(sum(whole, [])) == list(range(50)) and len(whole) == 3  # 17, 17, 16 rows
    part0, part1 = epoch(0, 2), epoch(1, 2)
    for batch, rows0, rows1 in zip(whole, part0, part1, strict=True):
        assert len(rows0) == len(rows1) == len(batch) // 2
        assert rows0 + rows1 == batch[: 2 * len(rows0)]  # disjoint halves, same order


def test_joblib_shared_arrays_stay_resident(tmp_path):
    """joblib passes large arrays to workers as memory maps; those are in memory already."""
    folder = tmp_path / "joblib_memmapping_folder_1_2_3"
    folder.mkdir()
    shared = np.memmap(folder / "x.pkl", dtype=np.float32, mode="w+", shape=(10, 4))
    user = np.memmap(tmp_path / "x.f32", dtype=np.float32, mode="w+", shape=(10, 4))
    cpu = torch.device("cpu")
    assert keep_resident(shared, cpu, "auto")
    assert not keep_resident(user, cpu, "auto")
