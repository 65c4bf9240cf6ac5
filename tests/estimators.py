"""The one list of estimators the generic reliability tests cover.

Every public estimator appears here once, as a :class:`Case`: a tiny instance
(a few parameters, one or two epochs, CPU) plus a way to make valid training
data. The property-based, fault, persistence, determinism and resource tests
parametrize over :func:`cases`, so a new estimator is covered by adding one
line below. ``kind`` picks the property-based input strategies in
``tests/strategies.py`` ("table" so far; add "image" and "text" there).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sklearn_ssl import SCARF, VIME

TINY_TABLE = dict(n_components=3, hidden_layer_sizes=(8,), max_epochs=2, batch_size=16)


def table_rows(n_samples, rng):
    """Two Gaussian clusters in 5 columns: structured, so training has signal."""
    centers = np.array([[3.0, -3.0, 0.0, 1.0, 2.0], [-3.0, 3.0, 1.0, 0.0, -2.0]])
    return centers[np.arange(n_samples) % 2] + rng.normal(size=(n_samples, 5))


@dataclass
class Case:
    """One estimator under test.

    Attributes
    ----------
    estimator : SelfSupervisedTransformer
        A tiny, unfitted instance with ``device="cpu"`` and a ``random_state``.
    make_X : callable
        ``make_X(n_samples, rng) -> X``, valid training input.
    kind : str
        The kind of input, which selects the property-based strategies.
    """

    estimator: object
    make_X: Callable
    kind: str

    @property
    def id(self):
        return type(self.estimator).__name__


def cases():
    """Fresh tiny cases, one per public estimator."""
    return [
        Case(
            SCARF(**TINY_TABLE, projection_size=8, device="cpu", random_state=0),
            table_rows,
            "table",
        ),
        Case(VIME(**TINY_TABLE, device="cpu", random_state=0), table_rows, "table"),
    ]


def parametrize_cases(kind=None):
    """``pytest.mark.parametrize`` over the cases (of one ``kind``), with readable ids."""
    import pytest

    selected = [case for case in cases() if kind is None or case.kind == kind]
    return pytest.mark.parametrize("case", selected, ids=[case.id for case in selected])
