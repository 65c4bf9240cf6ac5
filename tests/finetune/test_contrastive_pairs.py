"""SetFit's contrastive step: pair sampling and the fine-tuning it feeds."""

import numpy as np
import pytest
import torch

from sklearn_ssl import SCARF, FineTunedClassifier
from sklearn_ssl.finetune._pairs import PairBatches, sample_pairs
from sklearn_ssl.losses import cosine_similarity_loss


def pairs(labels, rounds=3, seed=0):
    return sample_pairs(np.asarray(labels), rounds, np.random.default_rng(seed))


def test_pairs_are_balanced_and_labeled_by_class():
    labels = np.array([0, 0, 0, 1, 1, 2, 2, 2])
    first, second, same = pairs(labels, rounds=4)
    assert len(first) == 2 * 4 * len(labels)
    assert same.mean() == 0.5
    np.testing.assert_array_equal(labels[first] == labels[second], same == 1)
    assert np.bincount(first).tolist() == [8] * len(labels)  # every row, twice a round
    similar = same == 1
    assert (first[similar] != second[similar]).all()  # a class mate, never the row itself


def test_pairs_are_reproducible_from_the_seed():
    labels = [0, 1, 0, 1, 0, 1]
    for a, b in zip(pairs(labels, seed=3), pairs(labels, seed=3), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(pairs(labels, seed=3)[1], pairs(labels, seed=4)[1])


def test_a_class_with_a_single_labeled_row_pairs_with_itself():
    labels = np.array([0, 0, 1])
    first, second, same = pairs(labels)
    alone = (first == 2) & (same == 1)
    assert (second[alone] == 2).all() and alone.sum() == 3
    assert (labels[second[(first == 2) & (same == 0)]] == 0).all()


def test_two_classes_only_and_one_class_refused():
    first, second, same = pairs([5, 7])
    assert set(zip(first[same == 0], second[same == 0], strict=True)) == {(0, 1), (1, 0)}
    with pytest.raises(ValueError, match="at least 2 classes"):
        pairs([1, 1, 1])


def test_pair_batches_cover_every_pair_once_an_epoch():
    X = np.arange(12, dtype=np.float32).reshape(6, 2)
    first, second, same = pairs([0, 0, 0, 1, 1, 1], rounds=2)
    generator = torch.Generator().manual_seed(0)
    as_tensor = lambda rows, device: torch.as_tensor(rows, device=device)  # noqa: E731
    batches = PairBatches(X, first, second, same, 5, generator, as_tensor, "cpu")
    seen = [(tuple(a.tolist()), tuple(b.tolist()), float(s)) for A, B, S in batches
            for a, b, s in zip(A, B, S, strict=True)]  # fmt: skip
    triples = zip(first, second, same, strict=True)
    expected = [(tuple(X[i]), tuple(X[j]), float(s)) for i, j, s in triples]
    assert sorted(seen) == sorted(expected)
    assert len(list(batches)) == len(batches) == len(first) // 5


def test_the_cosine_loss_is_zero_for_perfect_pairs():
    u = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    v = torch.tensor([[2.0, 0.0], [1.0, 0.0]])
    assert cosine_similarity_loss(u, v, torch.tensor([1.0, 0.0])) == 0
    assert cosine_similarity_loss(u, v, torch.tensor([0.0, 1.0])) == 1


def test_the_contrastive_step_pulls_classes_apart_before_the_head(blobs):
    X, y = blobs
    few = np.full_like(y, -1)
    for label in range(3):
        few[np.flatnonzero(y == label)[:4]] = label
    scarf = SCARF(n_components=8, hidden_layer_sizes=(32,), max_epochs=1, device="cpu")
    scarf.fit(X)
    clf = FineTunedClassifier(
        scarf, contrastive_epochs=5, contrastive_lr=1e-2, batch_size=16, max_epochs=40,
        random_state=0,
    ).fit(X, few)  # fmt: skip
    losses = clf.contrastive_history_[:, "train_loss"]
    assert len(losses) == 5 and losses[-1] < 0.5 * losses[0]
    with torch.no_grad():
        Z = clf.net_.module_.encoder(torch.tensor(X, dtype=torch.float32)).numpy()
    Z /= np.linalg.norm(Z, axis=1, keepdims=True)
    within = np.mean([(Z[y == k] @ Z[y == k].T).mean() for k in range(3)])
    across = np.mean(
        [(Z[y == a] @ Z[y == b].T).mean() for a in range(3) for b in range(3) if a != b]
    )
    assert within > across + 0.3
    assert clf.score(X, y) > 0.9
