"""MaskedAutoencoder, the estimator: reconstruction, determinism, patches, parameters.

Its parts have their own tests in ``tests/parts/``: the patch mask
(test_augment_patches.py), the loss (test_losses.py), the decoder
(test_heads.py), the ViT (test_encoders.py) and the task (test_tasks.py).
"""

import pickle

import numpy as np
import pytest

from sklearn_ssl import MaskedAutoencoder
from sklearn_ssl.encoders import VisionTransformer

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
        model = MaskedAutoencoder(**FAST, pooling=pool, max_epochs=2, random_state=seed)
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


@pytest.mark.parametrize("mask_rate", [0.0, 1.0, 1.5, -0.1])
def test_bad_mask_rate(digit_images, mask_rate):
    with pytest.raises(ValueError, match="mask_rate"):
        MaskedAutoencoder(**FAST, mask_rate=mask_rate).fit(digit_images)


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
