"""A small labeled corpus for the text tests: the class shows in the adjectives."""

import numpy as np

GOOD = ["good", "great", "fine", "lovely", "superb"]
BAD = ["bad", "awful", "poor", "dull", "boring"]
FILLER = ["the", "film", "was", "plot", "acting", "really", "quite", "and", "a", "story"]


def make_corpus(n_per_class=24, seed=0, n_class_words=2):
    """Short sentences whose class shows in which adjectives they use: (texts, y)."""
    rng = np.random.default_rng(seed)
    texts, y = [], []
    for label, words in enumerate([GOOD, BAD]):
        for _ in range(n_per_class):
            tokens = list(rng.choice(FILLER, size=rng.integers(2, 9)))
            for _ in range(n_class_words):
                tokens.insert(rng.integers(len(tokens) + 1), str(rng.choice(words)))
            texts.append(" ".join(tokens))
            y.append(label)
    return np.array(texts, dtype=object), np.array(y)
