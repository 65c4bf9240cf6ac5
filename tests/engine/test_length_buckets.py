"""The length-bucketed batch plan of texts and series: every row once, similar lengths together."""

import numpy as np
import torch

from sklearn_ssl._engine.batches import n_batches
from sklearn_ssl._engine.length_buckets import LengthBuckets


def test_length_buckets_cover_every_row_once():
    lengths = np.random.default_rng(0).integers(1, 40, size=130)
    plan = LengthBuckets(lengths, 16)
    batches = plan(torch.Generator().manual_seed(0))
    assert len(batches) == len(plan) == 8
    assert sorted(np.concatenate(batches).tolist()) == list(range(130))
    assert min(len(rows) for rows in batches) >= 16


def test_as_many_batches_as_shuffled_batches():
    for n_samples in (3, 16, 17, 130, 5000):
        assert len(LengthBuckets(np.ones(n_samples), 16)) == n_batches(n_samples, 16)


def test_a_batch_holds_rows_of_similar_length():
    lengths = np.random.default_rng(1).integers(1, 500, size=1600)
    batches = LengthBuckets(lengths, 16)(torch.Generator().manual_seed(0))
    spread = np.mean([np.ptp(lengths[rows]) for rows in batches])
    assert spread < 0.25 * np.ptp(lengths)  # random batches would span nearly all lengths
