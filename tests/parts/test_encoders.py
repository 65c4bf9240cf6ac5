"""The small ViT encoder: patches, position embeddings, encoding subsets of patches."""

import pytest
import torch

from sklearn_ssl.encoders import VisionTransformer, patchify
from sklearn_ssl.encoders.vit import sincos_position_embedding


def test_patchify_cuts_row_major_patches():
    images = torch.arange(2 * 3 * 4 * 6, dtype=torch.float32).reshape(2, 3, 4, 6)
    patches = patchify(images, 2)
    assert patches.shape == (2, 6, 2 * 2 * 3)
    # patch 1 is the top row's second block: rows 0-1, columns 2-3, channels last
    expected = images[1, :, 0:2, 2:4].permute(1, 2, 0).reshape(-1)
    torch.testing.assert_close(patches[1, 1], expected)
    assert patchify(images, (4, 3)).shape == (2, 2, 4 * 3 * 3)


def test_sincos_embedding_gives_every_patch_a_distinct_code():
    embedding = sincos_position_embedding(3, 5, 10)  # width not a multiple of 4
    assert embedding.shape == (15, 10)
    assert torch.cdist(embedding, embedding).add(torch.eye(15)).min() > 0


@pytest.mark.parametrize("pool", ["mean", "cls"])
@pytest.mark.parametrize("position_embedding", ["sincos", "learned"])
def test_vit_embeds_images(pool, position_embedding):
    torch.manual_seed(0)
    vit = VisionTransformer(
        (3, 8, 12),
        4,
        width=16,
        depth=2,
        n_heads=2,
        pool=pool,
        position_embedding=position_embedding,
    )
    images = torch.randn(5, 3, 8, 12)
    embeddings = vit(images)
    assert embeddings.shape == (5, 16)
    assert vit.n_patches == 6
    torch.testing.assert_close(embeddings, vit.pool(vit.encode(vit.embed(images))))
    # images are embedded independently of each other
    torch.testing.assert_close(vit(images[:2]), embeddings[:2])


def test_vit_positions_matter():
    torch.manual_seed(0)
    vit = VisionTransformer((1, 4, 4), 2, width=8, depth=1, n_heads=2)
    images = torch.randn(1, 1, 4, 4)
    flipped = images.flip(-1)  # same patches' pixel sets, other places and order
    assert not torch.allclose(vit(images), vit(flipped))


def test_vit_encodes_any_subset_of_patches():
    torch.manual_seed(0)
    vit = VisionTransformer((1, 8, 8), 2, width=8, depth=1, n_heads=2, pool="cls")
    tokens = vit.embed(torch.randn(3, 1, 8, 8))
    assert tokens.shape == (3, 16, 8)
    assert vit.encode(tokens[:, :5]).shape == (3, 1 + 5, 8)


def test_vit_errors():
    with pytest.raises(ValueError, match="patch_size=3 must divide the image height and width"):
        VisionTransformer((1, 8, 8), 3)
    with pytest.raises(ValueError, match="n_heads=3 must divide the token width 8"):
        VisionTransformer((1, 8, 8), 2, width=8, n_heads=3)
    with pytest.raises(ValueError, match="pool must be"):
        VisionTransformer((1, 8, 8), 2, width=8, n_heads=2, pool="max")
    with pytest.raises(ValueError, match="position_embedding must be"):
        VisionTransformer((1, 8, 8), 2, width=8, n_heads=2, position_embedding="rope")
