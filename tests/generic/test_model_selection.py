"""Label-free model selection by RankMe, and reusing one pretraining in a search."""

import os

import numpy as np
import torch
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline, make_pipeline

from sklearn_ssl import SCARF, VIME
from sklearn_ssl.metrics import rankme

SMALL = dict(
    hidden_layer_sizes=(32,),
    passthrough=False,
    max_epochs=2,
    batch_size=64,
    device="cpu",
    random_state=0,
)


def test_grid_search_selects_by_rankme_without_labels(digits):
    X, _ = digits
    X = X[:400]
    search = GridSearchCV(SCARF(projection_size=16, **SMALL), {"n_components": [2, 16]}, cv=2)
    search.fit(X)  # no labels
    assert search.best_params_ == {"n_components": 16}
    scores = search.cv_results_["mean_test_score"]
    assert scores[0] <= 2.0 + 1e-9 < scores[1] <= 16.0
    best = search.best_estimator_
    assert best.score(X) == rankme(best.transform(X))


def test_score_ranks_the_embeddings_without_the_appended_input(digits):
    X, _ = digits
    X = X[:400]
    scarf = SCARF(n_components=4, projection_size=16, **{**SMALL, "passthrough": True}).fit(X)
    assert scarf.transform(X).shape[1] > 4
    assert scarf.score(X) == rankme(scarf.transform(X)[:, :4])


def test_rankme_prefers_vime_with_a_wider_embedding(digits):
    X, _ = digits
    search = GridSearchCV(VIME(**SMALL), {"n_components": [1, 4, 16]}, cv=2).fit(X[:300])
    ranks = search.cv_results_["mean_test_score"]
    assert np.all(np.diff(ranks) > 0)


def test_frozen_estimator_reuses_one_pretraining_across_a_grid(digits):
    X, y = digits
    X, y = X[:400], y[:400]
    scarf = SCARF(16, projection_size=16, **SMALL).fit(X)
    weights = {k: v.clone() for k, v in scarf.encoder_.state_dict().items()}
    pipe = make_pipeline(FrozenEstimator(scarf), LogisticRegression(max_iter=500))
    search = GridSearchCV(pipe, {"logisticregression__C": [0.01, 1.0]}, cv=3).fit(X, y)
    assert len(scarf.history_) == SMALL["max_epochs"]
    for name, value in scarf.encoder_.state_dict().items():
        assert torch.equal(value, weights[name])
    assert search.best_score_ > 0.5  # chance is 0.1


def test_pipeline_memory_pretrains_once_per_fold(digits, tmp_path):
    X, y = digits
    X, y = X[:300], y[:300]
    pipe = Pipeline(
        [("ssl", SCARF(16, projection_size=16, **SMALL)), ("clf", LogisticRegression())],
        memory=str(tmp_path),
    )
    GridSearchCV(pipe, {"clf__C": [0.01, 0.1, 1.0]}, cv=3).fit(X, y)
    cached = [root for root, _, files in os.walk(tmp_path) if "output.pkl" in files]
    assert len(cached) == 3 + 1  # one pretraining per fold plus the refit, not 3 * 3 + 1
