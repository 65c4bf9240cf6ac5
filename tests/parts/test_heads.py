"""Heads: projection and expander MLPs, the tied token predictor, MAE's patch decoder."""

import pytest
import torch
from torch import nn

from sklearn_ssl.heads import PatchDecoder, TiedTokenPredictor, expander_head, projection_head


def test_projection_head_is_linear_batchnorm_relu_linear():
    head = projection_head(5, 16, 3)
    assert [type(layer) for layer in head] == [nn.Linear, nn.BatchNorm1d, nn.ReLU, nn.Linear]
    assert (head[0].in_features, head[0].out_features, head[-1].out_features) == (5, 16, 3)
    assert head(torch.randn(8, 5)).shape == (8, 3)


@pytest.mark.parametrize("n_layers", [1, 2, 3])
def test_expander_head_has_n_layers_of_equal_width(n_layers):
    head = expander_head(5, 12, n_layers)
    linears = [layer for layer in head if isinstance(layer, nn.Linear)]
    assert len(linears) == n_layers
    assert [layer.out_features for layer in linears] == [12] * n_layers
    assert linears[0].in_features == 5
    assert sum(isinstance(layer, nn.BatchNorm1d) for layer in head) == n_layers - 1
    assert isinstance(head[-1], nn.Linear)  # the output is not normalised or clipped
    assert head(torch.randn(8, 5)).shape == (8, 12)


def test_tied_token_predictor_shapes_and_shared_weight():
    torch.manual_seed(0)
    embedding = nn.Embedding(30, 8)
    predictor = TiedTokenPredictor(embedding)
    states = torch.randn(2, 5, 8)  # (batch, length, d_model)
    logits = predictor(states)
    assert logits.shape == (2, 5, 30)
    assert predictor.embedding.weight is embedding.weight  # tied, not copied
    expected = predictor.transform(states) @ embedding.weight.T + predictor.bias
    torch.testing.assert_close(logits, expected)
    with torch.no_grad():
        embedding.weight[7, 0] += 1.0  # the output layer moves with the input embedding
    assert not torch.allclose(predictor(states)[..., 7], logits[..., 7])
    torch.testing.assert_close(predictor(states)[..., 6], logits[..., 6])


def test_tied_token_predictor_trains_the_embedding():
    embedding = nn.Embedding(30, 8)
    predictor = TiedTokenPredictor(embedding)
    predictor(torch.randn(4, 8)).logsumexp(-1).sum().backward()
    assert embedding.weight.grad is not None and embedding.weight.grad.abs().sum() > 0
    n_weights = sum(p.numel() for p in predictor.parameters())
    assert n_weights == 30 * 8 + (8 * 8 + 8) + 2 * 8 + 30  # the embedding counted once


def test_decoder_predicts_every_patch():
    decoder = PatchDecoder(16, (2, 3), patch_dim=12, width=8, depth=2, n_heads=2)
    visible = torch.tensor([[0, 4], [1, 2]])
    assert decoder(torch.randn(2, 2, 16), visible).shape == (2, 6, 12)
    with pytest.raises(ValueError, match="n_heads=3 must divide the decoder width 8"):
        PatchDecoder(16, (2, 3), patch_dim=12, width=8, n_heads=3)


def test_patch_decoder_puts_the_mask_token_in_every_masked_position():
    torch.manual_seed(0)
    decoder = PatchDecoder(6, (2, 3), patch_dim=4, width=8, depth=1, n_heads=2)
    encoded = torch.randn(2, 2, 6)  # (batch, n_visible, encoder_width)
    visible = torch.tensor([[0, 4], [5, 1]])
    seen = []
    decoder.blocks[0].register_forward_pre_hook(lambda module, args: seen.append(args[0]))
    assert decoder(encoded, visible).shape == (2, 6, 4)
    tokens = seen[0]  # (batch, n_patches, width): what the decoder's blocks get
    for image in range(2):
        for position in range(6):
            if position in visible[image].tolist():
                slot = visible[image].tolist().index(position)
                expected = decoder.embed(encoded[image, slot])
            else:
                expected = decoder.mask_token[0, 0]
            torch.testing.assert_close(
                tokens[image, position], expected + decoder.pos_embed[position]
            )
