"""The one list of estimators the generic reliability tests cover.

Every public estimator appears here once, as a :class:`Case`: a tiny instance
(a few parameters, one or two epochs, CPU) plus a way to make valid training
data. The property-based, fault, persistence, determinism and resource tests
parametrize over :func:`cases`, so a new estimator is covered by adding one
line below. ``kind`` picks the property-based input strategies in
``tests/strategies.py`` ("table", "image" or "text").
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sklearn_ssl import (
    BYOL,
    SCARF,
    VIME,
    BarlowTwins,
    MaskedAutoencoder,
    MaskedLanguageModel,
    RotationPrediction,
    SimCLR,
    VICReg,
)

TINY_TABLE = dict(n_components=3, hidden_layer_sizes=(8,), max_epochs=2, batch_size=16)
TINY_IMAGE = dict(n_components=3, max_epochs=2, batch_size=16, device="cpu", random_state=0)
WORDS = ("cat", "dog", "sat", "on", "the", "mat", "ran", "far", "a", "big", "red", "sun")


def image_rows(n_samples, rng):
    """Flattened 8x8 gray images, two kinds of bars: uint8 0..255."""
    images = rng.integers(0, 40, size=(n_samples, 8, 8))
    images[::2, 3:5, :] += 200  # horizontal bars
    images[1::2, :, 3:5] += 200  # vertical bars
    return images.clip(0, 255).astype(np.uint8).reshape(n_samples, 64)


def sentences(n_samples, rng):
    """Short random sentences of a small vocabulary."""
    return [" ".join(rng.choice(WORDS, size=rng.integers(2, 8))) for _ in range(n_samples)]


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
        Case(SimCLR(**TINY_IMAGE, projection_size=8), image_rows, "image"),
        Case(BYOL(**TINY_IMAGE, projection_size=8, hidden_size=8), image_rows, "image"),
        Case(VICReg(**TINY_IMAGE, projection_size=8), image_rows, "image"),
        Case(BarlowTwins(**TINY_IMAGE, projection_size=8), image_rows, "image"),
        Case(RotationPrediction(**TINY_IMAGE, head_size=8), image_rows, "image"),
        Case(
            MaskedAutoencoder(**TINY_IMAGE, patch_size=2, depth=1, n_heads=1, decoder_width=4),
            image_rows,
            "image",
        ),
        Case(
            MaskedLanguageModel(
                d_model=8,
                n_layers=1,
                n_heads=1,
                vocab_size=60,
                max_epochs=2,
                batch_size=16,
                device="cpu",
                random_state=0,
            ),
            sentences,
            "text",
        ),
    ]


#: Kinds the fault, persistence, determinism, out-of-core and resource tests
#: cover through :func:`parametrize_cases`. Where a generic test does not apply
#: to a case by design, it calls one of the ``skip_unless_*`` helpers below,
#: which say why.
GENERIC_KINDS = ("table", "image", "text")


def parametrize_cases(kind=None):
    """``pytest.mark.parametrize`` over the cases of ``kind`` (default: every kind
    in :data:`GENERIC_KINDS`), with readable ids."""
    import pytest

    kinds = GENERIC_KINDS if kind is None else (kind,)
    selected = [case for case in cases() if case.kind in kinds]
    return pytest.mark.parametrize("case", selected, ids=[case.id for case in selected])


def skip_unless_encoder_swappable(case):
    """Skip cases whose ``encoder`` parameter takes no arbitrary torch module.

    MaskedAutoencoder's encoder must be a VisionTransformer (masking drops patch
    tokens before the encoder, which a generic module cannot take);
    MaskedLanguageModel has no ``encoder`` parameter (its transformer is built
    from the vocabulary of the tokenizer it fits).
    """
    import pytest

    name = type(case.estimator).__name__
    if name in ("MaskedAutoencoder", "MaskedLanguageModel"):
        pytest.skip(f"{name} takes no arbitrary encoder module, by design")


def skip_unless_epochs_are_independent(case):
    """Skip BYOL: its EMA momentum schedule spans ``max_epochs`` (Grill et al.,
    2020), so a shorter fit is not the start of a longer one, by design."""
    import pytest

    if type(case.estimator).__name__ == "BYOL":
        pytest.skip("BYOL's momentum schedule spans max_epochs, by design")


def skip_unless_numeric_array(case):
    """Skip text cases: text comes as strings, not as a numeric (memmap) array."""
    import pytest

    if case.kind == "text":
        pytest.skip("text input is a list of strings; there is no numeric or memmap form")


def skip_unless_saveable(case):
    """Skip text cases: their fitted tokenizer cannot be saved without pickle, so
    ``save`` raises TypeError by design (tests/test_persistence.py checks that)."""
    import pytest

    if case.kind == "text":
        pytest.skip("a fitted tokenizer cannot be saved code-free; save raises TypeError")
