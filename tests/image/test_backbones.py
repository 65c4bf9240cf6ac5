"""Pretrained image classification models as ``encoder``: torchvision and timm.

Neither library can sit beside CI's CPU build of torch, so the generic parts
(classifier dropped, input resized, gray repeated to RGB, ImageNet or timm
normalisation, continued pretraining, fine-tuning) are tested with small
stand-in modules shaped like their models; the tests at the end run real
torchvision and timm models where those import, and skip otherwise.
"""

import copy
import os
import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from torch import nn

from sklearn_ssl import BYOL, BarlowTwins, FineTunedClassifier, RotationPrediction, SimCLR, VICReg
from sklearn_ssl.encoders.backbone import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    RepeatChannels,
    Resize,
    headless,
    is_classification_backbone,
)
from tests.registry import image_rows

CPU = dict(max_epochs=1, batch_size=16, device="cpu", random_state=0)


class ResNetLike(nn.Module):
    """Shaped like a torchvision ResNet: RGB stem, global pooling, classifier ``fc``."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, num_classes)
        self.seen = []

    def forward(self, x):
        self.seen.append(tuple(x.shape))
        return self.fc(self.pool(torch.relu(self.bn1(self.conv1(x)))).flatten(1))


ResNetLike.__module__ = "torchvision.models.resnet"  # where torchvision's models live


class VGGLike(ResNetLike):
    """Shaped like VGG: the classifier is a Sequential with hidden layers."""

    def __init__(self):
        super().__init__()
        del self.fc
        self.classifier = nn.Sequential(nn.Linear(8, 12), nn.ReLU(), nn.Linear(12, 10))

    def forward(self, x):
        return self.classifier(self.pool(torch.relu(self.bn1(self.conv1(x)))).flatten(1))


class TimmLike(nn.Module):
    """Shaped like a timm model: ``reset_classifier``, ``num_features``, ``pretrained_cfg``."""

    pretrained_cfg = {"mean": (0.5, 0.5, 0.5), "std": (0.25, 0.25, 0.25)}

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 6, 3, padding=1)
        self.num_features = 6
        self.head = nn.Linear(6, 10)

    def reset_classifier(self, num_classes):
        self.head = nn.Linear(6, num_classes) if num_classes else nn.Identity()

    def forward(self, x):
        return self.head(self.stem(x).mean((2, 3)))


class OwnWithFc(nn.Module):
    """A user's own encoder that happens to end in a layer called ``fc``: kept whole."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.fc = nn.Linear(4, 5)

    def forward(self, x):
        return self.fc(self.conv(x).mean((2, 3)))


@pytest.fixture(scope="module")
def gray():
    """Flattened 8x8 one-channel uint8 images, two kinds of bars."""
    return image_rows(64, np.random.default_rng(0))


# -- the parts --------------------------------------------------------------------------


def test_torchvision_and_timm_models_are_recognised_own_modules_are_not():
    assert is_classification_backbone(ResNetLike())
    assert is_classification_backbone(TimmLike())
    assert not is_classification_backbone(OwnWithFc())


@pytest.mark.parametrize(
    "model, width", [(ResNetLike(), 8), (VGGLike(), 12), (TimmLike(), 6)], ids=type
)
def test_headless_returns_the_pooled_features(model, width):
    out = headless(copy.deepcopy(model))(torch.zeros(2, 3, 8, 8))
    assert out.shape == (2, width)


def test_headless_leaves_a_headless_model_alone():
    model = headless(ResNetLike())
    assert isinstance(model.fc, nn.Identity)
    assert headless(model) is model and isinstance(model.fc, nn.Identity)


def test_resize_and_repeat_channels():
    x = torch.rand(2, 1, 8, 8)
    assert Resize((16, 12))(x).shape == (2, 1, 16, 12)
    assert Resize((8, 8))(x) is x
    rgb = RepeatChannels(3)(x)
    assert rgb.shape == (2, 3, 8, 8) and torch.equal(rgb[:, 2], x[:, 0])


# -- estimators with a backbone ------------------------------------------------------------


def test_a_torchvision_model_embeds_with_its_weights_as_given(gray):
    """max_epochs=0: the headless model on resized, RGB, ImageNet-normalised images."""
    model = ResNetLike()
    est = SimCLR(encoder=model, resize=16, flip=False, **{**CPU, "max_epochs": 0}).fit(gray)
    assert est.n_components_ == 8 and isinstance(model.fc, nn.Linear)  # the user's is untouched
    images = torch.as_tensor(gray[:4], dtype=torch.float32).reshape(4, 1, 8, 8) / 255
    images = nn.functional.interpolate(images, (16, 16), mode="bilinear", antialias=True)
    mean = torch.tensor(IMAGENET_MEAN).reshape(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).reshape(1, 3, 1, 1)
    expected = headless(copy.deepcopy(model)).eval()((images.expand(-1, 3, -1, -1) - mean) / std)
    np.testing.assert_allclose(est.transform(gray[:4]), expected.detach().numpy(), atol=1e-5)
    assert est.encoder_.network[-1].seen[-1][1:] == (3, 16, 16)


def test_timm_models_use_their_configured_statistics(gray):
    est = SimCLR(encoder=TimmLike(), **{**CPU, "max_epochs": 0}).fit(gray)
    normalize = est.encoder_.network[-2]
    np.testing.assert_allclose(normalize.mean.ravel(), [0.5] * 3)
    np.testing.assert_allclose(normalize.std.ravel(), [0.25] * 3)


@pytest.mark.parametrize(
    "normalize, mean",
    [("data", None), ("imagenet", IMAGENET_MEAN), (((0.1, 0.2, 0.3), (1, 1, 1)), (0.1, 0.2, 0.3))],
)
def test_normalize_choices(gray, normalize, mean):
    est = SimCLR(encoder=ResNetLike(), normalize=normalize, **{**CPU, "max_epochs": 0}).fit(gray)
    got = est.encoder_.network[-2].mean.ravel().numpy()
    if mean is None:  # the training images' statistics, repeated to the 3 channels
        expected = gray.astype(np.float64).mean() / 255
        np.testing.assert_allclose(got, [expected] * 3, rtol=1e-5)
    else:
        np.testing.assert_allclose(got, mean, rtol=1e-6)


def test_own_encoders_keep_their_layers_and_data_statistics(gray):
    est = SimCLR(encoder=OwnWithFc(), **{**CPU, "max_epochs": 0}).fit(gray)
    assert est.n_components_ == 5  # its fc stays
    assert len(est.encoder_.network) == 2  # Normalize, the module: nothing added
    rgb_own = nn.Sequential(nn.Conv2d(3, 4, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    with pytest.raises(ValueError, match="cannot take images"):  # no silent gray-to-RGB
        SimCLR(encoder=rgb_own, **CPU).fit(gray)
    np.testing.assert_allclose(
        est.encoder_.network[0].mean.ravel(), [gray.astype(np.float64).mean() / 255], rtol=1e-5
    )


@pytest.mark.parametrize("method", [SimCLR, BYOL, VICReg, BarlowTwins, RotationPrediction])
def test_methods_continue_pretraining_from_the_backbone(gray, method):
    model = ResNetLike()
    before = copy.deepcopy(model.state_dict())
    extra = {} if method is RotationPrediction else {"flip": False}
    est = method(encoder=model, resize=12, **extra, **{**CPU, "max_epochs": 2}).fit(gray)
    assert est.n_iter_ == 2 and est.transform(gray).shape == (len(gray), 8)
    trained = est.encoder_.network[-1].conv1.weight
    assert not torch.equal(trained, before["conv1.weight"]), "training moved the weights"
    assert all(torch.equal(model.state_dict()[k], v) for k, v in before.items())


def test_fine_tuning_a_backbone(gray):
    y = np.arange(len(gray)) % 2  # image_rows alternates the two kinds of bars
    clf = FineTunedClassifier(
        SimCLR(encoder=ResNetLike(), **{**CPU, "max_epochs": 0}),
        max_epochs=30,
        freeze_epochs=0,
        encoder_lr_scale=1.0,
        device="cpu",
        random_state=0,
    ).fit(gray, y)
    assert clf.score(gray, y) >= 0.9


def test_bad_resize_and_normalize(gray):
    with pytest.raises(ValueError, match="resize must be None, a positive int or"):
        SimCLR(encoder=ResNetLike(), resize=(8, 0), **CPU).fit(gray)
    with pytest.raises(ValueError, match="normalize must be"):
        SimCLR(encoder=ResNetLike(), normalize=((0.5,), (0.0,)), **CPU).fit(gray)
    with pytest.raises(ValueError, match="gives 2 channel statistics, but the encoder receives"):
        SimCLR(encoder=ResNetLike(), normalize=((0.5, 0.5), (1, 1)), **CPU).fit(gray)


def test_a_model_that_needs_its_training_size_says_so(gray):
    class FixedSize(ResNetLike):
        def forward(self, x):
            assert x.shape[-1] == 32, "Wrong image width!"  # as torchvision's ViT does
            return super().forward(x)

    FixedSize.__module__ = ResNetLike.__module__

    with pytest.raises(ValueError, match="resize=224"):
        SimCLR(encoder=FixedSize(), **CPU).fit(gray)
    SimCLR(encoder=FixedSize(), resize=32, **CPU).fit(gray)


def test_clone_and_grid_parameters(gray):
    est = SimCLR(encoder=ResNetLike(), resize=(16, 16), normalize="imagenet", **CPU)
    cloned = clone(est)
    assert cloned.get_params()["resize"] == (16, 16) and cloned.encoder is not est.encoder


# -- the real libraries, where they import ------------------------------------------------------


def import_or_skip(name):
    """Import ``name`` or skip; torchvision from PyPI fails to import beside some torch
    builds (not an ImportError), which also means it is not usable here. In the
    environment made for them (``make test-backbones``) they must import."""
    try:
        return __import__(name)
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("SKLEARN_SSL_REQUIRE_BACKBONES"):
            raise
        pytest.skip(f"{name} is not usable here: {type(exc).__name__}: {exc}")


def test_a_real_torchvision_resnet(gray):
    torchvision = import_or_skip("torchvision")
    model = torchvision.models.resnet18(num_classes=7)
    est = SimCLR(encoder=model, resize=32, flip=False, **CPU).fit(gray)
    assert est.transform(gray).shape == (len(gray), 512)
    assert isinstance(model.fc, nn.Linear)
    clf = FineTunedClassifier(est, max_epochs=1, freeze_epochs=0, device="cpu").fit(
        gray, np.arange(len(gray)) % 2
    )
    assert clf.predict(gray).shape == (len(gray),)


def test_a_real_resnet_adapts_gray_input_and_pickles(gray):
    torchvision = import_or_skip("torchvision")
    est = SimCLR(encoder=torchvision.models.resnet18(), resize=32, **CPU).fit(gray)
    assert any(isinstance(part, RepeatChannels) for part in est.encoder_.modules())
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(est)).transform(gray),
                                  est.transform(gray))  # fmt: skip
    with pytest.raises(TypeError, match="pickle"):  # a user's module is code: no code-free file
        est.save("never-written.safetensors")


def test_a_real_resnet_frozen_then_fine_tuned(gray):
    torchvision = import_or_skip("torchvision")
    est = SimCLR(encoder=torchvision.models.resnet18(), resize=32, **{**CPU, "max_epochs": 0})
    est.fit(gray)
    y = np.arange(len(gray)) % 2
    before = copy.deepcopy(est.encoder_.state_dict())
    probe = FineTunedClassifier(est, max_epochs=2, freeze_epochs=2, device="cpu").fit(gray, y)
    tuned = FineTunedClassifier(est, max_epochs=2, freeze_epochs=1, device="cpu").fit(gray, y)
    frozen_after = probe.net_.module_.encoder.state_dict()
    tuned_after = tuned.net_.module_.encoder.state_dict()
    assert all(torch.equal(before[name], frozen_after[name]) for name in before)
    assert any(not torch.equal(before[name], tuned_after[name]) for name in before)


def test_a_real_torchvision_vit_needs_and_gets_its_size(gray):
    torchvision = import_or_skip("torchvision")
    vit = torchvision.models.VisionTransformer(
        image_size=32, patch_size=8, num_layers=1, num_heads=2, hidden_dim=16, mlp_dim=32
    )
    with pytest.raises(ValueError, match="resize=224"):
        SimCLR(encoder=vit, **CPU).fit(gray)
    est = SimCLR(encoder=vit, resize=32, **{**CPU, "max_epochs": 0}).fit(gray)
    assert est.transform(gray).shape == (len(gray), 16)


@pytest.mark.parametrize("name, width", [("resnet18", 512), ("vit_tiny_patch16_224", 192)])
def test_a_real_timm_model(gray, name, width):
    timm = import_or_skip("timm")
    model = timm.create_model(name, pretrained=False, num_classes=5)
    resize = 32 if name.startswith("resnet") else 224
    est = BYOL(encoder=model, resize=resize, **{**CPU, "max_epochs": 0, "batch_size": 4})
    est.fit(gray[:8])
    assert est.transform(gray[:4]).shape == (4, width)
    normalize = est.encoder_.network[-2]
    np.testing.assert_allclose(normalize.mean.ravel(), model.pretrained_cfg["mean"], rtol=1e-6)
