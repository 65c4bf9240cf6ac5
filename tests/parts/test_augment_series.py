"""Series augmentations: shapes, a separate draw per series, NaN kept, TS2Vec's crops."""

import pytest
import torch

from sklearn_ssl.augment import (
    SeriesAugment,
    jitter,
    overlapping_crops,
    random_resized_crop,
    random_time_mask,
    scaling,
    take_windows,
    time_warp,
)

AUGMENTATIONS = {
    "jitter": lambda x, g: jitter(x, 0.1, g),
    "scaling": lambda x, g: scaling(x, 0.2, g),
    "time_warp": lambda x, g: time_warp(x, 0.5, generator=g),
    "crop": lambda x, g: random_resized_crop(x, (0.3, 0.8), g),
    "mask": lambda x, g: random_time_mask(x, 0.3, g),
    "all": lambda x, g: SeriesAugment(0.1, 0.2, 0.5, (0.3, 0.8), 0.3)(x, g),
}


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


def batch(n=16, channels=3, length=40):
    t = torch.linspace(0, 6.28, length)
    return torch.sin(t * torch.arange(1, channels + 1)[:, None]).expand(n, channels, length)


@pytest.mark.parametrize("name", AUGMENTATIONS)
def test_each_series_gets_its_own_draw_and_the_seed_repeats_it(name):
    augment = AUGMENTATIONS[name]
    x = batch().clone()
    out = augment(x, gen())
    assert out.shape == x.shape
    assert not torch.allclose(out[0].nan_to_num(), out[1].nan_to_num())  # same input, other draws
    torch.testing.assert_close(out, augment(x, gen()), equal_nan=True)
    assert not torch.allclose(out.nan_to_num(), augment(x, gen(1)).nan_to_num())


def test_missing_values_stay_missing():
    x = batch().clone()
    x[:, :, 10:15] = float("nan")
    for name in ("jitter", "scaling"):
        assert torch.isnan(AUGMENTATIONS[name](x, gen())[:, :, 10:15]).all(), name


def test_time_warp_and_crop_keep_the_ends_and_the_range():
    x = batch()
    warped = time_warp(x, 0.5, generator=gen())
    torch.testing.assert_close(warped[..., [0, -1]], x[..., [0, -1]])  # warp keeps both ends
    cropped = random_resized_crop(x, (0.5, 0.5), gen())
    assert cropped.min() >= x.min() - 1e-6 and cropped.max() <= x.max() + 1e-6


def test_time_mask_hides_whole_timestamps_at_the_rate():
    out = random_time_mask(torch.zeros(64, 2, 100), 0.3, gen())
    hidden = torch.isnan(out)
    assert torch.equal(hidden[:, 0], hidden[:, 1])  # every channel of a timestamp
    assert abs(hidden.float().mean().item() - 0.3) < 0.03


@pytest.mark.parametrize("length", [1, 2, 7, 50])
def test_overlapping_crops_overlap_inside_the_series(length):
    for seed in range(20):
        start_a, length_a, start_b, length_b, overlap = overlapping_crops(
            length, 8, min_overlap=4, generator=gen(seed)
        )
        assert min(4, length) <= overlap <= min(length_a, length_b)
        assert (start_a >= 0).all() and (start_a + length_a <= length).all()
        assert (start_b >= 0).all() and (start_b + length_b <= length).all()
        # the last `overlap` timestamps of window a are the first of window b
        assert torch.equal(start_a + length_a - overlap, start_b)


def test_take_windows_cuts_each_series_at_its_start():
    x = torch.arange(24.0).reshape(2, 1, 12)
    windows = take_windows(x, torch.tensor([0, 5]), 3)
    assert windows.tolist() == [[[0.0, 1.0, 2.0]], [[17.0, 18.0, 19.0]]]
