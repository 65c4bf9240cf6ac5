"""Every public estimator's signature, constraints and docs agree with the shared declarations.

Shared parameters and fitted attributes are declared once
(:mod:`sklearn_ssl._parameters`); these tests make any drift between a
signature, its ``_parameter_constraints``, its docstring and those
declarations fail, and hold the Attributes section of every docstring to
what a fitted instance (a registry case, or a stage-two estimator built from
them) really has.
"""

import ast
import inspect
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, clone

import sklearn_ssl
from sklearn_ssl import FineTunedRegressor
from sklearn_ssl._parameters import PER_METHOD, SharedDocs, section_entries
from sklearn_ssl.base import TRAINING_PARAMETERS, SelfSupervisedTransformer, assign_parameters
from sklearn_ssl.finetune._base import FINE_TUNING_PARAMETERS, BaseFineTuned
from sklearn_ssl.tabular import TabularSelfSupervised
from tests.registry import get_case, parametrize_cases, stage_two_estimators

PUBLIC = [
    getattr(sklearn_ssl, name)
    for name in sklearn_ssl.__all__
    if inspect.isclass(getattr(sklearn_ssl, name))
    and issubclass(getattr(sklearn_ssl, name), BaseEstimator)
]


def _signature(cls):
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return {parameter.name: parameter.default for parameter in parameters}


def _declaration(cls, name):
    """``(owner, SharedParameter)`` nearest in the MRO, or None for the class's own parameter."""
    for klass in cls.__mro__:
        if name in vars(klass).get("_written_parameters", {}):
            return None
        if name in vars(klass).get("_shared_parameters", {}):
            return klass, vars(klass)["_shared_parameters"][name]
    return None


def _default_text(entry):
    header = entry.splitlines()[0]
    match = re.search(r", default=(.*)$", header)
    return None if match is None else match.group(1)


parametrize_public = pytest.mark.parametrize("cls", PUBLIC, ids=lambda cls: cls.__name__)


@parametrize_public
def test_public_estimators_share_their_docs_through_one_mechanism(cls):
    assert issubclass(cls, SharedDocs)


@parametrize_public
def test_constraints_cover_exactly_the_signature(cls):
    assert set(cls._parameter_constraints) == set(_signature(cls))


@parametrize_public
def test_parameters_section_lists_the_signature_in_order(cls):
    assert list(section_entries(cls.__doc__, "Parameters")) == list(_signature(cls))


@parametrize_public
def test_documented_defaults_are_the_signature_defaults(cls):
    entries = section_entries(cls.__doc__, "Parameters")
    for name, default in _signature(cls).items():
        text = _default_text(entries[name])
        if default is inspect.Parameter.empty:
            assert text is None, f"{cls.__name__}.{name} is required but documents a default"
        else:
            assert ast.literal_eval(text) == default, (
                f"{cls.__name__}.{name}: {text} != {default!r}"
            )


@parametrize_public
def test_shared_parameters_follow_their_declaration(cls):
    entries = section_entries(cls.__doc__, "Parameters")
    for name, default in _signature(cls).items():
        found = _declaration(cls, name)
        if found is None:
            continue  # the estimator's own parameter
        owner, shared = found
        where = f"{cls.__name__}.{name} (declared by {owner.__name__})"
        assert entries[name] == shared.entry(name, default), where
        assert cls._parameter_constraints[name] is shared.constraint, where
        if shared.default is not PER_METHOD:
            assert default == shared.default, where


@parametrize_public
def test_own_entries_do_not_repeat_a_shared_text(cls):
    """A class may document a shared parameter its own way, but not copy the shared text."""
    for name, entry in cls._written_parameters.items():
        written = " ".join(entry.split("\n", 1)[1].split())
        for klass in cls.__mro__[1:]:
            shared = vars(klass).get("_shared_parameters", {}).get(name)
            if shared is not None:
                assert written != " ".join(shared.description.split()), (
                    f"{cls.__name__} repeats the shared doc of {name}; drop its own entry"
                )


@pytest.mark.parametrize(
    "base, table",
    [(SelfSupervisedTransformer, TRAINING_PARAMETERS), (BaseFineTuned, FINE_TUNING_PARAMETERS)],
    ids=["training", "fine-tuning"],
)
def test_every_estimator_of_a_family_takes_its_shared_parameters(base, table):
    for cls in PUBLIC:
        if issubclass(cls, base):
            assert set(table) <= set(_signature(cls)), cls.__name__


def test_no_estimator_module_repeats_a_shared_description():
    """A shared text stands once in the sources: where it is declared."""
    declared = {}
    for klass in {klass for cls in PUBLIC for klass in cls.__mro__}:
        for parameter in vars(klass).get("_shared_parameters", {}).values():
            declared[parameter.description] = inspect.getmodule(klass)
    for cls in PUBLIC:
        source = " ".join(inspect.getsource(inspect.getmodule(cls)).split())
        for description, owner in declared.items():
            if inspect.getmodule(cls) is not owner:
                assert " ".join(description.split()) not in source, (cls.__name__, description)


# -- a parameter exists only in the signature ----------------------------------------

LACKS = r"\.__init__ lacks the shared parameter\(s\) weight_decay, score_criterion that its base"


def test_a_method_without_a_shared_parameter_fails_when_defined():
    with pytest.raises(TypeError, match=f"Incomplete{LACKS}"):

        class Incomplete(SelfSupervisedTransformer):
            def __init__(self, n_components=8, *, max_epochs=2, batch_size=16, lr=1e-3,
                         optimizer="adamw", device="cpu", data_on_device="auto",
                         precision="auto", random_state=0, verbose=0, callbacks=None,
                         n_iter_no_change=None, tol=1e-4, compile=False, n_jobs=None):  # fmt: skip
                assign_parameters(self, locals())


def test_a_table_method_without_a_shared_parameter_fails_when_defined():
    with pytest.raises(TypeError, match=f"IncompleteTable{LACKS}"):

        class IncompleteTable(TabularSelfSupervised):
            def __init__(self, n_components=4, *, categorical_features="from_dtype",
                         hidden_layer_sizes=(8,), standardize=True, encoder="mlp",
                         passthrough=False, max_epochs=2, batch_size=16, lr=1e-3,
                         optimizer="adamw", device="cpu", data_on_device="auto",
                         precision="auto", random_state=0, verbose=0, callbacks=None,
                         n_iter_no_change=None, tol=1e-4, compile=False, n_jobs=None):  # fmt: skip
                assign_parameters(self, locals())


@parametrize_cases()
def test_no_parameter_outside_the_signature(case):
    """No shared default stands in for an attribute that the estimator lacks."""
    estimator = clone(case.estimator)
    assert not hasattr(estimator, "not_a_parameter")
    del estimator.score_criterion
    assert not hasattr(estimator, "score_criterion")


# -- fitted attributes -------------------------------------------------------------


def fitted_attributes(estimator):
    """The public fitted attributes of ``estimator``: ``name_`` in its vars, and ``encoder_``."""
    names = {name for name in vars(estimator) if name.endswith("_") and not name.startswith("_")}
    return names | ({"encoder_"} if hasattr(estimator, "encoder_") else set())


def named_columns(X):
    """2-D numeric input as a DataFrame with string column names, so feature_names_in_ is set."""
    return pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])


@parametrize_cases()
def test_fitted_attributes_are_the_documented_ones(case):
    X = case.make_X(40, np.random.default_rng(0))
    if case.lacks("numeric_array") is None:
        X = named_columns(X)
    estimator = clone(case.estimator).fit(X)
    documented = set(section_entries(type(estimator).__doc__, "Attributes"))
    assert fitted_attributes(estimator) == documented


@pytest.mark.parametrize("estimator", stage_two_estimators(), ids=lambda est: type(est).__name__)
def test_stage_two_fitted_attributes_are_the_documented_ones(estimator):
    rng = np.random.default_rng(0)
    X = named_columns(get_case("SCARF").make_X(60, rng))
    y = np.arange(60) % 3
    if isinstance(estimator, FineTunedRegressor):
        y = X.to_numpy()[:, 0]
    estimator = clone(estimator)
    if "max_epochs" in estimator.get_params(deep=False):
        estimator.set_params(max_epochs=2)  # the fine-tuning epochs
    if "distill_epochs" in estimator.get_params(deep=False):
        # teacher_net_ and contrastive_history_ exist only with these steps
        estimator.set_params(distill_epochs=1, contrastive_epochs=1)
    estimator.fit(X, y)
    documented = set(section_entries(type(estimator).__doc__, "Attributes"))
    assert fitted_attributes(estimator) == documented
