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

from tests.registry import cases, checked_transformers, stage_two_estimators

#: The checks that ask every row's output to be the same whatever rows it comes with.
BATCH_INVARIANCE_CHECKS = (
    "check_methods_subset_invariance",
    "check_methods_sample_order_invariance",
)


def expected_failed_checks(estimator):
    """The batch-invariance checks, for the cases that lack the capability (with the reason)."""
    reason = {case.id: case.lacks("batch_invariant") for case in cases()}.get(
        type(estimator).__name__
    )
    return {} if reason is None else dict.fromkeys(BATCH_INVARIANCE_CHECKS, reason)


@parametrize_with_checks(
    checked_transformers() + stage_two_estimators(), expected_failed_checks=expected_failed_checks
)
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
