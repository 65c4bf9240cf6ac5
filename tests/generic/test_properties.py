"""Property-based tests: hostile inputs either work or fail with a clear error.

For every case of ``tests/registry.py`` and every input category of its kind
in ``tests/strategies.py``, hypothesis draws inputs and
:func:`strategies.outcome` checks that fitting and embedding them either
gives finite embeddings of the right shape or raises ``ValueError`` /
``TypeError`` with advice. Each category also runs the inputs of
``PINNED`` (failures found before), every run.

The settings come from the hypothesis profile (tests/conftest.py): the same
inputs every run under ``make test``, fresh ones under ``make fuzz``; no
deadline, so a machine busy with other work does not fail the suite.
"""

import pytest
from hypothesis import HealthCheck, example, given, settings

from tests.registry import KINDS, cases
from tests.strategies import PINNED, STRATEGIES, outcome

PARAMS = [
    pytest.param(case, category, id=f"{case.id}-{category}")
    for case in cases()
    for category in STRATEGIES.get(case.kind, {})
]


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # inf - inf
@pytest.mark.parametrize("case, category", PARAMS)
def test_hostile_inputs_work_or_raise_clearly(case, category):
    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(X=STRATEGIES[case.kind][category])
    def check(X):
        outcome(case.estimator, X)

    for X in PINNED.get(case.kind, {}).get(category, []):
        check = example(X=X)(check)
    check()


def test_every_estimator_kind_has_strategies():
    missing = {case.id: case.kind for case in cases() if case.kind not in STRATEGIES}
    assert not missing, f"add input strategies for these kinds to tests/strategies.py: {missing}"


def test_strategies_are_keyed_by_the_registry_kinds():
    assert set(STRATEGIES) == set(KINDS)


def test_pinned_inputs_are_keyed_by_strategy_categories():
    pinned = [(kind, category) for kind, categories in PINNED.items() for category in categories]
    unknown = [
        (kind, category) for kind, category in pinned if category not in STRATEGIES.get(kind, {})
    ]
    assert not unknown, f"PINNED names no category of STRATEGIES: {unknown}"
