"""Shuffled mini-batches of device-resident rows: coverage, sizes, targets, augmentation."""

import pytest
import torch

from sklearn_ssl._engine.batches import DeviceBatches, n_batches, shuffled_batches


def generator(seed=0):
    return torch.Generator().manual_seed(seed)


@pytest.mark.parametrize(
    ("n_samples", "batch_size", "expected"),
    [(50, 16, 3), (48, 16, 3), (47, 16, 2), (16, 16, 1), (10, 16, 1), (1, 16, 1)],
)
def test_n_batches(n_samples, batch_size, expected):
    assert n_batches(n_samples, batch_size) == expected


@pytest.mark.parametrize("n_samples", [1, 7, 16, 17, 31, 50, 100])
def test_every_row_once_per_epoch_and_no_batch_below_batch_size(n_samples):
    gen = generator()
    for _ in range(3):  # epochs
        batches = shuffled_batches(n_samples, 16, gen)
        assert len(batches) == n_batches(n_samples, 16)
        rows = torch.cat(batches)
        assert sorted(rows.tolist()) == list(range(n_samples))
        sizes = [len(batch) for batch in batches]
        assert min(sizes) >= min(16, n_samples)
        assert max(sizes) - min(sizes) <= 1  # nearly equal parts


def test_a_new_order_every_epoch_and_the_same_for_the_same_seed():
    gen = generator(1)
    first, second = (torch.cat(shuffled_batches(64, 16, gen)) for _ in range(2))
    assert not torch.equal(first, second)
    again = generator(1)
    assert torch.equal(torch.cat(shuffled_batches(64, 16, again)), first)
    assert torch.equal(torch.cat(shuffled_batches(64, 16, again)), second)


def test_device_batches_cut_the_shuffled_batches():
    data = torch.arange(50.0)[:, None] * torch.ones(1, 3)  # (50, 3): row i holds i
    batches = DeviceBatches(data, 16, generator(2))
    expected = shuffled_batches(50, 16, generator(2))
    seen = list(batches)
    assert len(seen) == len(batches) == 3
    for (X_batch, y_batch), rows in zip(seen, expected, strict=True):
        assert y_batch is None  # no targets: the pair skorch unpacks
        assert torch.equal(X_batch, data[rows])
    assert sorted(torch.cat([X[:, 0] for X, _ in seen]).long().tolist()) == list(range(50))


def test_targets_follow_their_rows():
    data = torch.arange(40.0)[:, None]  # (40, 1)
    targets = 10 * torch.arange(40)
    for X_batch, y_batch in DeviceBatches(data, 8, generator(), targets=targets):
        assert torch.equal(y_batch, 10 * X_batch[:, 0].long())


def test_augment_gets_each_batch_and_the_generator():
    data = torch.arange(32.0)[:, None]
    gen = generator()
    calls = []

    def augment(X_batch, generator):
        calls.append((X_batch.clone(), generator))
        return X_batch + 1000

    seen = [X for X, _ in DeviceBatches(data, 8, gen, augment=augment)]
    assert len(calls) == len(seen) == 4
    for (raw, used), X_batch in zip(calls, seen, strict=True):
        assert used is gen
        assert torch.equal(X_batch, raw + 1000)  # the augmented batch is what trains
    assert torch.equal(data, torch.arange(32.0)[:, None])  # the data is left alone
