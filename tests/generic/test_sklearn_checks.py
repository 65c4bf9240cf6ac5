"""scikit-learn's estimator checks on every registry case and the stage-two estimators.

The transformers are the registry's tiny cases (``tests/registry.py``) that
have the ``sklearn_checks`` capability; the text case lacks it (it takes
strings) and ``tests/text/test_mlm.py`` holds the equivalent checks.
"""

import pytest
from sklearn.utils.estimator_checks import (
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_set_output_transform_polars,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    parametrize_with_checks,
)

from tests.registry import checked_transformers, stage_two_estimators


@parametrize_with_checks(checked_transformers() + stage_two_estimators())
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


EXTRA_CHECKS = [
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_set_output_transform_polars,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
]


@pytest.mark.parametrize("estimator", checked_transformers(), ids=lambda est: type(est).__name__)
@pytest.mark.parametrize("check", EXTRA_CHECKS, ids=lambda check: check.__name__)
def test_output_and_feature_name_checks(estimator, check):
    check(type(estimator).__name__, estimator)
