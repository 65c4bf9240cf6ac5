"""Files written by ``est.save`` in sklearn-ssl 0.1.0 still load and embed as they did.

``saved_v0_1_0/`` holds small models saved by 0.1.0 (tables, images, the
momentum target of BYOL, the ViT of MAE) with the inputs and the embeddings
0.1.0 gave (``expected.npz``); ``saved_v0_1_0/make_files.py`` wrote them.
0.1.0 could not save a MaskedLanguageModel (its tokenizer had no code-free
form), so there is no text file from it.
"""

from pathlib import Path

import numpy as np
import pytest

import sklearn_ssl

SAVED = Path(__file__).parent / "saved_v0_1_0"
NAMES = {
    "scarf": "SCARF",
    "vime": "VIME",
    "simclr": "SimCLR",
    "byol": "BYOL",
    "rotation": "RotationPrediction",
    "mae": "MaskedAutoencoder",
}


@pytest.fixture(scope="module")
def expected():
    return np.load(SAVED / "expected.npz")


@pytest.mark.parametrize("name", NAMES)
def test_a_v0_1_0_file_loads_and_gives_the_same_embeddings(name, expected):
    estimator = sklearn_ssl.load(SAVED / f"{name}.safetensors")
    assert type(estimator).__name__ == NAMES[name]
    assert estimator.score_criterion == "rankme"  # what 0.1's score computed
    embeddings = estimator.transform(expected[f"{name}_X"])
    np.testing.assert_allclose(embeddings, expected[f"{name}_embeddings"], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["scarf", "byol"])
def test_a_v0_1_0_model_trains_on(name, expected):
    """partial_fit continues from the loaded weights (a fresh optimizer state)."""
    estimator = sklearn_ssl.load(SAVED / f"{name}.safetensors")
    X = expected[f"{name}_X"]
    before = estimator.transform(X)
    estimator.partial_fit(X)
    assert estimator.n_iter_ == 3
    assert not np.allclose(estimator.transform(X), before)


@pytest.mark.parametrize("name", ["scarf", "simclr"])
def test_a_pickle_from_before_new_parameters_embeds_as_it_did(name, expected):
    """A pickle's state lacks the parameters added since; they take their older values."""
    estimator = sklearn_ssl.load(SAVED / f"{name}.safetensors")
    state = estimator.__getstate__()
    state["_sklearn_ssl_version"] = "0.1.0"
    for added in ("passthrough", "augmentation", "n_jobs", "compile", "score_criterion"):
        state.pop(added, None)
    unpickled = type(estimator).__new__(type(estimator))
    with pytest.warns(sklearn_ssl.exceptions.InconsistentVersionWarning):
        unpickled.__setstate__(state)
    embeddings = unpickled.transform(expected[f"{name}_X"])
    np.testing.assert_allclose(embeddings, expected[f"{name}_embeddings"], rtol=1e-6, atol=1e-6)
    assert unpickled.score_criterion == "rankme"  # 0.1's score; the view methods' is now uniformity
