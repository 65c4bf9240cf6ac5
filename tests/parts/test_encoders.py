"""Encoders: the small ViT, the transformer block it shares with text, the momentum target."""

import pytest
import torch
from torch import nn

from sklearn_ssl.encoders import MomentumTarget, VisionTransformer, patchify
from sklearn_ssl.encoders.transformer import Attention, Block
from sklearn_ssl.encoders.vit import sincos_position_embedding

# -- the vision transformer --------------------------------------------------------


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


# -- the transformer block ---------------------------------------------------------


def tokens(seed=0):
    return torch.randn(2, 5, 8, generator=torch.Generator().manual_seed(seed))  # (B, T, D)


def test_block_keeps_the_token_shape_and_is_residual():
    torch.manual_seed(0)
    block = Block(8, 2, mlp_ratio=2.0)
    assert block.mlp[0].out_features == 16
    x = tokens()
    assert block(x).shape == x.shape
    for branch_output in (block.attn.proj, block.mlp[-1]):  # silence both branches
        nn.init.zeros_(branch_output.weight)
        nn.init.zeros_(branch_output.bias)
    torch.testing.assert_close(block(x), x)


def test_block_tokens_attend_only_to_the_allowed_keys():
    torch.manual_seed(0)
    block = Block(8, 2).eval()
    x = tokens()
    attend = torch.ones(2, 1, 1, 5, dtype=torch.bool)
    attend[:, :, :, -1] = False  # the last token is padding
    changed = x.clone()
    changed[:, -1] = torch.randn(2, 8)
    out, out_changed = block(x, attend), block(changed, attend)
    torch.testing.assert_close(out[:, :-1], out_changed[:, :-1])
    assert not torch.allclose(block(x)[:, :-1], block(changed)[:, :-1])  # without the mask


def test_block_dropout_only_in_training():
    torch.manual_seed(0)
    block = Block(8, 2, dropout=0.5)
    x = tokens()
    block.eval()
    torch.testing.assert_close(block(x), block(x))
    block.train()
    assert not torch.allclose(block(x), block(x))


def test_attention_mixes_tokens_and_keeps_their_shape():
    torch.manual_seed(0)
    attention = Attention(8, 2)
    x = tokens()
    out = attention(x)
    assert out.shape == (2, 5, 8)
    changed = x.clone()
    changed[:, -1] += 1.0
    assert not torch.allclose(attention(changed)[:, 0], out[:, 0])  # token 0 sees token 4


# -- the momentum target -----------------------------------------------------------


def online_modules():
    torch.manual_seed(0)
    return nn.Linear(4, 3), nn.Linear(3, 2)


def flat(modules):
    return torch.cat([p.detach().flatten() for m in modules for p in m.parameters()])


def test_momentum_target_starts_as_a_frozen_copy_of_the_online_modules():
    encoder, projector = online_modules()
    target = MomentumTarget(encoder, projector, base_momentum=0.9, total_steps=10)
    assert torch.equal(flat([target]), flat([encoder, projector]))
    assert all(not p.requires_grad for p in target.parameters())
    assert all(p.requires_grad for p in encoder.parameters())  # the online modules train
    x = torch.randn(6, 4)
    torch.testing.assert_close(target(x), projector(encoder(x)))  # applied in sequence
    with torch.no_grad():
        encoder.weight.add_(1.0)
    assert not torch.equal(flat([target]), flat([encoder, projector]))  # a copy, not a view
    assert target.steps_done == 0


def test_momentum_target_update_is_the_ema_and_counts_steps():
    encoder, projector = online_modules()
    target = MomentumTarget(encoder, projector, base_momentum=0.9, total_steps=10)
    for step in range(3):
        with torch.no_grad():
            for parameter in [*encoder.parameters(), *projector.parameters()]:
                parameter.add_(torch.randn(parameter.shape))
        old, tau = flat([target]), target.momentum()
        target.update(encoder, projector)
        torch.testing.assert_close(
            flat([target]), tau * old + (1 - tau) * flat([encoder, projector])
        )
        assert target.steps_done == step + 1


def test_momentum_rises_from_base_to_one_on_a_cosine_then_stays():
    target = MomentumTarget(*online_modules(), base_momentum=0.99, total_steps=8)
    momenta = []
    for steps_done in range(12):
        target.steps_done = steps_done
        momenta.append(target.momentum())
    assert momenta[0] == pytest.approx(0.99)
    assert momenta[2] == pytest.approx(1 - 0.01 * (1 + 2**-0.5) / 2)  # cos(pi / 4)
    assert momenta[4] == pytest.approx(0.995)
    assert momenta[8:] == pytest.approx([1.0] * 4)
    assert all(a < b for a, b in zip(momenta[:8], momenta[1:9], strict=True))


def test_momentum_target_refuses_other_modules():
    encoder, projector = online_modules()
    target = MomentumTarget(encoder, projector, base_momentum=0.9, total_steps=10)
    with pytest.raises(AssertionError, match="not the modules it copied"):
        target.update(encoder)
