"""The image input rule, pixel ranges and the errors for bad images."""

import warnings

import numpy as np
import pytest
import torch
from torch import nn

from sklearn_ssl import SimCLR
from sklearn_ssl.exceptions import ImageShapeWarning

TINY = dict(n_components=8, projection_size=8, max_epochs=1, batch_size=32, device="cpu")


@pytest.fixture(scope="module")
def images():
    """48 random 8x12 RGB images, channels-first, uint8."""
    return np.random.default_rng(0).integers(0, 256, size=(48, 3, 8, 12), dtype=np.uint8)


def test_flat_rows_with_input_shape(images):
    X = images.reshape(len(images), -1)
    model = SimCLR(**TINY, input_shape=(3, 8, 12), random_state=0).fit(X)
    assert model.image_shape_ == (3, 8, 12)
    assert model.transform(X).shape == (48, 8)


@pytest.mark.filterwarnings("ignore::sklearn_ssl.exceptions.ImageShapeWarning")
@pytest.mark.parametrize(
    ("n_features", "image_shape"), [(64, (1, 8, 8)), (10, (1, 1, 10)), (1, (1, 1, 1))]
)
def test_flat_rows_without_input_shape(n_features, image_shape):
    X = np.random.default_rng(0).random((20, n_features))
    assert SimCLR(**TINY, random_state=0).fit(X).image_shape_ == image_shape


@pytest.mark.parametrize("n_features", [10, 30, 3072])
def test_rows_read_as_one_pixel_high_images_warn(n_features):
    """A table (or flattened colour images) without input_shape gets a warning that says how."""
    X = np.random.default_rng(0).random((20, n_features))
    with pytest.warns(ImageShapeWarning, match=rf"\(1, 1, {n_features}\).*input_shape=") as record:
        SimCLR(**TINY, random_state=0).fit(X)
    assert record[0].filename == __file__  # it points at the user's call


def test_square_rows_and_an_input_shape_do_not_warn(images):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ImageShapeWarning)
        SimCLR(**TINY, random_state=0).fit(np.random.default_rng(0).random((20, 64)))
        SimCLR(**TINY, input_shape=(3, 8, 12), random_state=0).fit(images.reshape(48, -1))


def test_layouts_give_the_same_embeddings(images):
    """Channels-first, channels-last and flattened rows are the same images."""
    first = SimCLR(**TINY, random_state=0).fit(images)
    last = SimCLR(**TINY, random_state=0).fit(images.transpose(0, 2, 3, 1))
    flat = SimCLR(**TINY, input_shape=(3, 8, 12), random_state=0)
    flat.fit(images.reshape(len(images), -1))
    assert first.image_shape_ == last.image_shape_ == (3, 8, 12)
    expected = first.transform(images)
    np.testing.assert_array_equal(last.transform(images.transpose(0, 2, 3, 1)), expected)
    np.testing.assert_array_equal(flat.transform(images.reshape(len(images), -1)), expected)
    np.testing.assert_array_equal(first.transform(images.transpose(0, 2, 3, 1)), expected)


def test_single_channel_3d():
    X = np.random.default_rng(0).random((20, 6, 5))
    model = SimCLR(**TINY, random_state=0).fit(X)
    assert model.image_shape_ == (1, 6, 5)
    assert model.transform(X[:, None]).shape == (20, 8)  # (n, 1, H, W) is the same


@pytest.mark.parametrize("shape", [(10, 3, 8, 3), (10, 6, 6, 6)])
def test_ambiguous_channels_raise_and_input_shape_settles_them(shape):
    X = np.random.default_rng(0).random(shape)
    with pytest.raises(ValueError, match="input_shape"):
        SimCLR(**TINY).fit(X)
    input_shape = shape[1:] if shape[1] == 3 else (6, 6, 6)
    assert SimCLR(**TINY, input_shape=input_shape).fit(X).image_shape_ == input_shape


def test_wrong_sizes_raise(images):
    X = images.reshape(len(images), -1)
    with pytest.raises(ValueError, match=r"input_shape=\(3, 8, 8\) needs 192"):
        SimCLR(**TINY, input_shape=(3, 8, 8)).fit(X)
    with pytest.raises(ValueError, match="for input_shape"):
        SimCLR(**TINY, input_shape=(3, 8, 8)).fit(images)
    with pytest.raises(ValueError, match="but input_shape is"):
        SimCLR(**TINY, input_shape=(1, 8, 8)).fit(images[:, 0])
    model = SimCLR(**TINY, random_state=0).fit(images)
    with pytest.raises(ValueError, match="image_shape_"):
        model.transform(images[:, :, :, :8])
    with pytest.raises(ValueError, match="features"):
        model.transform(X[:, :100])


@pytest.mark.parametrize("input_shape", [(8, 8), (1, 0, 8), (1.5, 8, 8)])
def test_bad_input_shape(input_shape):
    with pytest.raises(ValueError, match="input_shape must be"):
        SimCLR(**TINY, input_shape=input_shape).fit(np.zeros((4, 64)))


def test_nan_raises():
    X = np.random.default_rng(0).random((20, 64))
    X[3, 5] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SimCLR(**TINY).fit(X)


def test_values_far_outside_the_range_raise():
    X = np.random.default_rng(0).random((20, 64))  # in [0, 1)
    model = SimCLR(**TINY, random_state=0).fit(X)
    assert model.pixel_range_ == (X.min(), X.max())
    model.transform(X * 1.2)  # a little outside is fine
    with pytest.raises(ValueError, match="far outside"):
        model.transform(X * 255)
    with pytest.raises(ValueError, match="pixel_range"):
        SimCLR(**TINY, pixel_range=(0, 1)).fit(X * 255)
    with pytest.raises(ValueError, match="pixel_range must be"):
        SimCLR(**TINY, pixel_range=(1, 0)).fit(X)


def test_too_few_images():
    with pytest.raises(ValueError, match="at least 2 samples"):
        SimCLR(**TINY).fit(np.zeros((1, 64)))


def test_encoder_that_cannot_take_the_channels():
    encoder = nn.Sequential(nn.Conv2d(3, 4, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    with pytest.raises(ValueError, match=r"encoder cannot take images of shape \(C, H, W\)"):
        SimCLR(**TINY, encoder=encoder).fit(np.zeros((8, 64)))


def test_user_encoder_width_is_detected(images):
    encoder = nn.Sequential(nn.Conv2d(3, 5, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    model = SimCLR(**TINY, encoder=encoder, random_state=0).fit(images)
    assert model.n_components_ == 5
    assert model.transform(images).shape == (48, 5)


def test_uint8_stays_uint8_and_matches_scaled_floats(images):
    model = SimCLR(**TINY, random_state=0).fit(images)
    assert model._as_tensor(model._validate_input(images, reset=False), "cpu").dtype == (
        torch.uint8
    )
    assert model.pixel_range_ == (0.0, 255.0)
    embeddings = model.transform(images)
    assert embeddings.dtype == np.float32
    floats = SimCLR(**TINY, pixel_range=(0, 1), random_state=0).fit(images / 255)
    float_embeddings = floats.transform(images / 255)
    assert float_embeddings.dtype == np.float64
    np.testing.assert_allclose(float_embeddings, embeddings, rtol=1e-4, atol=1e-4)
    assert floats.transform((images / 255).astype(np.float32)).dtype == np.float32


def test_encoder_maps_raw_images_to_the_embeddings(images):
    model = SimCLR(**TINY, random_state=0).fit(images)
    with torch.no_grad():
        embeddings = model.encoder_(torch.as_tensor(images)).numpy()
    np.testing.assert_allclose(embeddings, model.transform(images), rtol=1e-5, atol=1e-6)


def test_strings_get_one_sentence_per_idea_and_the_text_method_named():
    X = np.array([["a cat", "b"], ["c", "d"]])
    with pytest.raises(ValueError) as raised:
        SimCLR(input_shape=(1, 1, 2), device="cpu").fit(X)
    message = str(raised.value)
    assert message.startswith("SimCLR: could not convert string to float: 'a cat'. X must be")
    assert "np.str_" not in message
    assert "MaskedLanguageModel" in message
