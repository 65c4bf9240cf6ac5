"""Shared fixtures: small, structured data sets that train in seconds."""

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits


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
