"""SCARF with ``n_neighbors``: each row's positive is one of its nearest rows."""

import numpy as np
import pandas as pd
import pytest
import torch

from sklearn_ssl import SCARF, SeededKMeansClassifier
from sklearn_ssl.augment import CorruptedNeighbors
from sklearn_ssl.metrics import pretext_loss
from sklearn_ssl.tabular._neighbors import nearest_rows, with_nearest_rows

SMALL = dict(
    n_components=16,
    hidden_layer_sizes=(64,),
    batch_size=128,
    corruption_rate=0.3,
    temperature=0.5,
    standardize=False,
    passthrough=False,
    device="cpu",
)


def test_nearest_rows_match_a_full_sort_in_any_chunking():
    rng = np.random.default_rng(0)
    encoded = rng.normal(size=(60, 5))
    distances = ((encoded[:, None] - encoded[None]) ** 2).sum(-1)  # (60, 60)
    np.fill_diagonal(distances, np.inf)
    expected = distances.argsort(axis=1)[:, :4]
    assert np.array_equal(nearest_rows(encoded, 4), expected)
    assert np.array_equal(nearest_rows(encoded, 4, chunk_bytes=8 * 60 * 7), expected)


def test_a_row_is_not_its_own_neighbour_but_its_duplicate_is():
    encoded = np.array([[0.0], [0.0], [5.0], [9.0]])
    neighbours = nearest_rows(encoded, 1)
    assert neighbours[:, 0].tolist() == [1, 0, 3, 2]


def test_stacked_rows_are_each_row_then_its_neighbours():
    rows = np.array([[0.0, 1.0], [0.1, 1.0], [5.0, 0.0], [5.2, 0.0], [9.0, 3.0]])
    stacked = with_nearest_rows(rows, rows, 2)
    assert len(stacked) == 5 and stacked.shape == (5, 3, 2) and stacked.size == 30
    gathered = np.asarray(stacked)
    assert gathered.shape == (5, 3, 2) and gathered.dtype == np.float32
    assert np.array_equal(gathered[:, 0], rows.astype(np.float32))
    assert np.array_equal(gathered[0, 1], rows[1].astype(np.float32))
    assert np.array_equal(gathered[2, 1], rows[3].astype(np.float32))
    assert np.array_equal(stacked[[2, 0]], gathered[[2, 0]])  # a batch, gathered alone


def test_views_are_the_row_and_one_of_its_neighbours():
    X = torch.arange(4 * 3 * 2, dtype=torch.float32).reshape(4, 3, 2)  # (B, 1 + k, F)
    generator = torch.Generator().manual_seed(0)
    picked = set()
    for _ in range(20):
        rows, neighbours = CorruptedNeighbors(rate=0.0)(X, generator)
        assert torch.equal(rows, X[:, 0])
        matches = (neighbours[:, None] == X[:, 1:]).all(-1)  # (B, k)
        assert matches.any(1).all()
        picked |= set(matches.nonzero()[:, 1].tolist())
    assert picked == {0, 1}  # every neighbour is drawn, the row itself never


def seeded_kmeans_accuracy(X, y, n_neighbors, random_state):
    """Test accuracy of seeded k-means with one label per class on SCARF's embeddings."""
    X_pool, y_pool, X_test, y_test = X[:1000], y[:1000], X[1000:], y[1000:]
    scarf = SCARF(**SMALL, n_neighbors=n_neighbors, max_epochs=20, random_state=random_state)
    scarf.fit(X_pool)
    y_partial = np.full(len(y_pool), -1)
    first = [np.flatnonzero(y_pool == label)[0] for label in np.unique(y_pool)]
    y_partial[first] = y_pool[first]
    model = SeededKMeansClassifier().fit(scarf.transform(X_pool), y_partial)
    return model.score(scarf.transform(X_test), y_test)


def test_neighbour_positives_gather_classes_with_one_label_each(digits):
    X, y = digits
    plain = np.mean([seeded_kmeans_accuracy(X, y, None, seed) for seed in range(3)])
    neighbours = np.mean([seeded_kmeans_accuracy(X, y, 10, seed) for seed in range(3)])
    assert neighbours > plain + 0.05


def test_neighbour_positives_pull_neighbours_together(digits):
    X, _ = digits
    X = X[:600]
    embeddings = {}
    for n_neighbors in (None, 10):
        scarf = SCARF(**SMALL, n_neighbors=n_neighbors, max_epochs=20, random_state=0).fit(X)
        Z = scarf.transform(X)
        embeddings[n_neighbors] = Z / np.linalg.norm(Z, axis=1, keepdims=True)
    neighbours = nearest_rows(X, 10)  # (600, 10)

    def closeness(Z):
        """Mean cosine to the input-space neighbours, over the mean cosine to any row."""
        return (Z[:, None] * Z[neighbours]).sum(-1).mean() / (Z @ Z.T).mean()

    assert closeness(embeddings[10]) > closeness(embeddings[None])


def test_fit_is_reproducible_and_streaming_gives_the_same_embeddings(digits):
    X, _ = digits
    X = X[:300]
    fits = [
        SCARF(**SMALL, n_neighbors=5, max_epochs=3, random_state=0, data_on_device=resident)
        .fit(X)
        .transform(X)
        for resident in (True, True, False)
    ]
    assert np.array_equal(fits[0], fits[1]) and np.array_equal(fits[0], fits[2])


def test_mixed_table_with_gaps_finds_neighbours_on_the_encoded_input():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "size": rng.normal(size=80),
            "colour": pd.Categorical(rng.choice(["red", "blue", None], size=80)),
        }
    )
    frame.loc[::7, "size"] = np.nan
    scarf = SCARF(n_components=4, hidden_layer_sizes=(8,), max_epochs=2, n_neighbors=5)
    scarf.set_params(random_state=0, device="cpu").fit(frame)
    assert np.isfinite(scarf.transform(frame)).all()
    rows = scarf._validate_input(frame, reset=False)
    stacked = scarf._pretext_rows(rows)
    assert np.asarray(stacked).shape == (80, 6, 2)


def test_pretext_loss_on_held_out_rows(digits):
    X, _ = digits
    scarf = SCARF(**SMALL, n_neighbors=5, max_epochs=3, random_state=0).fit(X[:500])
    first = pretext_loss(scarf, X[500:700])
    assert np.isfinite(first) and first == pretext_loss(scarf, X[500:700])


def test_too_few_rows_for_the_neighbours_is_explained(digits):
    X, _ = digits
    with pytest.raises(ValueError, match="n_neighbors=10 needs more than 10 rows.*got 8"):
        SCARF(**SMALL, n_neighbors=10, max_epochs=1).fit(X[:8])


@pytest.mark.parametrize("value", [0, -3, 2.5, "five"])
def test_bad_n_neighbors_is_named(value, digits):
    X, _ = digits
    with pytest.raises(ValueError, match="n_neighbors"):
        SCARF(**SMALL, n_neighbors=value, max_epochs=1).fit(X[:20])
