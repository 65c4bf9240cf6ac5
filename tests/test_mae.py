"""MaskedAutoencoder and its parts: masking, visible-only encoding, the loss."""

import pytest
import torch

from sklearn_ssl.encoders import VisionTransformer, patchify
from sklearn_ssl.losses import masked_patch_loss
from sklearn_ssl.losses.masked_patches import normalize_patches
from sklearn_ssl.tasks import MaskedImageTask, PatchDecoder, random_patch_mask
from sklearn_ssl.tasks.masked_image import n_masked_patches

# -- the pretext task in plain torch -----------------------------------------


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


def test_loss_scores_masked_patches_only():
    torch.manual_seed(0)
    target = torch.randn(2, 4, 6)
    mask = torch.tensor([[True, False, False, True], [False, True, False, False]])
    perfect = normalize_patches(target)
    assert masked_patch_loss(perfect, target, mask) == 0
    # errors on visible patches do not count
    wrong_on_visible = perfect.clone()
    wrong_on_visible[~mask] += 5.0
    assert masked_patch_loss(wrong_on_visible, target, mask) == 0
    # an error of 1 on every pixel of the masked patches costs 1
    torch.testing.assert_close(masked_patch_loss(perfect + 1.0, target, mask), torch.tensor(1.0))
    # without normalisation the raw pixels are the target
    assert masked_patch_loss(target, target, mask, normalize_target=False) == 0


def _task(pool="mean", mask_ratio=0.75):
    torch.manual_seed(0)
    vit = VisionTransformer((1, 8, 8), 2, width=16, depth=1, n_heads=2, pool=pool)
    decoder = PatchDecoder(16, vit.grid, patch_dim=4, width=8, n_heads=2)
    return MaskedImageTask(vit, torch.nn.Identity(), vit, decoder, mask_ratio=mask_ratio)


@pytest.mark.parametrize("pool", ["mean", "cls"])
def test_encoder_sees_only_the_visible_patches(pool):
    task = _task(pool)
    seen = []
    task.vit.blocks[0].register_forward_hook(lambda module, args, out: seen.append(out.clone()))
    images = torch.rand(5, 1, 8, 8)
    task(images, torch.Generator().manual_seed(1))
    assert seen[0].shape == (5, task.vit.n_prefix_tokens + 4, 16)  # 4 of 16 patches visible

    # new pixels in the masked patches do not change what the encoder computes
    _, mask = random_patch_mask(5, 16, 0.75, generator=torch.Generator().manual_seed(1))
    changed = patchify(images, 2)  # (5, 16, 4)
    changed[mask] = torch.rand(int(mask.sum()), 4)
    changed = changed.reshape(5, 4, 4, 2, 2).permute(0, 1, 3, 2, 4).reshape(5, 1, 8, 8)
    assert not torch.equal(changed, images)
    task(changed, torch.Generator().manual_seed(1))
    torch.testing.assert_close(seen[1], seen[0])


def test_decoder_predicts_every_patch():
    decoder = PatchDecoder(16, (2, 3), patch_dim=12, width=8, depth=2, n_heads=2)
    visible = torch.tensor([[0, 4], [1, 2]])
    assert decoder(torch.randn(2, 2, 16), visible).shape == (2, 6, 12)
    with pytest.raises(ValueError, match="n_heads=3 must divide the decoder width 8"):
        PatchDecoder(16, (2, 3), patch_dim=12, width=8, n_heads=3)


def test_task_loss_goes_down():
    task = _task()
    images = torch.rand(4, 1, 8, 8).repeat(8, 1, 1, 1)  # 4 distinct images
    optimizer = torch.optim.Adam(task.parameters(), lr=3e-3)
    generator = torch.Generator().manual_seed(0)
    losses = []
    for _ in range(60):
        loss = task(images, generator)["loss"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert sum(losses[-10:]) / 10 < 0.7 * sum(losses[:10]) / 10
