"""Label-free and probe measures of representation quality."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from sklearn_ssl import SCARF
from sklearn_ssl.metrics import alignment, knn_probe_score, linear_probe_score, uniformity


def test_probe_scores_separate_real_from_shuffled_labels(digits):
    X, y = digits
    X, y = X[:400], y[:400]
    shuffled = np.random.default_rng(0).permutation(y)
    assert linear_probe_score(None, X, y) > 0.9
    assert knn_probe_score(None, X, y) > 0.9
    assert linear_probe_score(None, X, shuffled) < 0.3
    assert knn_probe_score(None, X, shuffled, n_neighbors=3) < 0.3


def test_probe_scores_leave_out_unlabeled_rows(digits):
    X, y = digits
    X, y = X[:300], y[:300]
    noise = np.random.default_rng(0).normal(size=(100, X.shape[1]))
    X_more, y_more = np.vstack([X, noise]), np.r_[y, np.full(100, -1)]
    assert linear_probe_score(None, X_more, y_more) == linear_probe_score(None, X, y)
    assert knn_probe_score(None, X_more, y_more) == knn_probe_score(None, X, y)


def test_probe_score_is_a_scorer_for_grid_search(blobs):
    X, y = blobs
    search = GridSearchCV(
        SCARF(
            hidden_layer_sizes=(16,),
            projection_size=8,
            passthrough=False,
            max_epochs=2,
            device="cpu",
            random_state=0,
        ),
        {"n_components": [1, 8]},
        scoring=linear_probe_score,
        cv=2,
    ).fit(X, y)
    assert search.best_params_ == {"n_components": 8}
    assert search.best_score_ > 0.9


def test_alignment_and_uniformity_on_known_configurations():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(200, 16))
    assert alignment(Z, 3 * Z) == pytest.approx(0.0)
    assert alignment(Z, -Z) == pytest.approx(4.0)
    assert alignment(Z, Z + 0.1 * rng.normal(size=Z.shape)) < alignment(Z, rng.normal(size=Z.shape))
    spread = uniformity(Z)
    clustered = uniformity(np.ones((200, 16)) + 0.01 * rng.normal(size=(200, 16)))
    assert clustered > -0.01 > spread  # collapsed is near 0, spread is clearly negative
    assert uniformity(Z, t=4) < spread  # a larger t punishes closeness harder


def test_alignment_and_uniformity_errors():
    with pytest.raises(ValueError, match="same shape"):
        alignment(np.ones((3, 2)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="at least 2 embeddings"):
        uniformity(np.ones((1, 2)))
