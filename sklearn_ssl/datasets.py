"""Offline loaders for the data sets used by examples and benchmarks.

Nothing is downloaded: each loader reads files the user already has, from a
path they give.
"""

from pathlib import Path

import numpy as np


def load_mr(path):
    """Load Pang and Lee's movie-review sentence polarity data set (MR).

    Reads ``rt-polarity.pos`` and ``rt-polarity.neg`` (5,331 sentences each,
    latin-1 encoded, one sentence per line; empty lines are skipped) from the folder ``path``.

    Parameters
    ----------
    path : str or os.PathLike
        Folder holding ``rt-polarity.pos`` and ``rt-polarity.neg``.

    Returns
    -------
    X : ndarray of shape (n_sentences,), dtype object
        The sentences as str, positive ones first, surrounding whitespace stripped.
    y : ndarray of shape (n_sentences,), dtype int64
        1 for positive, 0 for negative.

    References
    ----------
    .. [1] B. Pang and L. Lee, "Seeing stars: Exploiting class relationships for
       sentiment categorization with respect to rating scales", ACL 2005.
    """
    folder = Path(path)
    texts, labels = [], []
    for label, name in [(1, "rt-polarity.pos"), (0, "rt-polarity.neg")]:
        file = folder / name
        if not file.is_file():
            raise FileNotFoundError(
                f"{file} not found: path must be the folder holding rt-polarity.pos and "
                "rt-polarity.neg (Pang and Lee's sentence polarity data set v1.0)."
            )
        # split on newlines only: str.splitlines would also split at latin-1's \x85
        lines = [line.strip() for line in file.read_text(encoding="latin-1").split("\n")]
        lines = [line for line in lines if line]
        texts += lines
        labels += [label] * len(lines)
    return np.array(texts, dtype=object), np.array(labels, dtype=np.int64)
