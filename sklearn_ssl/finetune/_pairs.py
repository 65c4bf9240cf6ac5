"""Pairs of labeled rows for contrastive few-label fine-tuning (SetFit's recipe).

Each round gives every labeled row two partners: a row of its own class
(another one when the class has several, else the row itself) and a row of
another class. So pairs are balanced, one similar for one dissimilar, and a
class with a single labeled row still takes part.
"""

import numpy as np
import torch

from .._engine import n_batches, shuffled_batches


def sample_pairs(labels, rounds, rng):
    """The row pairs of ``rounds`` rounds over ``labels``, with their similarity targets.

    Parameters
    ----------
    labels : array-like of shape (n_rows,)
        Class of each labeled row; at least two classes.
    rounds : int
        Rounds over the rows; each gives every row one similar and one dissimilar pair.
    rng : numpy.random.Generator
        Draws the partners.

    Returns
    -------
    first, second : ndarray of shape (2 * rounds * n_rows,), int
        Row indices of each pair.
    same : ndarray of shape (2 * rounds * n_rows,), float32
        1.0 for a pair of one class, 0.0 otherwise.
    """
    labels = np.asarray(labels)
    classes = np.unique(labels)
    if len(classes) < 2:
        raise ValueError(f"Contrastive pairs need at least 2 classes, got {len(classes)}.")
    members = {label: np.flatnonzero(labels == label) for label in classes}
    others = {label: np.flatnonzero(labels != label) for label in classes}
    first, second, same = [], [], []
    for _ in range(rounds):
        for row, label in enumerate(labels):
            mates = members[label][members[label] != row]
            first += [row, row]
            second += [rng.choice(mates) if len(mates) else row, rng.choice(others[label])]
            same += [1.0, 0.0]
    return np.array(first), np.array(second), np.array(same, dtype=np.float32)


class PairBatches:
    """Shuffled batches of pairs, ``(X_first, X_second, same)``, gathered from host rows.

    Parameters
    ----------
    X : ndarray of shape (n_rows, ...)
        Validated labeled rows.
    first, second, same : ndarray of shape (n_pairs,)
        From :func:`sample_pairs`.
    batch_size : int
        The smallest number of pairs per batch.
    generator : torch.Generator
        Decides the order of the pairs.
    as_tensor : callable
        ``as_tensor(rows, device)``: the tensor the encoder takes (the
        estimator's ``_as_tensor``; text pads each batch to its longest row).
    device : torch.device
        The training device.
    """

    def __init__(self, X, first, second, same, batch_size, generator, as_tensor, device):
        self.X = X
        self.first, self.second = first, second
        self.same = torch.as_tensor(same, device=device)
        self.batch_size = batch_size
        self.generator = generator
        self.as_tensor = as_tensor
        self.device = device

    def __len__(self):
        return n_batches(len(self.first), self.batch_size)

    def __iter__(self):
        for pairs in shuffled_batches(len(self.first), self.batch_size, self.generator):
            rows = pairs.cpu().numpy()
            yield (
                self.as_tensor(self.X[self.first[rows]], self.device),  # (batch, ...)
                self.as_tensor(self.X[self.second[rows]], self.device),
                self.same[pairs.to(self.same.device)],  # (batch,)
            )
