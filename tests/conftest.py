"""Shared fixtures: small, structured data sets that train in seconds.

Also the hypothesis profiles of the property tests (tests/generic/test_properties.py):
``"repeatable"``, loaded here and used by ``make test``, draws the same inputs
every run (``derandomize=True``), so the suite passes or fails for a reason;
``"fuzz"`` (``make fuzz``, which passes ``--hypothesis-profile=fuzz`` and a new
``--hypothesis-seed`` that it prints) draws fresh ones. Pin every failure that
fuzzing finds as an example in tests/strategies.py (``PINNED``).
"""

import numpy as np
import pytest
import torch
from hypothesis import settings
from sklearn.datasets import load_digits

settings.register_profile(
    "repeatable",
    derandomize=True,
    database=None,  # nothing is replayed from earlier runs: the inputs depend on the code alone
    max_examples=12,
    deadline=None,  # no wall-clock limit: the suite runs beside other work
)
settings.register_profile(
    "fuzz",
    settings.get_profile("repeatable"),
    derandomize=False,  # random inputs from --hypothesis-seed
    print_blob=True,  # a failure prints its @reproduce_failure line
)
settings.load_profile("repeatable")  # --hypothesis-profile loads another after this


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    """Tiny models run fastest, and reproducibly, on one thread."""
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def digits():
    """The 8x8 digits as a 64-column table: (X float64, y)."""
    return load_digits(return_X_y=True)


@pytest.fixture(scope="session")
def blobs():
    """Three well-separated Gaussian clusters in 10-D: (X, y)."""
    rng = np.random.default_rng(0)
    centers = rng.normal(scale=4.0, size=(3, 10))
    y = np.repeat(np.arange(3), 60)
    X = centers[y] + rng.normal(size=(len(y), 10))
    return X, y
