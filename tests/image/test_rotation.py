"""RotationPrediction, the estimator; its task is tested in ``tests/parts/test_tasks.py``."""

import pickle

import numpy as np
import pytest
import torch

from sklearn_ssl import RotationPrediction

FAST = dict(n_components=16, batch_size=64, device="cpu")


@pytest.fixture(scope="module")
def digit_images(digits):
    X, y = digits
    return X[:320], y[:320]


def _pretext_accuracy(model, X):
    task = model.net_.module_
    with torch.inference_mode():
        return task(model._as_tensor(model._validate_input(X, reset=False), "cpu"))["accuracy"]


def test_loss_goes_down_and_rotations_are_recognised(digit_images):
    X, _ = digit_images
    model = RotationPrediction(**FAST, max_epochs=6, random_state=0).fit(X)
    losses = model.history_[:, "train_loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert _pretext_accuracy(model, X) > 0.8  # chance is 0.25
    assert model.transform(X).shape == (320, 16)


def test_linear_head_and_crops(digit_images):
    X, _ = digit_images
    model = RotationPrediction(**FAST, head_size=None, crop_scale=(0.6, 1.0), max_epochs=4)
    model.set_params(random_state=0).fit(X)
    assert isinstance(model.net_.module_.head, torch.nn.Linear)
    assert _pretext_accuracy(model, X) > 0.5


def test_uint8_images_and_same_random_state(digit_images):
    X, _ = digit_images
    images = (X.reshape(-1, 8, 8) * 15).astype(np.uint8)  # (n, H, W), 0..240
    first = RotationPrediction(**FAST, max_epochs=2, random_state=3).fit(images)
    again = RotationPrediction(**FAST, max_epochs=2, random_state=3).fit(images)
    other = RotationPrediction(**FAST, max_epochs=2, random_state=4).fit(images)
    np.testing.assert_array_equal(first.transform(images), again.transform(images))
    assert not np.allclose(first.transform(images), other.transform(images))
    assert first.transform(images).dtype == np.float32


def test_pickle_round_trip(digit_images):
    X, _ = digit_images
    model = RotationPrediction(**FAST, max_epochs=1, random_state=0).fit(X)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.transform(X), model.transform(X))


def test_non_square_images():
    X = np.random.default_rng(0).random((40, 1, 6, 10))
    model = RotationPrediction(**FAST, max_epochs=2, random_state=0).fit(X)
    assert model.transform(X).shape == (40, 16)


def test_bad_crop_scale(digit_images):
    X, _ = digit_images
    with pytest.raises(ValueError, match=r"crop_scale must be None or \(min, max\)"):
        RotationPrediction(**FAST, crop_scale=(0.5, 2.0)).fit(X)


def test_bfloat16_autocast(digit_images):
    X, _ = digit_images
    model = RotationPrediction(**FAST, precision="bfloat16", max_epochs=1, random_state=0).fit(X)
    assert np.isfinite(model.history_[:, "train_loss"]).all()
