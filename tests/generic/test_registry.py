"""The registry covers every public self-supervised transformer, once, as a tiny CPU case."""

import inspect

import numpy as np
import pytest

import sklearn_ssl
from sklearn_ssl.base import SelfSupervisedTransformer
from tests.registry import CAPABILITIES, KINDS, Lacks, cases, parametrize_cases

PUBLIC_TRANSFORMERS = {
    name
    for name in sklearn_ssl.__all__
    if inspect.isclass(getattr(sklearn_ssl, name))
    and issubclass(getattr(sklearn_ssl, name), SelfSupervisedTransformer)
}


def test_every_public_transformer_has_exactly_one_case():
    ids = [case.id for case in cases() if not case.variant]
    assert sorted(ids) == sorted(PUBLIC_TRANSFORMERS), "add one Case to tests/registry.py"


def test_variants_are_further_cases_of_public_transformers():
    """A variant (e.g. a pretrained MaskedLanguageModel) adds a case, with its own id."""
    variants = [case for case in cases() if case.variant]
    assert all(type(case.estimator).__name__ in PUBLIC_TRANSFORMERS for case in variants)
    ids = [case.id for case in cases()]
    assert len(ids) == len(set(ids))


def test_cases_are_fresh_instances():
    first, second = cases(), cases()
    assert all(a.estimator is not b.estimator for a, b in zip(first, second, strict=True))


@parametrize_cases()
def test_a_case_is_a_tiny_seeded_cpu_instance_of_its_kind(case):
    params = case.estimator.get_params()
    assert params["device"] == "cpu" and params["random_state"] is not None
    assert params["max_epochs"] <= 2
    assert case.kind in KINDS
    X = case.make_X(8, np.random.default_rng(0))
    assert len(X) == 8
    np.testing.assert_array_equal(
        np.asarray(case.make_X(8, np.random.default_rng(0))), np.asarray(X)
    )  # make_X draws from the rng it is given, nothing else


@parametrize_cases()
def test_capabilities_are_true_or_lacking_with_a_reason(case):
    for capability in CAPABILITIES:
        value = getattr(case, capability)
        assert value is True or (isinstance(value, Lacks) and value.reason.strip()), capability
        assert (case.lacks(capability) is None) is (value is True)


def test_a_lacking_capability_is_a_skip_with_its_reason():
    _, params = parametrize_cases(needs="saveable").args
    skipped = {param.id: param.marks for param in params if param.marks}
    assert set(skipped) == {case.id for case in cases() if case.lacks("saveable")}
    for case in cases():
        if case.id in skipped:
            assert skipped[case.id][0].kwargs["reason"] == f"{case.id}: {case.lacks('saveable')}"


def test_lacks_needs_a_reason():
    with pytest.raises(ValueError, match="say why"):
        Lacks(" ")
    assert not Lacks("a reason")
