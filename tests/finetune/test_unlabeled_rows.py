"""FineTunedClassifier's second use of the unlabeled rows: FixMatch consistency, distillation."""

import numpy as np
import pytest
import torch
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_ssl import SCARF, FineTunedClassifier, MaskedAutoencoder
from sklearn_ssl.finetune._task import WithUnlabeled
from sklearn_ssl.losses import pseudo_label_loss, soft_target_cross_entropy

SMALL = dict(n_components=8, hidden_layer_sizes=(32,), projection_size=16, device="cpu")


@pytest.fixture(scope="module")
def pretrained(blobs):
    X, _ = blobs
    return SCARF(**SMALL, max_epochs=3, random_state=0).fit(X)


@pytest.fixture(scope="module")
def few_labels(blobs):
    """The blobs with 2 labels per class, every other row marked -1."""
    X, y = blobs
    y_partial = np.full_like(y, -1)
    for label in np.unique(y):
        y_partial[np.flatnonzero(y == label)[:2]] = label
    return X, y_partial


def test_pseudo_label_loss_counts_only_confident_rows():
    weak = torch.tensor([[4.0, 0.0], [0.1, 0.0]])  # confident class 0; unsure
    strong = torch.tensor([[0.0, 2.0], [0.0, 2.0]])
    loss = pseudo_label_loss(weak, strong, threshold=0.9)
    expected = torch.nn.functional.cross_entropy(strong[:1], torch.tensor([0])) / 2
    torch.testing.assert_close(loss, expected)
    assert pseudo_label_loss(weak, strong, threshold=0.999) == 0


def test_soft_targets_match_cross_entropy_on_one_hot_targets():
    logits = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    one_hot = torch.eye(3)[[1, 2]]
    torch.testing.assert_close(
        soft_target_cross_entropy(logits, one_hot),
        torch.nn.functional.cross_entropy(logits, torch.tensor([1, 2])),
    )


def test_an_epoch_passes_over_the_unlabeled_rows_while_labeled_batches_cycle():
    labeled = [(torch.zeros(2), torch.tensor([0, 1]))]
    unlabeled = [(torch.full((3,), float(k)), None) for k in range(4)]
    batches = list(WithUnlabeled(labeled, unlabeled))
    assert len(batches) == len(WithUnlabeled(labeled, unlabeled)) == 4
    assert [float(X_u[0]) for _, _, X_u in batches] == [0, 1, 2, 3]
    assert all(torch.equal(y, torch.tensor([0, 1])) for _, y, _ in batches)


def test_consistency_trains_on_the_unlabeled_rows(blobs, few_labels, pretrained):
    X, y = blobs
    X, y_partial = few_labels
    clf = FineTunedClassifier(
        pretrained, max_epochs=3, consistency_weight=1.0, unlabeled_ratio=2,
        confidence_threshold=0.5, random_state=0,
    ).fit(X, y_partial)  # fmt: skip
    # an epoch is a pass over all 180 rows, 2 x 6 labeled rows per batch
    assert clf.history_[-1, "train_batch_count"] == len(X) // 12
    assert clf.score(X, y) > 0.9
    plain = FineTunedClassifier(pretrained, max_epochs=3, random_state=0).fit(X, y_partial)
    assert plain.history_[-1, "train_batch_count"] == 1  # the 6 labeled rows only
    assert not np.allclose(clf.predict_proba(X), plain.predict_proba(X))


def test_distillation_trains_a_student_that_agrees_with_its_teacher(blobs, few_labels, pretrained):
    X, y = blobs
    X, y_partial = few_labels
    clf = FineTunedClassifier(
        pretrained, max_epochs=10, freeze_epochs=2, distill_epochs=20, random_state=0
    ).fit(X, y_partial)
    assert clf.teacher_net_ is not clf.net_
    assert clf.n_iter_ == 20 and clf.history_[-1, "train_batch_count"] == len(X) // 64
    with torch.no_grad():
        logits = clf.teacher_net_.module_.network(torch.tensor(X, dtype=torch.float32))
    teacher_says = clf.classes_[logits.argmax(dim=1).numpy()]
    assert (clf.predict(X) == teacher_says).mean() > 0.95
    assert clf.score(X, y) > 0.9


def test_a_head_student_keeps_the_pretrained_encoder(blobs, few_labels, pretrained):
    X, y_partial = few_labels
    clf = FineTunedClassifier(
        pretrained, max_epochs=3, distill_epochs=3, distill_student="head", random_state=0
    ).fit(X, y_partial)
    before = pretrained.encoder_.state_dict()
    after = clf.net_.module_.encoder.state_dict()
    for name in before:
        torch.testing.assert_close(before[name], after[name], rtol=0, atol=0)


def test_a_tuned_student_starts_from_the_teachers_encoder(blobs, few_labels, pretrained):
    X, y_partial = few_labels
    params = dict(max_epochs=10, freeze_epochs=2, distill_student="tuned", random_state=0)
    # one epoch: the encoder stays frozen while the new head learns, so it is the teacher's
    clf = FineTunedClassifier(pretrained, distill_epochs=1, **params).fit(X, y_partial)
    teacher = clf.teacher_net_.module_.network.encoder.state_dict()
    student = clf.net_.module_.network.encoder.state_dict()
    pretrained_weights = pretrained.encoder_.state_dict()
    assert any(not torch.equal(teacher[name], pretrained_weights[name]) for name in teacher)
    for name in teacher:
        torch.testing.assert_close(student[name], teacher[name], rtol=0, atol=0)
    # more epochs: then the encoder learns the teacher's targets too
    clf = FineTunedClassifier(pretrained, distill_epochs=20, **params).fit(X, y_partial)
    student = clf.net_.module_.network.encoder.state_dict()
    teacher = clf.teacher_net_.module_.network.encoder.state_dict()
    assert any(not torch.equal(student[name], teacher[name]) for name in teacher)
    assert clf.score(*blobs) > 0.9


def test_hard_targets_make_a_more_confident_student_than_soft_ones(few_labels, pretrained):
    X, y_partial = few_labels
    params = dict(max_epochs=3, distill_epochs=5, distill_student="head", random_state=0)
    confidence = {}
    for targets in ("soft", "hard"):
        clf = FineTunedClassifier(pretrained, distill_targets=targets, **params)
        confidence[targets] = clf.fit(X, y_partial).predict_proba(X).max(axis=1).mean()
    assert confidence["hard"] > confidence["soft"] + 0.05


def test_same_random_state_same_semi_supervised_model(few_labels, pretrained):
    X, y_partial = few_labels
    params = dict(max_epochs=2, consistency_weight=1.0, distill_epochs=2, random_state=3)
    first = FineTunedClassifier(pretrained, **params).fit(X, y_partial).predict_proba(X)
    second = FineTunedClassifier(pretrained, **params).fit(X, y_partial).predict_proba(X)
    np.testing.assert_array_equal(first, second)


def test_consistency_without_an_augmentation_of_rows_is_refused():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 1, 8, 8)).astype(np.float32)
    y = np.where(np.arange(20) < 4, np.arange(20) % 2, -1)
    mae = MaskedAutoencoder(
        input_shape=(1, 8, 8), patch_size=4, n_components=8, depth=1, n_heads=1,
        decoder_depth=1, max_epochs=1, device="cpu",
    )  # fmt: skip
    clf = FineTunedClassifier(mae, consistency_weight=1.0, max_epochs=1)
    with pytest.raises(ValueError, match="consistency_weight=1.0 needs an augmentation of rows"):
        clf.fit(X.reshape(20, -1), y)
    with pytest.warns(UserWarning, match="augment=True has no effect with MaskedAutoencoder"):
        FineTunedClassifier(mae, augment=True, max_epochs=1).fit(X.reshape(20, -1), y)


@pytest.mark.parametrize("threshold", [0.0, 1.0, 1.5])
def test_a_threshold_outside_zero_one_is_refused(few_labels, pretrained, threshold):
    X, y_partial = few_labels
    clf = FineTunedClassifier(pretrained, consistency_weight=1.0, confidence_threshold=threshold)
    with pytest.raises(InvalidParameterError, match="'confidence_threshold' parameter"):
        clf.fit(X, y_partial)


@pytest.mark.parametrize(
    "n_labeled, message",
    [(0, "no labeled rows|every row|needs labeled"), (1, "at least 2")],
)
def test_too_few_labels_with_unlabeled_objectives(few_labels, pretrained, n_labeled, message):
    X, y_partial = few_labels
    y = np.full_like(y_partial, -1)
    y[:n_labeled] = y_partial[:n_labeled]
    clf = FineTunedClassifier(pretrained, consistency_weight=1.0, distill_epochs=2)
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)
