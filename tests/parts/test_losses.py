"""The losses: values at known points, shapes, dtypes (VICReg, Barlow Twins, negative
cosine, MAE's masked-patch loss)."""

import pytest
import torch

from sklearn_ssl.losses import (
    BarlowTwinsLoss,
    NegativeCosineSimilarity,
    VICRegLoss,
    barlow_twins_loss,
    masked_patch_loss,
    negative_cosine_similarity,
    vicreg_loss,
)
from sklearn_ssl.losses.masked_patches import normalize_patches
from sklearn_ssl.losses.vicreg import covariance_term, variance_term


def whitened(batch=512, dim=8, seed=0):
    """Rows with zero mean, unit variance and no correlation between columns."""
    z = torch.randn(batch, dim, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    z = z - z.mean(0)
    cov = z.T @ z / (batch - 1)
    return (z @ torch.linalg.inv(torch.linalg.cholesky(cov)).T).float()


def test_vicreg_is_zero_for_identical_whitened_views():
    z = whitened()
    assert vicreg_loss(z, z).item() == pytest.approx(0.0, abs=1e-3)


def test_vicreg_penalises_collapse_and_correlation():
    z = whitened()
    collapsed = torch.zeros_like(z)
    assert variance_term(collapsed).item() == pytest.approx(1 - 1e-2, abs=1e-3)
    assert variance_term(z).item() == pytest.approx(0.0, abs=1e-3)
    correlated = torch.cat([z[:, :1], z[:, :1]], dim=1)  # two equal columns
    assert covariance_term(correlated).item() == pytest.approx(1.0, abs=1e-2)
    assert VICRegLoss(0, 0, 1)(correlated, correlated) == pytest.approx(2.0, abs=2e-2)


def test_vicreg_weights_are_the_papers():
    loss = VICRegLoss()
    assert (loss.invariance_weight, loss.variance_weight, loss.covariance_weight) == (25, 25, 1)


def test_barlow_twins_is_zero_for_identical_decorrelated_views():
    z = whitened()
    assert barlow_twins_loss(z, z).item() == pytest.approx(0.0, abs=1e-2)
    assert BarlowTwinsLoss().redundancy_weight == 5e-3


def test_barlow_twins_counts_unmatched_dimensions():
    z = whitened(dim=4)
    independent = whitened(dim=4, seed=1)
    # no correlation on the diagonal: each of the 4 terms (1 - c_ii)^2 is about 1
    assert BarlowTwinsLoss(0.0)(z, independent).item() == pytest.approx(4.0, abs=0.5)


def test_negative_cosine_similarity_values_and_gradient():
    p = torch.tensor([[1.0, 0.0], [0.0, 2.0]], requires_grad=True)
    z = torch.tensor([[3.0, 0.0], [0.0, -1.0]], requires_grad=True)
    loss = negative_cosine_similarity(p, z)
    assert loss.item() == pytest.approx(0.0)  # +1 and -1 average out
    loss.backward()
    assert p.grad is not None and z.grad is None  # the target gets no gradient
    assert NegativeCosineSimilarity()(z, z).item() == pytest.approx(-1.0)


@pytest.mark.parametrize("loss", [vicreg_loss, barlow_twins_loss, negative_cosine_similarity])
def test_shape_mismatch_is_rejected(loss):
    with pytest.raises(AssertionError):
        loss(torch.zeros(4, 3), torch.zeros(4, 2))


@pytest.mark.parametrize("loss", [VICRegLoss(), BarlowTwinsLoss()])
def test_bfloat16_inputs_give_a_float32_loss(loss):
    z = whitened().bfloat16()
    assert loss(z, z).dtype == torch.float32


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
