"""Stage two saves code-free: est.save(path) and sklearn_ssl.load(path)."""

import numpy as np
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from sklearn.frozen import FrozenEstimator

import sklearn_ssl
from sklearn_ssl import SCARF, FineTunedClassifier, FineTunedRegressor

SMALL = dict(n_components=8, hidden_layer_sizes=(32,), projection_size=16, device="cpu")


@pytest.fixture(scope="module")
def pretrained(blobs):
    X, _ = blobs
    return SCARF(**SMALL, max_epochs=2, random_state=0).fit(X)


@pytest.fixture(scope="module")
def semi_supervised(blobs, pretrained):
    """A classifier with string labels, FixMatch and a distilled student."""
    X, y = blobs
    labels = np.array(["ant", "bee", "cat"], dtype=object)[y]
    labels[np.arange(len(y)) % 10 != 0] = -1
    return FineTunedClassifier(
        pretrained, max_epochs=2, consistency_weight=1.0, augment=True, distill_epochs=2,
        random_state=0,
    ).fit(X, labels)  # fmt: skip


def test_a_classifier_with_its_teacher_round_trips(blobs, semi_supervised, tmp_path):
    X, _ = blobs
    semi_supervised.save(tmp_path / "clf.safetensors")
    loaded = sklearn_ssl.load(tmp_path / "clf.safetensors")
    assert type(loaded) is FineTunedClassifier
    np.testing.assert_array_equal(loaded.predict_proba(X), semi_supervised.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), semi_supervised.predict(X))
    assert loaded.classes_.tolist() == ["ant", "bee", "cat"]
    teacher, saved_teacher = loaded.teacher_net_.module_, semi_supervised.teacher_net_.module_
    for name, tensor in saved_teacher.state_dict().items():
        torch.testing.assert_close(teacher.state_dict()[name], tensor, rtol=0, atol=0)
    assert loaded.get_params()["consistency_weight"] == 1.0
    assert loaded.history_[:, "train_loss"] == semi_supervised.history_[:, "train_loss"]
    np.testing.assert_array_equal(
        loaded.estimator_.transform(X), semi_supervised.estimator_.transform(X)
    )


def test_a_loaded_classifier_fine_tunes_the_same_pretraining_again(blobs, pretrained, tmp_path):
    X, y = blobs
    clf = FineTunedClassifier(pretrained, max_epochs=2, random_state=0).fit(X, y)
    clf.save(tmp_path / "clf.safetensors")
    loaded = sklearn_ssl.load(tmp_path / "clf.safetensors")
    assert isinstance(loaded.estimator, FrozenEstimator)
    refit = loaded.fit(X, y)
    np.testing.assert_allclose(refit.predict_proba(X), clf.predict_proba(X), rtol=1e-6, atol=1e-7)


def test_a_multi_output_regressor_round_trips(blobs, pretrained, tmp_path):
    X, _ = blobs
    targets = X[:, :2] * 3.0 + 1.0
    reg = FineTunedRegressor(pretrained, max_epochs=2, random_state=0).fit(X, targets)
    reg.save(tmp_path / "reg.safetensors")
    loaded = sklearn_ssl.load(tmp_path / "reg.safetensors")
    np.testing.assert_array_equal(loaded.predict(X), reg.predict(X))
    assert loaded.predict(X).shape == (len(X), 2)


def test_callbacks_point_to_pickle(blobs, pretrained, tmp_path):
    X, y = blobs
    clf = FineTunedClassifier(pretrained, max_epochs=1, callbacks=[]).fit(X, y)
    clf.set_params(callbacks=[torch.nn.Identity()])
    with pytest.raises(TypeError, match="parameter callbacks.*pickle"):
        clf.save(tmp_path / "clf.safetensors")


def rewrite(path, metadata=None, drop=()):
    with safe_open(str(path), framework="pt") as file:
        old = file.metadata()
    tensors = {k: v for k, v in load_file(str(path)).items() if not k.startswith(drop)}
    save_file(tensors, str(path), metadata={**old, **(metadata or {})})


@pytest.mark.parametrize(
    "metadata, drop, message",
    [
        (None, ("net_.",), "expected net_"),
        ({"transformer": "{not json"}, (), "not valid JSON"),
        ({"transformer": '{"format": "sklearn-ssl"}'}, (), "format version"),
        ({"transformer": '["a list"]'}, (), "not a header"),
    ],
    ids=["no fine-tuned net", "bad JSON", "bad header", "not an object"],
)
def test_altered_files_are_refused(semi_supervised, tmp_path, metadata, drop, message):
    path = tmp_path / "clf.safetensors"
    semi_supervised.save(path)
    rewrite(path, metadata, drop)
    with pytest.raises(ValueError, match=message):
        sklearn_ssl.load(path)
