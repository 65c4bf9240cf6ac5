"""RotationPrediction and its task: four rotations, a 4-way classifier."""

import pickle

import numpy as np
import pytest
import torch

from sklearn_ssl import RotationPrediction
from sklearn_ssl.tasks import RotationTask, rotate_all

# -- the pretext task in plain torch -----------------------------------------


def test_rotate_all_square_images():
    images = torch.arange(2 * 3 * 3, dtype=torch.uint8).reshape(2, 1, 3, 3)
    ((rotated, labels),) = rotate_all(images)
    assert rotated.dtype == torch.uint8 and rotated.shape == (8, 1, 3, 3)
    assert labels.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    torch.testing.assert_close(rotated[:2], images)
    # a quarter turn counter-clockwise moves the top-right pixel to the top-left
    assert rotated[2, 0, 0, 0] == images[0, 0, 0, 2]
    torch.testing.assert_close(rotated[4:6], images.flip(-1).flip(-2))


def test_rotate_all_non_square_images_keeps_two_shapes():
    images = torch.rand(3, 2, 4, 6)
    (upright, upright_labels), (turned, turned_labels) = rotate_all(images)
    assert upright.shape == (6, 2, 4, 6) and upright_labels.tolist() == [0] * 3 + [2] * 3
    assert turned.shape == (6, 2, 6, 4) and turned_labels.tolist() == [1] * 3 + [3] * 3


class _PoolCNN(torch.nn.Sequential):
    def __init__(self):
        super().__init__(
            torch.nn.Conv2d(1, 8, 3, padding=1),
            torch.nn.ReLU(),
            torch.nn.AdaptiveAvgPool2d(2),
            torch.nn.Flatten(),
        )


@pytest.mark.parametrize("shape", [(8, 8), (6, 10)])
def test_task_learns_to_tell_rotations_apart(shape):
    torch.manual_seed(0)
    # an "L" in the corner: its orientation gives the rotation away
    images = torch.zeros(16, 1, *shape)
    images[:, :, 1:5, 1] = 1.0
    images[:, :, 4, 1:4] = 1.0
    images += 0.1 * torch.rand(images.shape)
    task = RotationTask(_PoolCNN(), torch.nn.Linear(32, 4))
    out = task(images)
    assert 1.0 < out["loss"].item() < 2.0  # about log(4) before training
    optimizer = torch.optim.Adam(task.parameters(), lr=1e-2)
    for _ in range(60):
        out = task(images)
        optimizer.zero_grad()
        out["loss"].backward()
        optimizer.step()
    out = task(images)
    assert out["loss"].item() < 0.3
    assert out["accuracy"].item() > 0.9


def test_task_applies_augmentation_with_the_generator():
    calls = []

    def augment(X, generator):
        calls.append(generator)
        return X

    task = RotationTask(_PoolCNN(), torch.nn.Linear(32, 4), augment=augment)
    generator = torch.Generator()
    task(torch.rand(2, 1, 4, 4), generator)
    assert calls == [generator]


# -- the estimator -------------------------------------------------------------

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
