"""The view methods' ``augmentation`` recipes: what "auto" picks, what wins, what is kept.

Small single-channel images get the small-gray recipe, everything else the
natural one (the defaults before 0.2.0, so colour images train exactly as
they did); an explicit augmentation parameter always wins, and ``augmentation_``
says what a fit used.
"""

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

import sklearn_ssl
from sklearn_ssl import BYOL, SimCLR
from sklearn_ssl.image import ViewsSelfSupervised
from sklearn_ssl.image._recipes import RECIPES, recipe_for, resolve_augmentation
from tests.registry import IMAGE, cases

SAVED = Path(__file__).parents[1] / "generic" / "saved_v0_1_0"
CPU = dict(n_components=8, projection_size=8, batch_size=32, device="cpu", random_state=0)
#: The defaults of the augmentation parameters before the recipes (0.1.0).
OLD_DEFAULTS = dict(
    crop_scale=(0.08, 1.0),
    flip=True,
    rotation=0.0,
    elastic=0.0,
    jitter=0.5,
    grayscale=0.2,
    blur=0.5,
    noise=0.0,
)
VIEW_METHODS = [
    type(case.estimator) for case in cases(IMAGE) if isinstance(case.estimator, ViewsSelfSupervised)
]


@pytest.mark.parametrize(
    ("shape", "recipe"),
    [
        ((1, 8, 8), "small_gray"),
        ((1, 28, 28), "small_gray"),
        ((1, 32, 32), "small_gray"),
        ((1, 1, 30), "small_gray"),
        ((1, 33, 33), "natural"),
        ((1, 64, 64), "natural"),
        ((3, 8, 8), "natural"),
        ((3, 32, 32), "natural"),
        ((4, 28, 28), "natural"),
    ],
)
def test_auto_picks_the_small_gray_recipe_for_small_single_channel_images(shape, recipe):
    assert recipe_for("auto", shape) == recipe
    assert recipe_for("natural", (1, 8, 8)) == "natural"
    assert recipe_for("small_gray", (3, 224, 224)) == "small_gray"


def test_the_natural_recipe_is_the_old_defaults():
    assert RECIPES["natural"] == OLD_DEFAULTS


@pytest.mark.parametrize("cls", VIEW_METHODS, ids=lambda cls: cls.__name__)
def test_fit_resolves_the_recipe_into_augmentation_(cls, digits):
    X, _ = digits
    model = cls(max_epochs=0, device="cpu").fit(X[:40])
    assert model.augmentation_ == {"recipe": "small_gray", **RECIPES["small_gray"]}
    assert model.get_params()["flip"] is None  # the parameters are left as given
    natural = clone(model).set_params(augmentation="natural").fit(X[:40])
    assert natural.augmentation_ == {"recipe": "natural", **OLD_DEFAULTS}


def test_explicit_parameters_win_over_the_recipe(digits):
    X, _ = digits
    model = SimCLR(flip=True, noise=0.0, crop_scale=[0.5, 1], max_epochs=0, device="cpu")
    resolved = model.fit(X[:40]).augmentation_
    assert resolved == {
        **RECIPES["small_gray"],
        "recipe": "small_gray",
        "flip": True,
        "noise": 0.0,
        "crop_scale": (0.5, 1.0),
    }
    explicit = resolve_augmentation("natural", (3, 32, 32), dict.fromkeys(OLD_DEFAULTS, 0.0))
    assert explicit == {"recipe": "natural", **dict.fromkeys(OLD_DEFAULTS, 0.0)}


def test_an_unknown_recipe_names_the_parameter_and_the_choices(digits):
    X, _ = digits
    with pytest.raises(InvalidParameterError, match=r"'augmentation' parameter.*'small_gray'"):
        SimCLR(augmentation="photo", max_epochs=0).fit(X[:40])


def test_a_bad_explicit_crop_scale_still_says_what_is_expected(digits):
    X, _ = digits
    with pytest.raises(ValueError, match=r"crop_scale must be \(min, max\)"):
        SimCLR(crop_scale=(0.5, 2.0), max_epochs=0).fit(X[:40])


@pytest.mark.parametrize("cls", [SimCLR, BYOL], ids=lambda cls: cls.__name__)
def test_colour_images_train_exactly_as_with_the_old_defaults(cls):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(48, 3, 8, 8), dtype=np.uint8)
    default = cls(**CPU, max_epochs=1).fit(X)
    assert default.augmentation_["recipe"] == "natural"
    old = cls(**CPU, **OLD_DEFAULTS, max_epochs=1).fit(X)
    np.testing.assert_array_equal(default.transform(X), old.transform(X))
    # the recipe changes training on gray images: the test above can fail
    gray = X[:, :1]
    auto = cls(**CPU, max_epochs=1).fit(gray)
    natural = cls(**CPU, augmentation="natural", max_epochs=1).fit(gray)
    assert not np.allclose(auto.transform(gray), natural.transform(gray))


@pytest.mark.parametrize("name", ["simclr", "byol"])
def test_a_v0_1_0_file_resolves_to_the_augmentation_it_was_trained_with(name):
    estimator = sklearn_ssl.load(SAVED / f"{name}.safetensors")
    assert estimator.augmentation == "natural"
    expected = {**OLD_DEFAULTS, "flip": name != "simclr"}  # make_files.py: SimCLR without flips
    assert estimator.augmentation_ == {"recipe": "natural", **expected}
