"""SimCLR, BYOL, VICReg and Barlow Twins learn, reproduce, pickle; BYOL's EMA target."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_ssl import BYOL, BarlowTwins, SimCLR, VICReg
from sklearn_ssl.augment import ImageAugment, Views
from sklearn_ssl.encoders import PixelScale
from sklearn_ssl.heads import projection_head
from sklearn_ssl.tasks import BYOLTask

DIGITS = dict(input_shape=(1, 8, 8), flip=False, crop_scale=(0.3, 1.0), device="cpu")
SMALL = dict(n_components=32, batch_size=64, random_state=0, **DIGITS)

METHODS = [
    SimCLR(**SMALL, projection_size=32),
    BYOL(**SMALL, projection_size=32, hidden_size=64),
    VICReg(**SMALL, projection_size=64),
    BarlowTwins(**SMALL, projection_size=64),
]


def ids(model):
    return type(model).__name__


@pytest.mark.parametrize("model", METHODS, ids=ids)
def test_loss_goes_down(model, digits):
    X, _ = digits
    model = clone(model).set_params(max_epochs=4).fit(X[:256])
    losses = model.history_[:, "train_loss"]
    assert losses[-1] < losses[0]


@pytest.mark.parametrize("model", METHODS, ids=ids)
def test_same_random_state_same_embeddings_and_pickle(model, digits):
    X, _ = digits
    X = X[:128]
    model = clone(model).set_params(max_epochs=1)
    embeddings = clone(model).fit(X).transform(X)
    fitted = model.fit(X)
    np.testing.assert_array_equal(fitted.transform(X), embeddings)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.transform(X), embeddings)
    other = clone(model).set_params(random_state=1).fit(X)
    assert not np.allclose(other.transform(X), embeddings)


@pytest.mark.slow
@pytest.mark.parametrize("model", METHODS, ids=ids)
def test_embeddings_separate_digit_classes(model, digits):
    """A kNN probe on the embeddings of held-out digits beats chance by far."""
    X, y = digits
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    model = clone(model).set_params(max_epochs=5).fit(X_pool)
    probe = make_pipeline(StandardScaler(), KNeighborsClassifier(5))
    accuracy = probe.fit(model.transform(X_pool), y_pool).score(model.transform(X_test), y_test)
    assert accuracy > 0.6  # chance is 0.1


def small_byol_task(total_steps=10):
    encoder = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 8))
    augment = ImageAugment(flip=False)
    return BYOLTask(
        encoder=encoder,
        projector=projection_head(8, 16, 4),
        predictor=projection_head(4, 16, 4),
        make_views=Views(PixelScale((1, 4, 4), 0, 1), augment, augment),
        view_encoder=None,
        base_momentum=0.9,
        total_steps=total_steps,
    )


def _online_parameters(task):
    return [*task.view_encoder.parameters(), *task.projector.parameters()]


def test_byol_target_is_an_ema_of_the_online_network():
    torch.manual_seed(0)
    task = small_byol_task()
    optimizer = torch.optim.SGD(task.parameters(), lr=0.5)
    for step in range(3):
        task(torch.rand(8, 16), torch.Generator().manual_seed(step))["loss"].backward()
        optimizer.step()
        optimizer.zero_grad()
        before = [p.clone() for p in task.target.parameters()]
        tau = task.target.momentum()
        task.after_optimizer_step()
        for old, new, online in zip(
            before, task.target.parameters(), _online_parameters(task), strict=True
        ):
            torch.testing.assert_close(new, tau * old + (1 - tau) * online)
    assert task.target.steps_done == 3
    assert all(not p.requires_grad for p in task.target.parameters())
    online = torch.cat([p.flatten() for p in _online_parameters(task)])
    target = torch.cat([p.flatten() for p in task.target.parameters()])
    assert not torch.allclose(online, target)  # the target lags behind


def test_byol_momentum_rises_from_base_to_one_on_a_cosine():
    target = small_byol_task(total_steps=10).target
    assert target.momentum() == pytest.approx(0.9)
    target.steps_done = 5
    assert target.momentum() == pytest.approx(0.95)
    target.steps_done = 10
    assert target.momentum() == pytest.approx(1.0)
    target.steps_done = 25
    assert target.momentum() == pytest.approx(1.0)


def test_byol_schedule_spans_the_planned_epochs(digits):
    X, _ = digits
    model = BYOL(**SMALL, projection_size=8, hidden_size=16, max_epochs=2).fit(X[:130])
    target = model.net_.module_.target
    assert target.total_steps == 2 * (130 // 64)
    assert target.steps_done == target.total_steps


def test_grid_search_over_a_pipeline(digits):
    X, y = digits
    pipe = make_pipeline(
        SimCLR(**SMALL, projection_size=8, max_epochs=1), LogisticRegression(max_iter=200)
    )
    search = GridSearchCV(pipe, {"simclr__temperature": [0.2, 0.5]}, cv=2).fit(X[:128], y[:128])
    assert search.best_params_["simclr__temperature"] in (0.2, 0.5)
    assert search.score(X[128:256], y[128:256]) > 0.2


@pytest.mark.parametrize("model", METHODS, ids=ids)
def test_trains_under_bfloat16_autocast(model, digits):
    X, _ = digits
    model = clone(model).set_params(max_epochs=1, precision="bfloat16").fit(X[:128])
    assert np.isfinite(model.history_[-1, "train_loss"])
    assert model.transform(X[:8]).dtype == np.float64
