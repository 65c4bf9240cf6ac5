"""scikit-learn's estimator checks on every public estimator, with tiny settings."""

import pytest
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
    MaskedAutoencoder,
    RotationPrediction,
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


@parametrize_with_checks(ESTIMATORS)
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
