"""Each training row with its nearest rows: what SCARF trains on with ``n_neighbors``."""

import math

import numpy as np


def nearest_rows(encoded, n_neighbors, chunk_bytes=2**26):
    """Indices of each row's ``n_neighbors`` nearest other rows, nearest first.

    Squared Euclidean distances from one matrix product per chunk of rows (about
    ``chunk_bytes`` of distances at a time). The search is written out rather
    than taken from scikit-learn's ``NearestNeighbors``, whose parallel search
    breaks ties between equally distant rows differently with the number of
    threads; here the same rows give the same neighbours on any machine setup.

    Parameters
    ----------
    encoded : ndarray of shape (n_samples, n_encoded)
        The rows in the space where nearness is measured.
    n_neighbors : int
        Neighbours per row, fewer than ``n_samples``.
    chunk_bytes : int, default=2**26
        Memory of the distances computed at once.

    Returns
    -------
    neighbours : ndarray of shape (n_samples, n_neighbors), int64
        Each row is left out of its own neighbours (a duplicate row is not).
    """
    encoded = np.asarray(encoded, dtype=np.float64)
    n_samples = len(encoded)
    squared_norms = np.einsum("ij,ij->i", encoded, encoded)  # (n,)
    chunk_rows = max(1, chunk_bytes // (8 * n_samples))
    found = []
    for start in range(0, n_samples, chunk_rows):
        rows = np.arange(start, min(start + chunk_rows, n_samples))  # (c,)
        distances = squared_norms[rows, None] - 2 * encoded[rows] @ encoded.T + squared_norms
        distances[np.arange(len(rows)), rows] = np.inf  # (c, n): each row leaves itself out
        nearest = np.argpartition(distances, n_neighbors - 1, axis=1)[:, :n_neighbors]  # (c, k)
        order = np.take_along_axis(distances, nearest, axis=1).argsort(axis=1, kind="stable")
        found.append(np.take_along_axis(nearest, order, axis=1))
    return np.concatenate(found)


class RowsWithNeighbours:
    """Each row followed by its nearest rows, gathered when a batch is read.

    To the engine it is a read-only float32 array of shape
    ``(n_samples, 1 + n_neighbors, n_features)``: it has ``len``, ``shape``,
    ``size`` and ``itemsize``, gives the stacked rows of an index or slice, and
    ``np.asarray`` gathers them all (a device-resident copy holds
    ``n_neighbors + 1`` copies of the rows). Its ``base`` is the rows, so rows
    memory-mapped from a file are still streamed batch by batch
    (``data_on_device="auto"``), never copied whole.

    Parameters
    ----------
    rows : ndarray of shape (n_samples, n_features)
        Validated rows, as the encoder takes them (numbers, NaN where missing,
        and category codes).
    neighbours : ndarray of shape (n_samples, n_neighbors)
        Indices of each row's neighbours (:func:`nearest_rows`).
    """

    dtype = np.dtype(np.float32)
    itemsize = dtype.itemsize

    def __init__(self, rows, neighbours):
        self.base = rows
        self.index = np.hstack([np.arange(len(rows))[:, None], neighbours])  # (n, 1 + k)

    @property
    def shape(self):
        return (*self.index.shape, *self.base.shape[1:])

    @property
    def size(self):
        return math.prod(self.shape)

    def __len__(self):
        return len(self.index)

    def __getitem__(self, rows):
        index = self.index[rows]  # (b, 1 + k)
        gathered = np.asarray(self.base[index.ravel()], dtype=np.float32)  # (b * (1 + k), F)
        return gathered.reshape(*index.shape, *self.base.shape[1:])  # (b, 1 + k, F)

    def __array__(self, dtype=None, copy=None):
        stacked = self[:]  # (n, 1 + k, F)
        return stacked if dtype is None else stacked.astype(dtype, copy=False)


def with_nearest_rows(rows, encoded, n_neighbors):
    """Each row with its ``n_neighbors`` nearest other rows.

    Parameters
    ----------
    rows : ndarray of shape (n_samples, n_features)
        Validated rows, as the encoder takes them.
    encoded : ndarray of shape (n_samples, n_encoded)
        The same rows in the space where nearness is measured (Euclidean):
        the encoded input of ``passthrough``, i.e. scaled numbers, missing-value
        indicators and one-hot categories.
    n_neighbors : int
        Neighbours per row, fewer than ``n_samples``.

    Returns
    -------
    stacked : RowsWithNeighbours of shape (n_samples, 1 + n_neighbors, n_features)
        Each row, then its neighbours from the nearest on.
    """
    return RowsWithNeighbours(rows, nearest_rows(encoded, n_neighbors))
