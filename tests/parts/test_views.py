"""Augmented views of raw images: one or several, scaled once, in one pass when shared."""

import pytest
import torch
from torch import nn

from sklearn_ssl.augment import AugmentedView, ImageAugment, TwoViews, Views
from sklearn_ssl.encoders import PixelScale


def generator(seed=0):
    return torch.Generator().manual_seed(seed)


class Shift(nn.Module):
    """Adds ``offset`` to the images and records each call's batch and generator."""

    def __init__(self, offset):
        super().__init__()
        self.offset = offset
        self.calls = []

    def forward(self, images, generator=None):
        self.calls.append((images.clone(), generator))
        return images + self.offset


@pytest.fixture
def raw():
    """Four 1x4x4 uint8 images."""
    return torch.randint(0, 256, (4, 1, 4, 4), dtype=torch.uint8, generator=generator(1))


def scale():
    return PixelScale((1, 4, 4), 0, 255)


@pytest.mark.parametrize("n_views", [2, 3])
def test_each_view_is_its_augmentation_of_the_scaled_images(raw, n_views):
    augments = [Shift(10.0 * k) for k in range(n_views)]
    gen = generator()
    views = Views(scale(), *augments)(raw, gen)
    assert isinstance(views, tuple) and len(views) == n_views
    scaled = raw.float() / 255
    for k, (augment, view) in enumerate(zip(augments, views, strict=True)):
        assert len(augment.calls) == 1
        images, used = augment.calls[0]
        torch.testing.assert_close(images, scaled)  # scaled to [0, 1] before augmenting
        assert used is gen
        torch.testing.assert_close(view, scaled + 10.0 * k)


@pytest.mark.parametrize("n_views", [2, 3])
def test_a_shared_augmentation_makes_all_views_in_one_pass(raw, n_views):
    shared = Shift(1.0)
    views = Views(scale(), *[shared] * n_views)(raw, generator())
    assert len(shared.calls) == 1
    images, _ = shared.calls[0]
    assert images.shape == (n_views * 4, 1, 4, 4)  # the batch repeated once per view
    assert len(views) == n_views
    for view in views:
        torch.testing.assert_close(view, raw.float() / 255 + 1.0)


def test_a_shared_random_augmentation_still_draws_every_view_anew(raw):
    augment = ImageAugment(flip=False, noise=0.1)
    first, second, third = Views(scale(), augment, augment, augment)(raw, generator())
    assert not torch.allclose(first, second) and not torch.allclose(second, third)


def test_views_need_two_augmentations():
    with pytest.raises(ValueError, match="at least 2 augmentations, got 1"):
        Views(scale(), Shift(0.0))


def test_two_views_is_deprecated_and_is_views_of_two(raw):
    a, b = Shift(1.0), Shift(2.0)
    with pytest.warns(FutureWarning, match=r"TwoViews is deprecated since 0.2.*Views\(scale"):
        two = TwoViews(scale(), a, b)
    assert isinstance(two, Views) and len(two.augments) == 2
    expected = Views(scale(), a, b)(raw, generator())
    for got, want in zip(two(raw, generator()), expected, strict=True):
        torch.testing.assert_close(got, want)


def test_augmented_view_scales_then_augments(raw):
    augment = Shift(0.5)
    gen = generator()
    view = AugmentedView(scale(), augment)(raw, gen)
    torch.testing.assert_close(view, raw.float() / 255 + 0.5)
    assert augment.calls[0][1] is gen


def test_two_views_scale_raw_uint8_images():
    raw = torch.randint(0, 256, (4, 1, 8, 8), dtype=torch.uint8, generator=generator(1))
    augment = ImageAugment(flip=False)
    view_a, view_b = Views(PixelScale((1, 8, 8), 0, 255), augment, augment)(raw, generator())
    assert view_a.dtype == view_b.dtype == torch.float32
    assert view_a.shape == (4, 1, 8, 8)
    assert not torch.allclose(view_a, view_b)
