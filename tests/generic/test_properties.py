"""Property-based tests: hostile inputs either work or fail with a clear error.

For every case of ``tests/registry.py`` and every input category of its kind
in ``tests/strategies.py``, hypothesis draws inputs and
:func:`strategies.outcome` checks that fitting and embedding them either
gives finite embeddings of the right shape or raises ``ValueError`` /
``TypeError`` with advice. There is no deadline: a machine busy with other
work must not fail the suite.
"""

import pytest
from hypothesis import HealthCheck, given, settings

from tests.registry import KINDS, cases
from tests.strategies import STRATEGIES, outcome

PARAMS = [
    pytest.param(case, category, id=f"{case.id}-{category}")
    for case in cases()
    for category in STRATEGIES.get(case.kind, {})
]


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # inf - inf
@pytest.mark.parametrize("case, category", PARAMS)
def test_hostile_inputs_work_or_raise_clearly(case, category):
    @settings(
        max_examples=12,
        deadline=None,  # no wall-clock limit: the suite runs beside other work
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(X=STRATEGIES[case.kind][category])
    def check(X):
        outcome(case.estimator, X)

    check()


def test_every_estimator_kind_has_strategies():
    missing = {case.id: case.kind for case in cases() if case.kind not in STRATEGIES}
    assert not missing, f"add input strategies for these kinds to tests/strategies.py: {missing}"


def test_strategies_are_keyed_by_the_registry_kinds():
    assert set(STRATEGIES) == set(KINDS)
