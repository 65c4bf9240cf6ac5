"""compile=True trains through torch.compile of the task: same losses, same fitted model kinds."""

import pickle

import numpy as np
import pytest

from sklearn_ssl import SCARF

TINY = dict(n_components=3, hidden_layer_sizes=(8,), projection_size=8, max_epochs=3)


@pytest.fixture(scope="module")
def blobs_table():
    rng = np.random.default_rng(0)
    return np.r_[rng.normal(3, 1, (64, 5)), rng.normal(-3, 1, (64, 5))]


@pytest.mark.slow
def test_compiled_training_follows_eager_training(blobs_table):
    """The compiled step computes the same losses, up to float rounding, and is reproducible."""
    settings = dict(TINY, batch_size=64, device="cpu", random_state=0)
    compiled = SCARF(**settings, compile=True).fit(blobs_table)
    again = SCARF(**settings, compile=True).fit(blobs_table)
    eager = SCARF(**settings).fit(blobs_table)
    np.testing.assert_allclose(
        compiled.history_[:, "train_loss"], eager.history_[:, "train_loss"], rtol=1e-5
    )
    np.testing.assert_array_equal(compiled.transform(blobs_table), again.transform(blobs_table))
    assert "compiled_" in vars(compiled.net_)  # the step ran compiled

    restored = pickle.loads(pickle.dumps(compiled))  # compiled code is left out, rebuilt on use
    assert "compiled_" not in vars(restored.net_)
    restored.partial_fit(blobs_table)
    assert restored.n_iter_ == 4
