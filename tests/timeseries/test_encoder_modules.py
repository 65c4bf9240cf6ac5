"""The series methods' ``encoder`` module, and widths that do not depend on ``n_heads``."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from sklearn_ssl import MaskedTimeSeriesAutoencoder, TS2Vec
from sklearn_ssl.encoders import DilatedConvNetwork, PatchTransformerNetwork, SequenceNetwork
from tests.timeseries.test_methods import two_shapes

SMALL = dict(max_epochs=15, lr=3e-3, batch_size=16, device="cpu", random_state=0)


def separates(est, X, y):
    accuracy = cross_val_score(KNeighborsClassifier(3), est.transform(X), y, cv=3).mean()
    return accuracy > 0.9  # chance is 0.5


@pytest.mark.parametrize(
    "est, make_network",
    [
        (TS2Vec(**SMALL), lambda: DilatedConvNetwork(2, 8, n_outputs=6, depth=2)),
        (
            MaskedTimeSeriesAutoencoder(patch_size=4, **SMALL),
            lambda: PatchTransformerNetwork(2, patch_size=4, width=8, depth=1, n_heads=2),
        ),
    ],
    ids=["TS2Vec", "MaskedTimeSeriesAutoencoder"],
)
def test_a_user_network_is_trained_as_a_private_copy(est, make_network):
    X, y = two_shapes()
    torch.manual_seed(0)  # the user's module brings its own initial weights
    network = make_network()
    before = {name: p.clone() for name, p in network.state_dict().items()}
    est = est.set_params(encoder=network).fit(X)
    width = 6 if isinstance(network, DilatedConvNetwork) else 8
    assert est.n_components_ == width and est.transform(X[:4]).shape == (4, width)
    assert est.encoder_.network is not network
    assert all(torch.equal(before[name], p) for name, p in network.state_dict().items())
    assert separates(est, X, y)
    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(restored.transform(X), est.transform(X))


class TwoConvNetwork(SequenceNetwork):
    """A user network: two convolutions over time, hidden timestamps zeroed at the input."""

    def __init__(self, n_channels, width):
        super().__init__()
        self.convs = torch.nn.Sequential(
            torch.nn.Conv1d(n_channels, width, 5, padding=2),
            torch.nn.GELU(),
            torch.nn.Conv1d(width, width, 5, padding=2),
        )

    def forward(self, values, observed, hidden=None):
        keep = observed if hidden is None else observed & ~hidden  # (B, T)
        states = self.convs(values * keep.unsqueeze(1))  # (B, width, T)
        return states.transpose(1, 2), observed  # (B, T, width), (B, T)


def test_a_subclass_of_sequence_network_trains_in_both_methods():
    X, _ = two_shapes()
    longer = {**SMALL, "max_epochs": 20}  # TS2Vec's random crops make its loss noisy
    for est in (TS2Vec(**longer), MaskedTimeSeriesAutoencoder(patch_size=4, **longer)):
        torch.manual_seed(0)
        est.set_params(encoder=TwoConvNetwork(2, 8)).fit(X)
        losses = est.history_[:, "train_loss"]
        assert est.transform(X[:2]).shape == (2, 8)
        assert np.mean(losses[-5:]) < 0.95 * np.mean(losses[:3])


class RowEncoder(torch.nn.Module):
    """A module with no ``step``: one vector per series, not a state per timestamp."""

    def forward(self, values, observed, hidden=None):
        return values.mean(dim=-1), observed


@pytest.mark.parametrize("est", [TS2Vec(**SMALL), MaskedTimeSeriesAutoencoder(**SMALL)])
def test_a_module_without_step_is_refused_by_name(est):
    X, _ = two_shapes(n=20)
    with pytest.raises(TypeError, match=r"encoder=RowEncoder\(\.\.\.\) is not a sequence network"):
        est.set_params(encoder=RowEncoder()).fit(X)


def test_ts2vec_refuses_a_network_of_patches():
    X, _ = two_shapes(n=20)
    patches = PatchTransformerNetwork(2, patch_size=4, width=8, depth=1, n_heads=2)
    with pytest.raises(ValueError, match="has step=4; use a network with one state per timestamp"):
        TS2Vec(encoder=patches, **SMALL).fit(X)


def test_n_components_of_the_transformer_need_not_be_a_multiple_of_n_heads():
    X, _ = two_shapes()
    est = MaskedTimeSeriesAutoencoder(n_components=5, patch_size=4, depth=1, **SMALL).fit(X)
    network = est.encoder_.network
    assert network.embed.out_features == 8  # 5 rounded up to a multiple of n_heads=4
    assert network.output.out_features == 5 and est.transform(X[:3]).shape == (3, 5)
    losses = est.history_[:, "train_loss"]
    assert np.mean(losses[-3:]) < 0.9 * np.mean(losses[:2])  # trained through the projection
    one = MaskedTimeSeriesAutoencoder(n_components=1, max_epochs=1, device="cpu").fit(X)
    assert one.transform(X[:3]).shape == (3, 1)


def test_width_sets_the_tokens_and_the_default_keeps_the_states_unprojected():
    X, _ = two_shapes(n=20)
    wide = MaskedTimeSeriesAutoencoder(n_components=6, width=12, patch_size=4, depth=1, **SMALL)
    network = wide.fit(X).encoder_.network
    assert network.embed.out_features == 12 and network.output.out_features == 6
    plain = MaskedTimeSeriesAutoencoder(n_components=8, patch_size=4, depth=1, **SMALL).fit(X)
    assert not hasattr(plain.encoder_.network, "output")
    with pytest.raises(ValueError, match="n_heads=4 must divide width=6"):
        MaskedTimeSeriesAutoencoder(width=6, **SMALL).fit(X)


def test_width_of_the_dilated_cnn():
    X, _ = two_shapes(n=20)
    est = MaskedTimeSeriesAutoencoder(encoder="dilated_cnn", depth=1, **SMALL)
    assert clone(est).fit(X).encoder_.network.input_fc.out_features == 64
    assert est.set_params(width=8).fit(X).encoder_.network.input_fc.out_features == 8
