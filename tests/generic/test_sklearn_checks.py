"""scikit-learn's estimator checks on every public estimator, with tiny settings."""

import pytest
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils.estimator_checks import (
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_set_output_transform_polars,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    parametrize_with_checks,
)

from sklearn_ssl import (
    BYOL,
    SCARF,
    VIME,
    BarlowTwins,
    FineTunedClassifier,
    FineTunedRegressor,
    MaskedAutoencoder,
    RotationPrediction,
    SelfSupervisedClassifier,
    SimCLR,
    VICReg,
)

TINY = dict(n_components=4, hidden_layer_sizes=(8,), max_epochs=2, batch_size=32, device="cpu")
IMAGE_TINY = dict(n_components=4, max_epochs=2, batch_size=32, device="cpu")

ESTIMATORS = [
    SCARF(**TINY, projection_size=8),
    VIME(**TINY),
    SimCLR(**IMAGE_TINY, projection_size=8),
    BYOL(**IMAGE_TINY, projection_size=8, hidden_size=8),
    VICReg(**IMAGE_TINY, projection_size=8),
    BarlowTwins(**IMAGE_TINY, projection_size=8),
    RotationPrediction(**IMAGE_TINY, head_size=8),
    MaskedAutoencoder(**IMAGE_TINY, patch_size=1, depth=1, n_heads=1, decoder_width=4),
]

FINE_TUNE = dict(max_epochs=20, freeze_epochs=2, batch_size=32, device="cpu")

# check_classifiers_classes fits on the labels {-1, 1} and expects -1 to become a
# class; scikit-learn exempts only its own semi-supervised estimators (by name),
# so the classifiers are checked with unlabeled=None, which makes -1 an
# ordinary label. tests/test_semi_supervised.py covers unlabeled=-1.
SUPERVISED = [
    FineTunedClassifier(SCARF(**TINY, projection_size=8), unlabeled=None, **FINE_TUNE),
    FineTunedRegressor(VIME(**TINY), **FINE_TUNE),
    FineTunedClassifier(VIME(**TINY), augment=True, unlabeled=None, **FINE_TUNE),
    # A k-NN classifier: check_methods_subset_invariance asks for 1e-7 agreement,
    # and a linear model's decision_function magnifies the float32 rounding of
    # the embeddings (they differ by ~6e-8 between batch sizes) beyond it.
    SelfSupervisedClassifier(
        SCARF(**TINY, projection_size=8, random_state=0),
        KNeighborsClassifier(n_neighbors=3),
        unlabeled=None,
    ),
]


@parametrize_with_checks(ESTIMATORS + SUPERVISED)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


EXTRA_CHECKS = [
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_set_output_transform_polars,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda est: type(est).__name__)
@pytest.mark.parametrize("check", EXTRA_CHECKS, ids=lambda check: check.__name__)
def test_output_and_feature_name_checks(estimator, check):
    check(type(estimator).__name__, estimator)
