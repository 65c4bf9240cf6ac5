"""Label-free criteria on embeddings whose answer is known, and ``score_criterion``."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_ssl import BYOL, SCARF, BarlowTwins, MaskedAutoencoder, SimCLR, VICReg
from sklearn_ssl.metrics import (
    alignment,
    alpha_req,
    label_free_scorer,
    lidar,
    pretext_loss,
    rankme,
    uniformity,
    view_embeddings,
)
from sklearn_ssl.metrics._label_free import CRITERIA


def _embeddings_with_spectrum(eigenvalues, n_samples=500, seed=0):
    """Rows whose covariance has exactly ``eigenvalues``, in a random basis."""
    rng = np.random.default_rng(seed)
    centred = rng.normal(size=(n_samples, len(eigenvalues)))
    centred -= centred.mean(axis=0)
    scores, _ = np.linalg.qr(centred)  # (n_samples, d): orthonormal, centred columns
    basis, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues),) * 2))
    return (scores * np.sqrt((n_samples - 1) * np.asarray(eigenvalues))) @ basis.T + 3.0


def _shapes():
    """Collapsed, rank-1, rank-4 and full-rank isotropic embeddings, 32 wide."""
    rng = np.random.default_rng(0)
    return {
        "collapsed": np.ones((300, 32)) + 1e-9 * rng.normal(size=(300, 1)),
        "rank 1": rng.normal(size=(300, 1)) @ rng.normal(size=(1, 32)),
        "rank 4": rng.normal(size=(300, 4)) @ rng.normal(size=(4, 32)),
        "isotropic": rng.normal(size=(300, 32)),
    }


def test_rankme_and_uniformity_order_collapse_below_isotropy():
    shapes = _shapes()
    ranks = [rankme(Z) for Z in shapes.values()]
    assert ranks == sorted(ranks)
    assert ranks[0] < 1.1 and ranks[1] < 1.1 and 3 < ranks[2] < 4.1 and ranks[3] > 25
    negated_uniformity = [-uniformity(Z) for Z in shapes.values()]
    assert negated_uniformity[0] == pytest.approx(0.0, abs=1e-6)
    assert negated_uniformity == sorted(negated_uniformity)


def test_clustered_embeddings_rank_as_their_clusters():
    """Five tight clusters on five orthogonal axes: five directions, four around their mean."""
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(5), 100)
    clustered = 10.0 * np.eye(32)[labels] + 0.001 * rng.normal(size=(500, 32))
    assert 4.9 < rankme(clustered) < 5.2  # RankMe does not centre: five equal singular values
    assert alpha_req(clustered) > 2  # centred: four equal eigenvalues, then a cliff
    # spread over the sphere: more than collapsed rows, less than isotropic ones
    shapes = _shapes()
    assert -uniformity(shapes["collapsed"]) < -uniformity(clustered)
    assert -uniformity(clustered) < -uniformity(shapes["isotropic"])
    # as LiDAR's surrogate classes, each cluster's rows are the views of one row
    views = clustered[np.argsort(labels, kind="stable")].reshape(5, 100, 32)
    assert lidar(views) == pytest.approx(4.0, abs=0.1)


@pytest.mark.parametrize("alpha", [0.5, 1.0, 2.0])
def test_alpha_req_recovers_a_power_law_exponent(alpha):
    spectrum = np.arange(1, 65) ** -alpha
    assert alpha_req(_embeddings_with_spectrum(spectrum)) == pytest.approx(alpha, abs=0.05)
    # Gaussian samples: the sample covariance's spectrum bends at the tail, a little
    rng = np.random.default_rng(1)
    sampled = rng.normal(size=(20000, 32)) * np.sqrt(np.arange(1, 33) ** -alpha)
    assert alpha_req(sampled) == pytest.approx(alpha, abs=0.05)


def test_alpha_req_of_collapsed_and_rank_deficient_embeddings():
    shapes = _shapes()
    assert alpha_req(shapes["collapsed"]) == np.inf
    assert alpha_req(shapes["rank 1"]) == np.inf
    assert alpha_req(np.zeros((10, 3))) == np.inf
    # the null space of rank-deficient rows is left out of the fit
    spectrum = np.r_[np.arange(1, 9) ** -1.0, np.zeros(24)]
    assert alpha_req(_embeddings_with_spectrum(spectrum)) == pytest.approx(1.0, abs=0.05)
    scores = [-abs(alpha_req(Z) - 1) for Z in shapes.values()]
    assert scores[0] == scores[1] == -np.inf < scores[2]


def test_lidar_counts_directions_that_tell_rows_apart():
    rng = np.random.default_rng(0)
    n_rows, n_views, width = 400, 6, 8
    noise = 0.1 * rng.normal(size=(n_rows, n_views, width))
    distinct = rng.normal(size=(n_rows, 1, width)) + noise  # rows apart in every direction
    on_a_line = rng.normal(size=(n_rows, 1, 1)) * rng.normal(size=(1, 1, width)) + noise
    alike = np.broadcast_to(distinct[:1], distinct.shape)  # every row has the same views
    assert lidar(distinct) > 7
    assert lidar(on_a_line) < 1.5
    assert lidar(alike) == 1.0
    # augmentation noise in extra directions does not count, unlike for RankMe
    padded = np.concatenate([distinct, 3.0 * rng.normal(size=(n_rows, n_views, 8))], axis=2)
    assert lidar(padded) < 0.6 * rankme(padded.reshape(-1, 16))


def test_lidar_rejects_other_shapes():
    with pytest.raises(ValueError, match=r"\(n_rows, n_views, n_components\)"):
        lidar(np.ones((4, 3)))
    with pytest.raises(ValueError, match="at least 2 views"):
        lidar(np.ones((4, 1, 3)))


#: A SCARF small enough to train in a test, its embeddings alone in ``transform``.
TINY_SCARF = dict(
    hidden_layer_sizes=(16,), projection_size=8, passthrough=False, device="cpu", random_state=0
)


@pytest.fixture(scope="module")
def scarf(blobs):
    X, _ = blobs
    return SCARF(n_components=8, max_epochs=2, **TINY_SCARF).fit(X)


def test_score_criterion_chooses_what_score_returns(scarf, blobs):
    X, _ = blobs
    Z = scarf.transform(X)
    assert scarf.score(X) == rankme(Z)  # the default
    expected = {
        "rankme": rankme(Z),
        "alpha_req": -abs(alpha_req(Z) - 1),
        "uniformity": -uniformity(Z),
        "lidar": lidar(view_embeddings(scarf, X)),
        "alignment": -alignment(*view_embeddings(scarf, X, n_views=2).transpose(1, 0, 2)),
        "pretext_loss": -pretext_loss(scarf, X),
    }
    for criterion, value in expected.items():
        scored = scarf.set_params(score_criterion=criterion).score(X)
        assert scored == pytest.approx(value)
        assert label_free_scorer(criterion)(scarf, X) == scored
    assert len(set(expected.values())) == 6
    scarf.set_params(score_criterion="rankme")


@pytest.mark.parametrize("method", [SimCLR, BYOL, VICReg, BarlowTwins])
def test_view_methods_score_by_uniformity_by_default(method):
    X = np.random.default_rng(0).random((64, 64))
    est = method(input_shape=(1, 8, 8), n_components=8, max_epochs=1, device="cpu").fit(X)
    assert est.score_criterion == "uniformity"
    assert est.score(X) == pytest.approx(-uniformity(est.transform(X)))


def test_bad_criterion_names_the_parameter(scarf, blobs):
    X, _ = blobs
    with pytest.raises(InvalidParameterError, match="score_criterion"):
        SCARF(score_criterion="accuracy").fit(X)
    bad = SCARF(max_epochs=0, device="cpu").fit(X).set_params(score_criterion="accuracy")
    with pytest.raises(ValueError, match="score_criterion must be one of 'rankme'"):
        bad.score(X)
    with pytest.raises(ValueError, match="criterion must be one of"):
        label_free_scorer("accuracy")


def test_pretext_loss_is_lower_after_training_on_held_out_rows(blobs):
    X, _ = blobs
    rng = np.random.default_rng(0)
    X_train, X_held_out = X[rng.permutation(len(X))[:120]], X[120:]
    settings = dict(hidden_layer_sizes=(32,), projection_size=16, batch_size=32, device="cpu")
    untrained = SCARF(max_epochs=0, random_state=0, **settings).fit(X_train)
    trained = SCARF(max_epochs=30, random_state=0, **settings).fit(X_train)
    before = trained.transform(X_held_out)
    assert pretext_loss(trained, X_held_out) < pretext_loss(untrained, X_held_out)
    assert pretext_loss(trained, X_held_out) == pretext_loss(trained, X_held_out)  # seeded
    np.testing.assert_array_equal(trained.transform(X_held_out), before)  # weights unchanged


def test_view_embeddings_are_the_encoders_embeddings_of_augmented_rows(scarf, blobs):
    X, _ = blobs
    Z_views = view_embeddings(scarf, X, n_views=3)
    assert Z_views.shape == (len(X), 3, 8)
    np.testing.assert_array_equal(Z_views, view_embeddings(scarf, X, n_views=3))  # seeded
    assert not np.allclose(Z_views[:, 0], Z_views[:, 1])  # each view is augmented anew
    # views scatter around the row's own embedding: nearer to it than to other rows'
    Z = scarf.transform(X)
    own = np.linalg.norm(Z_views - Z[:, None], axis=2).mean()
    other = np.linalg.norm(Z_views - np.roll(Z, 1, axis=0)[:, None], axis=2).mean()
    assert own < other
    assert view_embeddings(scarf, X, max_rows=10).shape[0] <= 10
    with pytest.raises(ValueError, match="n_views must be an int of at least 2"):
        view_embeddings(scarf, X, n_views=1)


def test_a_collapsed_encoder_has_no_discriminant_and_perfect_alignment(blobs):
    X, _ = blobs
    collapsed = SCARF(n_components=8, passthrough=False, max_epochs=0, device="cpu").fit(X)
    for parameter in collapsed.encoder_.parameters():  # every weight and bias 0: one output
        parameter.data.zero_()
    assert label_free_scorer("lidar")(collapsed, X) == 1.0
    assert label_free_scorer("alignment")(collapsed, X) == pytest.approx(0.0)


@pytest.mark.parametrize("criterion", sorted(CRITERIA))
def test_every_criterion_needs_two_rows(scarf, blobs, criterion):
    X, _ = blobs
    with pytest.raises(ValueError, match="X needs at least 2 rows, got 1"):
        scarf.set_params(score_criterion=criterion).score(X[:1])
    with pytest.raises(ValueError, match="X needs at least 2 rows, got 1"):
        label_free_scorer(criterion)(scarf, X[:1])
    scarf.set_params(score_criterion="rankme")


def test_view_criteria_need_a_method_with_views():
    X = np.random.default_rng(0).random((40, 64))
    mae = MaskedAutoencoder(input_shape=(1, 8, 8), max_epochs=0, device="cpu").fit(X)
    for criterion in ("lidar", "alignment"):
        with pytest.raises(NotImplementedError, match="MaskedAutoencoder has no augmentation"):
            mae.set_params(score_criterion=criterion).score(X)


@pytest.mark.parametrize("criterion", sorted(CRITERIA))
def test_label_free_scorer_searches_without_labels(blobs, criterion):
    X, _ = blobs
    search = GridSearchCV(
        SCARF(max_epochs=1, **TINY_SCARF),
        {"n_components": [2, 8]},
        scoring=label_free_scorer(criterion),
        cv=2,
    ).fit(X)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    if criterion == "rankme":  # the same as the estimators' default score
        default = GridSearchCV(search.estimator, search.param_grid, cv=2).fit(X)
        np.testing.assert_allclose(
            search.cv_results_["mean_test_score"], default.cv_results_["mean_test_score"]
        )
