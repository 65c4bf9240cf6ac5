"""The series parts: hierarchical contrastive loss, sequence networks, the two tasks."""

import numpy as np
import pytest
import torch

from sklearn_ssl.encoders import (
    ChannelStandardize,
    DilatedConvNetwork,
    PatchTransformerNetwork,
    SeriesEncoder,
    patchify_series,
    pool_states,
)
from sklearn_ssl.losses import (
    hierarchical_contrastive_loss,
    instance_contrastive_loss,
    masked_value_loss,
    temporal_contrastive_loss,
)
from sklearn_ssl.tasks import MaskedSeriesTask, TS2VecTask


def states(batch=6, length=16, dim=8, seed=0):
    return torch.randn(batch, length, dim, generator=torch.Generator().manual_seed(seed))


def reference_pair_loss(z):
    """-log softmax of the partner among the other rows, averaged: the paper's formula."""
    groups, two_n, _ = z.shape
    total = 0.0
    for g in range(groups):
        sim = (z[g] @ z[g].T).double()
        for i in range(two_n):
            others = [j for j in range(two_n) if j != i]
            partner = (i + two_n // 2) % two_n
            total -= (sim[i, partner] - torch.logsumexp(sim[i, others], 0)).item()
    return total / (groups * two_n)


def test_instance_and_temporal_terms_match_the_formula():
    z_a, z_b = states(batch=3, length=4), states(batch=3, length=4, seed=1)
    instance = reference_pair_loss(torch.cat([z_a, z_b]).transpose(0, 1))
    temporal = reference_pair_loss(torch.cat([z_a, z_b], dim=1))
    assert instance_contrastive_loss(z_a, z_b).item() == pytest.approx(instance, rel=1e-5)
    assert temporal_contrastive_loss(z_a, z_b).item() == pytest.approx(temporal, rel=1e-5)


def test_hierarchical_loss_averages_the_scales():
    z_a, z_b = states(length=4), states(length=4, seed=1)
    pooled = [(z_a, z_b)]
    for _ in range(2):  # lengths 4, 2, 1
        a, b = pooled[-1]
        pooled.append(tuple(torch.nn.functional.max_pool1d(z.transpose(1, 2), 2).transpose(1, 2)
                            for z in (a, b)))  # fmt: skip
    expected = sum(0.5 * instance_contrastive_loss(a, b) for a, b in pooled)
    expected += sum(0.5 * temporal_contrastive_loss(a, b) for a, b in pooled[:2])
    loss = hierarchical_contrastive_loss(z_a, z_b)
    assert loss.item() == pytest.approx(expected.item() / 3, rel=1e-5)
    # temporal_unit=1 drops the temporal term at single timestamps
    later = hierarchical_contrastive_loss(z_a, z_b, temporal_unit=1)
    expected_later = expected - 0.5 * temporal_contrastive_loss(z_a, z_b)
    assert later.item() == pytest.approx(expected_later.item() / 3, rel=1e-5)


def test_hierarchical_loss_is_low_for_matching_views_and_defined_for_one_of_each():
    z = 5 * states()
    assert (
        hierarchical_contrastive_loss(z, z).item()
        < 0.5 * hierarchical_contrastive_loss(z, 5 * states(seed=1)).item()
    )
    one = states(batch=1, length=1)
    assert hierarchical_contrastive_loss(one, one).item() == 0.0


def test_masked_value_loss_scores_only_weighted_values():
    predicted, target = torch.zeros(2, 3, 4), torch.ones(2, 3, 4)
    weight = torch.zeros(2, 3, 4)
    assert masked_value_loss(predicted, target, weight).item() == 0.0
    weight[0, 0, :2] = 1
    target[1] = 100.0  # not scored
    assert masked_value_loss(predicted, target, weight).item() == pytest.approx(1.0)


NETWORKS = {
    "dilated_cnn": lambda: DilatedConvNetwork(2, hidden_size=8, n_outputs=6, depth=3),
    "patch_transformer": lambda: PatchTransformerNetwork(2, 4, width=8, depth=2, n_heads=2),
}


@pytest.mark.parametrize("name", NETWORKS)
def test_networks_ignore_padding_and_missing_values(name):
    torch.manual_seed(0)
    network = NETWORKS[name]().eval()
    encoder = SeriesEncoder(ChannelStandardize(np.zeros(2), np.ones(2)), network, "max")
    x = torch.randn(3, 2, 21)
    padded = torch.cat([x, torch.full((3, 2, 11), float("nan"))], dim=2)
    with torch.no_grad():
        torch.testing.assert_close(encoder(padded), encoder(x), atol=1e-5, rtol=1e-5)
        states_, valid = network(*encoder.inputs(padded))
    assert valid.shape == states_.shape[:2] and not valid[:, -1].any()


def test_dilated_network_hides_timestamps_and_reaches_far():
    torch.manual_seed(0)
    network = DilatedConvNetwork(1, hidden_size=4, n_outputs=4, depth=3, dropout=0.0)
    values, observed = torch.randn(1, 1, 64), torch.ones(1, 64, dtype=torch.bool)
    hidden = torch.zeros(1, 64, dtype=torch.bool)
    hidden[0, 30] = True
    base = network(values, observed)[0]
    changed = (network(values, observed, hidden)[0] - base).abs().sum(-1)[0]  # (64,)
    assert changed[30] > 0
    # kernel 3, dilations 1, 2, 4, 8: two convolutions each reach 2 * (1 + 2 + 4 + 8) = 30 steps
    assert changed[0] > 0 and changed[60] > 0 and changed[30 + 31 :].sum() == 0


def test_pool_states_skips_invalid_steps():
    s = torch.tensor([[[1.0], [5.0], [3.0]]])
    valid = torch.tensor([[True, False, True]])
    assert pool_states(s, valid, "max").item() == 3.0
    assert pool_states(s, valid, "mean").item() == 2.0


def test_patchify_series_pads_the_last_patch():
    x = torch.arange(10.0).reshape(1, 1, 10)
    patches = patchify_series(x, 4)
    assert patches.shape == (1, 3, 4)
    assert patches[0, 2].tolist() == [8.0, 9.0, 0.0, 0.0]


def series_encoder(network):
    return SeriesEncoder(ChannelStandardize(np.zeros(2), np.ones(2)), network, "mean")


def test_ts2vec_task_trains_and_averages_weights():
    torch.manual_seed(0)
    task = TS2VecTask(series_encoder(NETWORKS["dilated_cnn"]()))
    X = torch.randn(8, 2, 30)
    optimizer = torch.optim.AdamW(task.online.parameters(), lr=1e-2)
    initial = [p.detach().clone() for p in task.online.parameters()]
    for step in range(1, 4):
        loss = task(X, generator=torch.Generator().manual_seed(step))["loss"]
        assert loss.ndim == 0 and torch.isfinite(loss)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        task.after_optimizer_step()
    assert task.n_averaged.item() == 3
    assert all(p.grad is None for p in task.encoder.parameters())  # the average is not trained
    # one step in: the average is the online weights; it then lags behind them
    online = list(task.online.parameters())
    averaged = list(task.encoder.parameters())
    assert not torch.allclose(averaged[0], online[0]) and not torch.allclose(
        averaged[0], initial[0]
    )


def test_masked_series_task_scores_hidden_observed_values():
    torch.manual_seed(0)
    encoder = series_encoder(NETWORKS["patch_transformer"]())
    task = MaskedSeriesTask(encoder, torch.nn.Linear(8, 4 * 2), patch_size=4, mask_ratio=0.5)
    X = torch.randn(5, 2, 3)  # shorter than two patches: padded to two
    loss = task(X, generator=torch.Generator().manual_seed(0))["loss"]
    assert torch.isfinite(loss)
    loss.backward()
    assert encoder.network.embed.weight.grad is not None
