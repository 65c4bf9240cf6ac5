"""FineTunedClassifier and FineTunedRegressor: training, freezing, options, errors."""

import numpy as np
import pytest
import torch
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_ssl import SCARF, VIME, FineTunedClassifier, FineTunedRegressor
from sklearn_ssl._engine import WarmupThenLinearDecay
from sklearn_ssl.base import SelfSupervisedTransformer

SMALL = dict(n_components=8, hidden_layer_sizes=(32,), batch_size=64, device="cpu")


def scarf(**params):
    return SCARF(**{**SMALL, "projection_size": 16, "max_epochs": 3, **params})


def encoder_weights(module):
    return {name: value.detach().clone() for name, value in module.state_dict().items()}


def assert_same_weights(before, after):
    assert before.keys() == after.keys()
    for name in before:
        torch.testing.assert_close(before[name], after[name], rtol=0, atol=0, msg=name)


@pytest.fixture(scope="module")
def pretrained(blobs):
    X, _ = blobs
    return scarf(random_state=0).fit(X)


def test_fine_tuning_learns_the_labels(blobs, pretrained):
    X, y = blobs
    clf = FineTunedClassifier(
        FrozenEstimator(pretrained), max_epochs=30, freeze_epochs=5, random_state=0
    ).fit(X, y)
    losses = clf.history_[:, "train_loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert clf.score(X, y) > 0.95
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert clf.n_iter_ == 30


def test_a_fitted_estimator_is_fine_tuned_as_is_and_left_untouched(blobs, pretrained):
    X, y = blobs
    before = encoder_weights(pretrained.encoder_)
    clf = FineTunedClassifier(pretrained, max_epochs=5, freeze_epochs=0).fit(X, y)
    assert_same_weights(before, encoder_weights(pretrained.encoder_))
    assert len(clf.estimator_.history_) == len(pretrained.history_)  # no more pretraining
    tuned = encoder_weights(clf.net_.module_.encoder)
    assert any(not torch.equal(before[name], tuned[name]) for name in before)


def test_an_unfitted_estimator_is_pretrained_on_all_rows(blobs):
    X, y = blobs
    y_partial = np.where(np.arange(len(y)) % 6 == 0, y, -1)  # 30 labeled rows
    estimator = scarf(max_epochs=2, batch_size=32)
    clf = FineTunedClassifier(estimator, max_epochs=3, batch_size=8, random_state=0)
    clf.fit(X, y_partial)
    assert not hasattr(estimator, "net_")
    assert clf.estimator_.n_iter_ == 2
    assert clf.estimator_.history_[-1, "train_batch_count"] == len(X) // 32
    assert clf.history_[-1, "train_batch_count"] == 30 // 8
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])


def test_frozen_epochs_keep_the_encoder_and_its_batch_statistics(blobs, pretrained):
    X, y = blobs
    before = encoder_weights(pretrained.encoder_)
    probe = FineTunedClassifier(pretrained, max_epochs=4, freeze_epochs=4).fit(X, y)
    assert_same_weights(before, encoder_weights(probe.net_.module_.encoder))
    tuned = FineTunedClassifier(pretrained, max_epochs=4, freeze_epochs=3).fit(X, y)
    after = encoder_weights(tuned.net_.module_.encoder)
    assert any(not torch.equal(before[name], after[name]) for name in before)


def test_a_frozen_encoder_embeds_each_row_once(blobs, pretrained):
    X, y = blobs
    rows_seen = []
    hook = pretrained.encoder_.register_forward_hook(lambda m, a, out: rows_seen.append(len(out)))
    try:  # the fine-tuned copy of the encoder keeps the hook
        clf = FineTunedClassifier(pretrained, max_epochs=6, freeze_epochs=6, batch_size=16)
        clf.fit(X, y)
        assert sum(rows_seen) == len(X), "embedded once, not once per epoch"
        assert clf.n_iter_ == 6 and clf.score(X, y) > 0.9  # the encoder is back in place
    finally:
        hook.remove()


def test_auto_settings_for_an_encoder_pretrained_here(blobs, pretrained):
    X, y = blobs
    clf = FineTunedClassifier(pretrained, max_epochs=3).fit(X, y)
    assert (clf.freeze_epochs_, clf.batch_size_, clf.contrastive_epochs_) == (10, 64, 0)
    assert clf.contrastive_lr_ == clf.lr * clf.encoder_lr_scale
    assert not hasattr(clf, "contrastive_history_")
    reg = FineTunedRegressor(pretrained, max_epochs=3, freeze_epochs=2).fit(X, y.astype(float))
    assert reg.freeze_epochs_ == 2


def test_encoder_lr_scale_zero_keeps_encoder_weights(blobs, pretrained):
    X, y = blobs
    clf = FineTunedClassifier(pretrained, max_epochs=3, freeze_epochs=0, encoder_lr_scale=0.0)
    clf.fit(X, y)
    before, after = encoder_weights(pretrained.encoder_), encoder_weights(clf.net_.module_.encoder)
    for name in before:
        if "running" not in name and "num_batches" not in name:  # batch-norm statistics move
            torch.testing.assert_close(before[name], after[name], rtol=0, atol=0)
    assert clf.net_.optimizer_.param_groups[0]["lr"] == 0.0


def test_same_random_state_same_predictions(blobs):
    X, y = blobs
    make = lambda: FineTunedClassifier(scarf(), max_epochs=3, augment=True, random_state=3)  # noqa: E731
    np.testing.assert_array_equal(
        make().fit(X, y).predict_proba(X), make().fit(X, y).predict_proba(X)
    )


def test_augment_uses_the_pretext_corruption(blobs, pretrained):
    X, y = blobs
    batch = torch.tensor(X, dtype=torch.float32)
    generator = torch.Generator().manual_seed(0)
    corrupted = SCARF(corruption_rate=0.5)._augment_rows(batch, generator)
    assert corrupted.shape == batch.shape
    assert 0.35 < (corrupted != batch).float().mean() < 0.55  # a donor may equal the cell
    assert VIME(mask_rate=0.1)._augment_rows(batch, generator).ne(batch).float().mean() < 0.15
    plain = FineTunedClassifier(pretrained, max_epochs=3, random_state=0).fit(X, y)
    augmented = FineTunedClassifier(pretrained, max_epochs=3, augment=True, random_state=0)
    assert not np.allclose(plain.predict_proba(X), augmented.fit(X, y).predict_proba(X))


def test_default_augmentation_of_rows_is_the_identity():
    batch = torch.arange(6.0).reshape(3, 2)
    hook = SelfSupervisedTransformer._augment_rows
    assert hook(None, batch, torch.Generator()) is batch


def test_a_method_that_overrides_the_old_hook_name_keeps_its_augmentation():
    with pytest.warns(FutureWarning, match="`_augment_for_finetuning` was renamed `_augment_rows`"):

        class OldSCARF(SCARF):
            def _augment_for_finetuning(self, X_batch, generator):
                return X_batch + 1

    batch = torch.zeros(3, 2)
    assert OldSCARF()._augment_rows(batch, torch.Generator()).eq(1).all()
    assert OldSCARF()._augments_rows()


def test_a_method_with_both_hook_names_uses_the_new_one_without_warning(recwarn):
    class BothNames(SelfSupervisedTransformer):
        def _augment_for_finetuning(self, X_batch, generator):
            return X_batch + 1

        def _augment_rows(self, X_batch, generator):
            return X_batch + 2

    assert not [w for w in recwarn if issubclass(w.category, FutureWarning)]
    assert BothNames._augment_rows(None, torch.zeros(1), None).eq(2).all()


def test_string_labels_with_unlabeled_rows(blobs, pretrained):
    X, y = blobs
    names = np.array(["a", "b", "c"], dtype=object)[y]
    names[::2] = -1
    clf = FineTunedClassifier(pretrained, max_epochs=10).fit(X, names)
    np.testing.assert_array_equal(clf.classes_, ["a", "b", "c"])
    assert set(clf.predict(X)) <= {"a", "b", "c"}


def test_regressor_learns_a_target_and_ignores_nan_rows(blobs, pretrained):
    X, _ = blobs
    target = X[:, 0] - 2 * X[:, 1] + 5
    y = target.copy()
    y[1::2] = np.nan  # unlabeled rows
    reg = FineTunedRegressor(pretrained, max_epochs=60, freeze_epochs=0, random_state=0)
    reg.fit(X, y)
    assert reg.history_[-1, "train_batch_count"] == max(1, 90 // 64)
    assert reg.score(X, target) > 0.8
    two = FineTunedRegressor(pretrained, max_epochs=2).fit(X, np.c_[target, -target])
    assert two.predict(X).shape == (len(X), 2)


@pytest.mark.parametrize(
    "labels, message",
    [
        ({}, "needs labeled rows"),
        ({0: 1}, "at least 2 classes"),
        ({0: 1, 1: 1, 2: 1}, "at least 2 classes"),
    ],
)
def test_classifier_errors_on_too_few_labels(blobs, pretrained, labels, message):
    X, _ = blobs
    y = np.full(len(X), -1)
    y[list(labels)] = list(labels.values())
    with pytest.raises(ValueError, match=message):
        FineTunedClassifier(pretrained, max_epochs=1).fit(X, y)


def test_regressor_errors(blobs, pretrained):
    X, _ = blobs
    with pytest.raises(ValueError, match="every target is NaN"):
        FineTunedRegressor(pretrained).fit(X, np.full(len(X), np.nan))
    y = np.c_[np.ones(len(X)), np.ones(len(X))]
    y[0, 0] = np.nan
    with pytest.raises(ValueError, match="some but not all targets"):
        FineTunedRegressor(pretrained).fit(X, y)
    y1 = np.full(len(X), np.nan)
    y1[0] = 1.0
    with pytest.raises(ValueError, match="at least 2 labeled samples"):
        FineTunedRegressor(pretrained).fit(X, y1)


def test_estimator_must_be_self_supervised(blobs):
    X, y = blobs
    with pytest.raises(InvalidParameterError, match="'estimator' parameter"):
        FineTunedClassifier(PCA()).fit(X, y)


def test_grid_search_over_fine_tuning_reuses_a_frozen_pretraining(blobs, pretrained):
    X, y = blobs
    history = len(pretrained.history_)
    search = GridSearchCV(
        FineTunedClassifier(FrozenEstimator(pretrained), max_epochs=30),
        {"freeze_epochs": [0, 10]},
        cv=2,
    ).fit(X, y)
    assert len(pretrained.history_) == history
    assert search.best_score_ > 0.9


def test_divergence_raises_and_leaves_the_classifier_unfitted(blobs, pretrained):
    X, y = blobs
    clf = FineTunedClassifier(pretrained, max_epochs=5, freeze_epochs=0, lr=1e12)
    with pytest.raises(FloatingPointError, match="lr=1000000000000.0"):
        clf.fit(X, y)
    with pytest.raises(NotFittedError):
        clf.predict(X)


def test_image_fine_tuning_reuses_the_views(digits):
    from sklearn_ssl import SimCLR

    X, y = digits
    simclr = SimCLR(
        input_shape=(1, 8, 8), flip=False, max_epochs=1, batch_size=64, device="cpu", random_state=0
    ).fit(X[:300])
    batch = simclr._as_tensor(X[:8], "cpu")
    generator = torch.Generator().manual_seed(0)
    augmented = simclr._augment_rows(batch, generator)
    assert augmented.shape == (8, 1, 8, 8)
    assert not torch.allclose(augmented, batch.float())
    assert augmented.min() >= simclr.pixel_range_[0] - 1e-6
    assert augmented.max() <= simclr.pixel_range_[1] + 1e-6
    clf = FineTunedClassifier(
        simclr, augment=True, max_epochs=15, freeze_epochs=1, device="cpu", random_state=0
    ).fit(X[:300], y[:300])
    assert clf.score(X[300:400], y[300:400]) > 0.5  # chance: 0.1


def test_warmup_then_linear_decay_factors():
    schedule = WarmupThenLinearDecay(total_steps=10, warmup_steps=2)
    factors = [schedule(step) for step in range(10)]
    assert factors[:3] == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert factors[2:] == sorted(factors[2:], reverse=True) and factors[-1] == pytest.approx(1 / 8)
    assert WarmupThenLinearDecay(4, 0)(0) == 1.0


def test_warmup_raises_then_lowers_every_learning_rate(blobs, pretrained):
    X, y = blobs
    clf = FineTunedClassifier(
        pretrained,
        max_epochs=4,
        freeze_epochs=0,
        warmup=0.25,
        batch_size=32,
        lr=1e-2,
        random_state=0,
    ).fit(X, y)
    steps = [batch["event_lr"] for epoch in clf.history_ for batch in epoch["batches"]]
    peak = int(np.argmax(steps))
    assert 0 < peak < len(steps) - 1
    assert steps[:peak] == sorted(steps[:peak]) and steps[peak:] == sorted(steps[peak:])[::-1]
    assert max(steps) <= 1e-2 + 1e-12
    group_lrs = [group["lr"] for group in clf.net_.optimizer_.param_groups]
    assert group_lrs[0] == pytest.approx(group_lrs[1] * 0.1)  # the scale survives the schedule


def test_without_warmup_the_learning_rate_is_constant(blobs, pretrained):
    X, y = blobs
    clf = FineTunedClassifier(pretrained, max_epochs=2, freeze_epochs=0, random_state=0).fit(X, y)
    assert "schedule" not in dict(clf.net_.callbacks_)
    assert [group["lr"] for group in clf.net_.optimizer_.param_groups] == pytest.approx(
        [1e-3, 1e-2]
    )
