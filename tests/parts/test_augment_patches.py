"""MAE's patch masking: how many patches, which ones, reproducibly."""

import pytest
import torch

from sklearn_ssl.augment import n_masked_patches, random_patch_mask


@pytest.mark.parametrize(
    ("n_patches", "ratio", "expected"),
    [(16, 0.75, 12), (49, 0.75, 37), (4, 0.5, 2), (4, 0.01, 1), (4, 0.99, 3)],
)
def test_n_masked_patches(n_patches, ratio, expected):
    assert n_masked_patches(n_patches, ratio) == expected


def test_n_masked_patches_needs_two_patches():
    with pytest.raises(ValueError, match="at least 2 patches per image, got 1"):
        n_masked_patches(1, 0.75)


def test_mask_hides_mask_ratio_of_patches_with_different_patches_per_image():
    generator = torch.Generator().manual_seed(0)
    visible, mask = random_patch_mask(64, 16, 0.75, generator=generator)
    assert visible.shape == (64, 4) and mask.shape == (64, 16)
    assert (mask.sum(dim=1) == 12).all()
    # the visible indices are exactly the unmasked patches, in order
    assert not mask.gather(1, visible).any()
    assert (visible.diff(dim=1) > 0).all()
    # images get different patch sets, and every patch is sometimes visible
    assert len({tuple(row.tolist()) for row in visible}) > 50
    assert (~mask).any(dim=0).all()


def test_mask_is_reproducible_from_the_generator():
    first = random_patch_mask(8, 16, 0.75, generator=torch.Generator().manual_seed(3))[1]
    again = random_patch_mask(8, 16, 0.75, generator=torch.Generator().manual_seed(3))[1]
    other = random_patch_mask(8, 16, 0.75, generator=torch.Generator().manual_seed(4))[1]
    assert torch.equal(first, again) and not torch.equal(first, other)
