"""The one registry of estimator cases: every public self-supervised transformer, once.

A :class:`Case` is a tiny instance of a method (a few parameters, two epochs,
``device="cpu"``, a ``random_state``), a way to make valid training data and
the kind of that data. Every generic test (``tests/generic/``: scikit-learn's
checks, hostile inputs, faults, persistence, determinism, resources,
out-of-core, the documented fitted attributes) parametrizes over
:func:`cases`, and the stage-two estimators scikit-learn's checks also cover
are built from them (:func:`stage_two_estimators`).

**Adding a method means adding one entry to the list in** :func:`cases`. A
generic test that cannot apply to a method by design does not look at its
name: the case says which capability (:data:`CAPABILITIES`) it lacks, with the
reason, as ``Lacks("...")`` next to the capability, and
:func:`parametrize_cases` turns that into a skip that shows the reason.
``kind`` picks the hostile-input strategies of ``tests/strategies.py``; a new
kind needs strategies there.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.neighbors import KNeighborsClassifier

from sklearn_ssl import (
    BYOL,
    SCARF,
    VIME,
    BarlowTwins,
    FineTunedClassifier,
    FineTunedRegressor,
    MaskedAutoencoder,
    MaskedLanguageModel,
    MaskedTimeSeriesAutoencoder,
    RotationPrediction,
    SeededKMeansClassifier,
    SelfSupervisedClassifier,
    SimCLR,
    TS2Vec,
    VICReg,
)

#: The kinds of input; each has its hostile-input strategies in tests/strategies.py.
TABLE, IMAGE, TEXT, SERIES = "table", "image", "text", "series"
KINDS = (TABLE, IMAGE, TEXT, SERIES)

WORDS = ("cat", "dog", "sat", "on", "the", "mat", "ran", "far", "a", "big", "red", "sun")


def table_rows(n_samples, rng):
    """Two Gaussian clusters in 5 columns: structured, so training has signal."""
    centers = np.array([[3.0, -3.0, 0.0, 1.0, 2.0], [-3.0, 3.0, 1.0, 0.0, -2.0]])
    return centers[np.arange(n_samples) % 2] + rng.normal(size=(n_samples, 5))


def image_rows(n_samples, rng):
    """Flattened 8x8 gray images, two kinds of bars: uint8 0..255."""
    images = rng.integers(0, 40, size=(n_samples, 8, 8))
    images[::2, 3:5, :] += 200  # horizontal bars
    images[1::2, :, 3:5] += 200  # vertical bars
    return images.clip(0, 255).astype(np.uint8).reshape(n_samples, 64)


def sentences(n_samples, rng):
    """Short random sentences of a small vocabulary."""
    return [" ".join(rng.choice(WORDS, size=rng.integers(2, 8))) for _ in range(n_samples)]


def series_rows(n_samples, rng, length=24):
    """Univariate series as a 2-D (n, length) table: noisy sines and square waves, any phase."""
    t = np.linspace(0, 4 * np.pi, length)
    phase = rng.uniform(0, 2 * np.pi, size=(n_samples, 1))
    sine = np.sin(t + phase)
    square = np.sign(np.sin(t + phase)) + 0.5
    shapes = np.where((np.arange(n_samples) % 2 == 0)[:, None], sine, square)
    return shapes + 0.1 * rng.normal(size=(n_samples, length))


class Lacks:
    """A capability a case does not have, by design, and why. It is falsy.

    Parameters
    ----------
    reason : str
        Why the method cannot have it; the skip of every test that needs it says so.
    """

    def __init__(self, reason):
        if not reason.strip():
            raise ValueError("say why the case lacks the capability")
        self.reason = reason

    def __bool__(self):
        return False

    def __repr__(self):
        return f"Lacks({self.reason!r})"


@dataclass(frozen=True)
class Case:
    """One public self-supervised transformer under test.

    Attributes
    ----------
    estimator : SelfSupervisedTransformer
        A tiny, unfitted instance with ``device="cpu"`` and a ``random_state``.
    make_X : callable
        ``make_X(n_samples, rng) -> X``, valid training input.
    kind : {"table", "image", "text", "series"}
        The kind of input, which selects the hostile-input strategies.
    encoder_swappable, epochs_independent, numeric_array, saveable, sklearn_checks, batch_invariant
        True, or :class:`Lacks` with the reason (see :data:`CAPABILITIES`).
    variant : str
        Names a second case of the same class (e.g. ``"pretrained"``) in test ids.
    """

    estimator: object
    make_X: Callable
    kind: str
    encoder_swappable: object = True
    epochs_independent: object = True
    numeric_array: object = True
    saveable: object = True
    sklearn_checks: object = True
    batch_invariant: object = True
    variant: str = ""

    @property
    def id(self):
        name = type(self.estimator).__name__
        return f"{name}-{self.variant}" if self.variant else name

    def lacks(self, capability):
        """The reason the case lacks ``capability``, or None when it has it."""
        value = getattr(self, capability)
        return None if value is True else value.reason


#: What a generic test may need of a case, and what it means.
CAPABILITIES = {
    "encoder_swappable": "the encoder parameter takes an arbitrary torch module",
    "epochs_independent": "a fit of n epochs is the start of a longer fit",
    "numeric_array": "input is a numeric array, which can also be an np.memmap",
    "saveable": "a fitted instance saves code-free with est.save",
    "sklearn_checks": "scikit-learn's parametrize_with_checks applies (2-D numeric input)",
    "batch_invariant": "transform gives every row the same float32 bits in any batch",
}
assert set(CAPABILITIES) == {f.name for f in fields(Case) if f.default is True}


#: Why the series methods' embeddings may differ in the last bit between batchings.
SEQUENCE_NETWORK = (
    "a series method's encoder module is a sequence network (states per timestamp or "
    "patch, with a step), not a row encoder like tests/generic/faulty_encoders.py's; "
    "tests/timeseries/test_encoder_modules.py covers a user network"
)
ROUNDING_WITH_BATCH = (
    "torch's 1-D convolutions and GELU round differently with the batch size and "
    "position (1 float32 ulp, about 1e-7 relative, above the checks' rtol=1e-7); "
    "tests/timeseries/test_methods.py holds the embeddings of any batching to 1e-5"
)


def has_transformers():
    """Whether ``transformers`` imports (the pretrained text case needs it)."""
    try:
        import transformers  # noqa: F401
    except ImportError:
        return False
    return True


def cases(kind=None):
    """Fresh tiny cases, one per public self-supervised transformer (of ``kind``).

    The registry: a new method is one more ``Case`` in this list.
    """
    table = dict(n_components=3, hidden_layer_sizes=(8,), max_epochs=2, batch_size=16)
    image = dict(n_components=3, max_epochs=2, batch_size=16)
    cpu = dict(device="cpu", random_state=0)
    registry = [
        Case(SCARF(**table, projection_size=8, **cpu), table_rows, TABLE),
        Case(
            SCARF(**table, projection_size=8, n_neighbors=3, **cpu),
            table_rows,
            TABLE,
            variant="neighbors",
        ),
        Case(VIME(**table, **cpu), table_rows, TABLE),
        Case(SimCLR(**image, projection_size=8, **cpu), image_rows, IMAGE),
        Case(
            BYOL(**image, projection_size=8, hidden_size=8, **cpu),
            image_rows,
            IMAGE,
            epochs_independent=Lacks(
                "BYOL's momentum schedule spans max_epochs (Grill et al. 2020): "
                "a shorter fit is not the start of a longer one"
            ),
        ),
        Case(VICReg(**image, projection_size=8, **cpu), image_rows, IMAGE),
        Case(BarlowTwins(**image, projection_size=8, **cpu), image_rows, IMAGE),
        Case(RotationPrediction(**image, head_size=8, **cpu), image_rows, IMAGE),
        Case(
            # 1-pixel patches: scikit-learn's checks feed rows of a few features,
            # which are images 1 pixel high
            MaskedAutoencoder(**image, patch_size=1, depth=1, n_heads=1, decoder_width=4, **cpu),
            image_rows,
            IMAGE,
            encoder_swappable=Lacks(
                "MAE masks patch tokens before its encoder: the encoder must be a VisionTransformer"
            ),
        ),
        Case(
            MaskedLanguageModel(
                n_components=8,
                n_heads=1,
                depth=1,
                vocab_size=60,
                max_epochs=2,
                batch_size=16,
                **cpu,
            ),
            sentences,
            TEXT,
            encoder_swappable=Lacks(
                "MaskedLanguageModel has no encoder parameter: its transformer is built "
                "from the vocabulary of the tokenizer it fits"
            ),
            numeric_array=Lacks("text is a list of strings: there is no numeric or memmap form"),
            sklearn_checks=Lacks(
                "parametrize_with_checks feeds numeric arrays, which a text estimator "
                "refuses; tests/text/test_mlm.py has the equivalent checks on strings"
            ),
        ),
        Case(
            TS2Vec(n_components=3, width=4, depth=1, max_epochs=2, batch_size=16, **cpu),
            series_rows,
            SERIES,
            encoder_swappable=Lacks(SEQUENCE_NETWORK),
            batch_invariant=Lacks(ROUNDING_WITH_BATCH),
        ),
        Case(
            MaskedTimeSeriesAutoencoder(
                n_components=3, depth=1, patch_size=4, max_epochs=2, batch_size=16, **cpu
            ),
            series_rows,
            SERIES,
            encoder_swappable=Lacks(SEQUENCE_NETWORK),
            batch_invariant=Lacks(ROUNDING_WITH_BATCH),
        ),
    ]
    if has_transformers():
        from tests.text.checkpoints import shared_checkpoint

        registry.append(
            Case(
                MaskedLanguageModel(
                    pretrained=shared_checkpoint(),
                    max_length=16,
                    max_epochs=2,
                    batch_size=16,
                    **cpu,
                ),
                sentences,
                TEXT,
                encoder_swappable=Lacks("the encoder is the pretrained checkpoint's"),
                numeric_array=Lacks(
                    "text is a list of strings: there is no numeric or memmap form"
                ),
                sklearn_checks=Lacks(
                    "parametrize_with_checks feeds numeric arrays, which a text estimator "
                    "refuses; tests/text/test_pretrained.py covers the pretrained path"
                ),
                variant="pretrained",
            )
        )
    return [case for case in registry if kind is None or case.kind == kind]


def get_case(name):
    """A fresh instance of the case with id ``name`` (the estimator's class name)."""
    return next(case for case in cases() if case.id == name)


def parametrize_cases(kind=None, needs=(), lacking=None):
    """``pytest.mark.parametrize("case", ...)`` over the cases, with readable ids.

    Parameters
    ----------
    kind : str or None
        Only the cases of this kind.
    needs : str or tuple of str
        Capabilities the test needs: a case that lacks one is skipped with its reason.
    lacking : str or None
        Only the cases that lack this capability (tests of what happens instead).
    """
    needs = (needs,) if isinstance(needs, str) else tuple(needs)
    unknown = (set(needs) | {lacking}) - {None} - set(CAPABILITIES)
    assert not unknown, f"unknown capabilities: {unknown}"
    params = []
    for case in cases(kind):
        if lacking is not None and case.lacks(lacking) is None:
            continue
        reasons = [case.lacks(need) for need in needs if case.lacks(need) is not None]
        marks = [pytest.mark.skip(reason=f"{case.id}: {reason}") for reason in reasons[:1]]
        params.append(pytest.param(case, id=case.id, marks=marks))
    return pytest.mark.parametrize("case", params)


# -- scikit-learn's estimator checks ----------------------------------------------------


def checked_transformers():
    """The transformers scikit-learn's ``parametrize_with_checks`` covers: every case
    that has the ``sklearn_checks`` capability, as registered."""
    return [case.estimator for case in cases() if case.lacks("sklearn_checks") is None]


#: Stage two trains longer than the pretraining: check_classifiers_train wants
#: accuracy from 20 epochs on a few rows.
FINE_TUNE = dict(max_epochs=20, freeze_epochs=2, batch_size=32, device="cpu")


def stage_two_estimators():
    """The stage-two estimators scikit-learn's checks cover, built from registry cases."""
    scarf, vime = get_case("SCARF").estimator, get_case("VIME").estimator
    return [
        # check_classifiers_classes fits on the labels {-1, 1} and expects -1 to
        # become a class; scikit-learn exempts only its own semi-supervised
        # estimators (by name), so the classifiers are checked with unlabeled=None,
        # which makes -1 an ordinary label. tests/finetune/test_semi_supervised.py
        # covers unlabeled=-1.
        FineTunedClassifier(clone(scarf), unlabeled=None, **FINE_TUNE),
        FineTunedRegressor(clone(vime), **FINE_TUNE),
        FineTunedClassifier(clone(vime), augment=True, unlabeled=None, **FINE_TUNE),
        # A k-NN classifier: check_methods_subset_invariance asks for 1e-7
        # agreement, and a linear model's decision_function magnifies the float32
        # rounding of the embeddings (they differ by ~6e-8 between batch sizes)
        # beyond it.
        SelfSupervisedClassifier(clone(scarf), KNeighborsClassifier(n_neighbors=3), unlabeled=None),
        SeededKMeansClassifier(unlabeled=None),
    ]
