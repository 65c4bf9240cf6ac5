"""Fine-tuning on the engine's one training path: what pretraining has, stage two has."""

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback

from sklearn_ssl import SCARF, FineTunedClassifier, FineTunedRegressor
from tests.generic.faulty_encoders import FaultyEncoder

SMALL = dict(n_components=8, hidden_layer_sizes=(32,), projection_size=16, device="cpu")


@pytest.fixture(scope="module")
def pretrained(blobs):
    X, _ = blobs
    return SCARF(**SMALL, max_epochs=3, random_state=0).fit(X)


def fine_tuned(pretrained, **params):
    return FineTunedClassifier(pretrained, **{"max_epochs": 6, "random_state": 0, **params})


class CountEpochs(Callback):
    def initialize(self):
        self.epochs = 0
        return self

    def on_epoch_end(self, net, **kwargs):
        self.epochs += 1


def test_precision_reaches_the_engine(blobs, pretrained):
    X, y = blobs
    clf = fine_tuned(pretrained, precision="bfloat16").fit(X, y)
    assert clf.net_.autocast_dtype == torch.bfloat16
    assert clf.score(X, y) > 0.9
    assert fine_tuned(pretrained).fit(X, y).net_.autocast_dtype is None  # float32 on a CPU


def test_callbacks_see_every_epoch(blobs, pretrained):
    X, y = blobs
    counter = CountEpochs()
    fine_tuned(pretrained, callbacks=[counter], max_epochs=4).fit(X, y)
    assert counter.epochs == 4


def test_early_stopping_watches_held_out_labeled_rows(blobs, pretrained):
    X, y = blobs
    clf = fine_tuned(pretrained, max_epochs=50, n_iter_no_change=2, tol=1e9).fit(X, y)
    assert clf.n_iter_ == 3  # the first epoch sets the best, two more without improvement
    valid = clf.history_[:, "valid_loss"]
    assert len(valid) == 3 and np.isfinite(valid).all()
    train_rows = clf.history_[-1, "train_batch_count"]
    assert train_rows == len(X) * 9 // 10 // 64  # 10% of the labeled rows held out


def test_early_stopping_with_too_few_labels_says_so(blobs, pretrained):
    X, y = blobs
    y_partial = np.full_like(y, -1)
    y_partial[[0, -1]] = y[[0, -1]]  # two classes, one row each
    with pytest.raises(ValueError, match="n_iter_no_change=3 holds out .* leaving 1 to train"):
        fine_tuned(pretrained, n_iter_no_change=3).fit(X, y_partial)


@pytest.mark.parametrize("estimator", [FineTunedClassifier, FineTunedRegressor])
def test_streamed_batches_give_the_resident_predictions(blobs, pretrained, estimator):
    X, y = blobs
    resident = estimator(pretrained, max_epochs=4, random_state=0, data_on_device=True)
    streamed = estimator(pretrained, max_epochs=4, random_state=0, data_on_device=False)
    np.testing.assert_allclose(
        resident.fit(X, y).predict(X), streamed.fit(X, y).predict(X), rtol=1e-5, atol=1e-6
    )


def test_ctrl_c_raises_and_leaves_nothing_half_trained(blobs):
    X, y = blobs
    pretrained = SCARF(encoder=FaultyEncoder(width=4), max_epochs=1, device="cpu").fit(X)
    clf = FineTunedClassifier(pretrained, max_epochs=5, freeze_epochs=0).fit(X, y)
    # fine-tuning copies the encoder, fault included
    (encoder,) = [m for m in pretrained.encoder_.modules() if isinstance(m, FaultyEncoder)]
    encoder.fault, encoder.fault_at = KeyboardInterrupt(), encoder.training_calls + 3
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    with pytest.raises(NotFittedError):
        clf.predict(X)
