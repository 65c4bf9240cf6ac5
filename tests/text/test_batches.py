"""Length-bucketed batches of token ids, resident on the device or streamed from the host."""

import numpy as np
import torch

from sklearn_ssl._engine import HostBatches, LengthBuckets
from sklearn_ssl.text import LengthBucketBatches, pad_ids
from sklearn_ssl.text.batches import trimmed_ids
from sklearn_ssl.text.tokenizer import PAD_ID


def test_length_bucketed_batches():
    rng = np.random.default_rng(0)
    sequences = [np.arange(1, rng.integers(2, 60)) for _ in range(1000)]
    ids = pad_ids(sequences, torch.device("cpu"))
    lengths = np.array([len(seq) for seq in sequences])
    batches = LengthBucketBatches(ids, lengths, 10, torch.Generator())
    seen = []
    padding = 0
    for ids, _ in batches:
        lengths = (ids != PAD_ID).sum(1)
        assert lengths.max() == ids.shape[1]  # padded to the longest of the batch
        padding += int((ids == PAD_ID).sum())
        seen += [tuple(row[row != PAD_ID].tolist()) for row in ids]
    assert len(seen) == 1000 and len(batches) == 100
    assert sorted(seen) == sorted(tuple(seq.tolist()) for seq in sequences)
    assert padding < 0.1 * batches.n_tokens  # random batches would pad about 60%
    first = [ids.shape for ids, _ in batches]
    assert first != [ids.shape for ids, _ in batches]  # a new order each epoch


def random_sequences(n, seed=0):
    rng = np.random.default_rng(seed)
    return [np.arange(1, rng.integers(2, 30)) for _ in range(n)]


def test_streamed_batches_are_the_resident_ones():
    """HostBatches with the LengthBuckets plan and trimmed_ids: LengthBucketBatches' batches."""
    sequences = random_sequences(300)
    lengths = np.array([len(seq) for seq in sequences])
    ids = pad_ids(sequences, torch.device("cpu"))  # (300, longest)
    resident = LengthBucketBatches(ids, lengths, 16, torch.Generator().manual_seed(4))
    streamed = HostBatches(
        ids.numpy(),
        16,
        torch.Generator().manual_seed(4),
        trimmed_ids,
        "cpu",
        plan=LengthBuckets(lengths, 16),
    )
    assert len(streamed) == len(resident) == 300 // 16
    for _ in range(2):  # epochs
        for (resident_ids, _), (streamed_ids, _) in zip(resident, streamed, strict=True):
            assert torch.equal(resident_ids, streamed_ids)


def test_trimmed_ids_cut_a_batch_to_its_longest_row():
    ids = np.array([[1, 5, 6, PAD_ID, PAD_ID], [1, 7, PAD_ID, PAD_ID, PAD_ID]])
    trimmed = trimmed_ids(ids, "cpu")
    assert trimmed.dtype == torch.int64
    assert trimmed.tolist() == [[1, 5, 6], [1, 7, PAD_ID]]
    all_padding = np.full((2, 4), PAD_ID)
    assert trimmed_ids(all_padding, "cpu").shape == (2, 1)  # never an empty batch
