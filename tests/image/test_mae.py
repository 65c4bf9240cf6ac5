"""MaskedAutoencoder and its parts: masking, visible-only encoding, the loss."""

import pickle

import numpy as np
import pytest
import torch

from sklearn_ssl import MaskedAutoencoder
from sklearn_ssl.augment import n_masked_patches, random_patch_mask
from sklearn_ssl.encoders import VisionTransformer, patchify
from sklearn_ssl.heads import PatchDecoder
from sklearn_ssl.losses import masked_patch_loss
from sklearn_ssl.losses.masked_patches import normalize_patches
from sklearn_ssl.tasks import MaskedImageTask

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


# -- the estimator -------------------------------------------------------------

FAST = dict(n_components=16, patch_size=2, depth=1, n_heads=2, decoder_width=16, device="cpu")


@pytest.fixture(scope="module")
def digit_images(digits):
    X, _ = digits
    return X[:256]


def test_reconstruction_loss_goes_down(digit_images):
    model = MaskedAutoencoder(**FAST, max_epochs=15, batch_size=64, lr=3e-3, random_state=0)
    losses = model.fit(digit_images).history_[:, "train_loss"]
    assert losses[-1] < 0.8 * losses[0]


def test_transform_encodes_all_patches_deterministically(digit_images):
    model = MaskedAutoencoder(**FAST, max_epochs=1, random_state=0).fit(digit_images)
    seen = []
    vit = model.encoder_.network[1]
    vit.blocks[0].register_forward_hook(lambda module, args, out: seen.append(out.shape))
    Z = model.transform(digit_images[:10])
    assert seen == [(10, 16, 16)]  # all 16 patches of each 8x8 image
    np.testing.assert_array_equal(model.transform(digit_images[:10]), Z)
    assert Z.shape == (10, 16) and Z.dtype == np.float64


@pytest.mark.parametrize("pool", ["mean", "cls"])
def test_same_random_state_same_embeddings(digit_images, pool):
    def fit(seed):
        model = MaskedAutoencoder(**FAST, pool=pool, max_epochs=2, random_state=seed)
        return model.fit(digit_images).transform(digit_images)

    np.testing.assert_array_equal(fit(1), fit(1))
    assert not np.allclose(fit(1), fit(2))


def test_pickle_round_trip(digit_images):
    model = MaskedAutoencoder(**FAST, max_epochs=1, random_state=0).fit(digit_images)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.transform(digit_images), model.transform(digit_images))


def test_rectangular_patches_colour_images_and_a_user_vit():
    X = np.random.default_rng(0).integers(0, 256, size=(24, 6, 8, 3), dtype=np.uint8)
    model = MaskedAutoencoder(**{**FAST, "patch_size": (3, 4)}, max_epochs=1).fit(X)
    assert model.encoder_.network[1].n_patches == 4
    assert model.transform(X).shape == (24, 16)
    vit = VisionTransformer((3, 6, 8), 2, width=8, depth=1, n_heads=2, pool="cls")
    model = MaskedAutoencoder(encoder=vit, n_heads=2, max_epochs=1, device="cpu").fit(X)
    assert model.transform(X).shape == (24, 8)


def test_bad_patch_size(digit_images):
    with pytest.raises(ValueError, match=r"patch_size=3 must divide the image height and width"):
        MaskedAutoencoder(**{**FAST, "patch_size": 3}).fit(digit_images)
    with pytest.raises(ValueError, match="at least 2 patches per image"):
        MaskedAutoencoder(**{**FAST, "patch_size": 8}).fit(digit_images)
    with pytest.raises(ValueError, match="patch_size must be a positive int or"):
        MaskedAutoencoder(**{**FAST, "patch_size": (2, 0)}).fit(digit_images)
    with pytest.raises(ValueError, match="patch_size"):
        MaskedAutoencoder(**{**FAST, "patch_size": 0}).fit(digit_images)


@pytest.mark.parametrize("mask_ratio", [0.0, 1.0, 1.5, -0.1])
def test_bad_mask_ratio(digit_images, mask_ratio):
    with pytest.raises(ValueError, match="mask_ratio"):
        MaskedAutoencoder(**FAST, mask_ratio=mask_ratio).fit(digit_images)


def test_bad_heads(digit_images):
    with pytest.raises(ValueError, match="n_heads=3 must divide n_components=16"):
        MaskedAutoencoder(**{**FAST, "n_heads": 3}).fit(digit_images)
    with pytest.raises(ValueError, match="n_heads=2 must divide decoder_width=5"):
        MaskedAutoencoder(**{**FAST, "decoder_width": 5}).fit(digit_images)


def test_bfloat16_autocast(digit_images):
    model = MaskedAutoencoder(**FAST, precision="bfloat16", max_epochs=2, random_state=0)
    model.fit(digit_images)
    assert np.isfinite(model.history_[:, "train_loss"]).all()
    assert model.transform(digit_images[:4]).dtype == np.float64
