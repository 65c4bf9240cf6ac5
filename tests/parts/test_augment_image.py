"""Batched image augmentation: per-image draws, shapes, dtypes, determinism."""

import pytest
import torch

from sklearn_ssl.augment import (
    ColorJitter,
    ImageAugment,
    gaussian_blur,
    random_affine_theta,
)


def generator(seed=0):
    return torch.Generator().manual_seed(seed)


@pytest.fixture
def images():
    return torch.rand(16, 3, 12, 10, generator=generator(1))


def test_every_image_gets_its_own_crop():
    theta = random_affine_theta(2, 8, 8, (0.2, 1.0), (3 / 4, 4 / 3), True, 15.0, generator())
    assert theta.shape == (2, 2, 3)
    assert not torch.allclose(theta[0], theta[1])


def test_two_identical_images_in_a_batch_get_different_views():
    image = torch.rand(1, 3, 16, 16, generator=generator(1))
    views = ImageAugment(blur=0.5, noise=0.0)(image.expand(2, -1, -1, -1), generator())
    assert not torch.allclose(views[0], views[1])


def test_colour_jitter_draws_per_image():
    image = torch.rand(1, 3, 8, 8, generator=generator(1)).expand(2, -1, -1, -1)
    jittered = ColorJitter(strength=1.0, p_jitter=1.0, p_gray=0.0)(image, generator())
    assert not torch.allclose(jittered[0], jittered[1])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_shape_dtype_and_range(images, dtype):
    augment = ImageAugment(rotation=20, elastic=1.0, blur=0.5, noise=0.1)
    views = augment(images.to(dtype), generator())
    assert views.shape == images.shape
    assert views.dtype == torch.float32
    assert views.min() >= 0 and views.max() <= 1


def test_float32_under_bfloat16_autocast(images):
    with torch.autocast("cpu", dtype=torch.bfloat16):
        views = ImageAugment(blur=1.0)(images, generator())
    assert views.dtype == torch.float32


def test_seeded_generator_reproduces_views(images):
    augment = ImageAugment(rotation=10, elastic=0.5, blur=0.5, noise=0.05)
    first = augment(images, generator(3))
    assert torch.equal(first, augment(images, generator(3)))
    assert not torch.allclose(first, augment(images, generator(4)))


def test_no_augmentation_is_the_identity(images):
    aspect = images.shape[-1] / images.shape[-2]  # full crops of the image's own aspect ratio
    augment = ImageAugment(
        crop_scale=(1.0, 1.0), flip=False, jitter=0.0, grayscale=0.0, ratio=(aspect, aspect)
    )
    torch.testing.assert_close(augment(images, generator()), images, atol=1e-5, rtol=0)


def test_flip_mirrors_about_half_the_images():
    images = torch.rand(64, 1, 6, 6, generator=generator(1))
    augment = ImageAugment(crop_scale=(1.0, 1.0), flip=True, jitter=0.0, ratio=(1.0, 1.0))
    views = augment(images, generator())
    mirrored = torch.isclose(views, images.flip(-1), atol=1e-5).flatten(1).all(dim=1)
    same = torch.isclose(views, images, atol=1e-5).flatten(1).all(dim=1)
    assert bool((mirrored | same).all())
    assert 16 < int(mirrored.sum()) < 48


def test_grayscale_makes_channels_equal(images):
    gray = ColorJitter(strength=0.0, p_gray=1.0)(images, generator())
    torch.testing.assert_close(gray[:, 0], gray[:, 1])
    torch.testing.assert_close(gray[:, 1], gray[:, 2])


def test_single_channel_images_only_get_brightness_and_contrast():
    images = torch.rand(8, 1, 8, 8, generator=generator(1))
    out = ColorJitter(strength=0.5, p_jitter=1.0)(images, generator())
    assert out.shape == images.shape and not torch.allclose(out, images)


def test_blur_width_is_per_image(images):
    sigma = torch.tensor([1e-3] * 8 + [2.0] * 8)
    blurred = gaussian_blur(images, sigma, radius=4)
    torch.testing.assert_close(blurred[:8], images[:8])
    assert blurred[8:].std() < 0.5 * images[8:].std()


def test_crops_have_the_drawn_area_and_pixel_aspect_ratio():
    height, width = 10, 20
    theta = random_affine_theta(64, height, width, (0.25, 0.25), (2.0, 2.0), False, 0.0)
    crop_w, crop_h = theta[:, 0, 0], theta[:, 1, 1]  # fractions of the width and height
    torch.testing.assert_close(crop_w * crop_h, torch.full((64,), 0.25))
    torch.testing.assert_close(crop_w * width / (crop_h * height), torch.full((64,), 2.0))
    assert bool((theta[:, :, 2].abs() <= 1 - theta[:, [0, 1], [0, 1]] + 1e-6).all())  # inside
