"""
==============================================================================
Using the unlabeled rows twice: self-training, label spreading, seeded k-means
==============================================================================

The unlabeled rows serve once to pretrain a self-supervised transformer. They
can serve again when the labels arrive: scikit-learn's
:class:`~sklearn.semi_supervised.SelfTrainingClassifier` and
:class:`~sklearn.semi_supervised.LabelSpreading` take ``y`` with ``-1`` for the
unlabeled rows, and a transformer in a :class:`~sklearn.pipeline.Pipeline`
ignores ``y``, so every row reaches them, as it does this library's
:class:`~sklearn_ssl.SeededKMeansClassifier` (k-means with one cluster per
class, seeded by the labeled rows). This example compares, on the 8x8 digits
with **one label per class**, a linear probe on the labeled rows alone with the
three semi-supervised steps, on SimCLR's embeddings and on the raw pixels. No
step is a free gain: which one helps depends on the representation.
"""

# %%
import torch

torch.set_num_threads(1)  # small models on a small CPU: one thread is fastest

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier

from sklearn_ssl import SeededKMeansClassifier, SimCLR

X, y = load_digits(return_X_y=True)
X_pool, X_test, y_pool, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)

# %%
# Pretrain once, on the pool, without labels
# ------------------------------------------
# SimCLR learns from two augmented views of each image (no flips: digits are
# not mirror-symmetric). :class:`~sklearn.frozen.FrozenEstimator` keeps it
# fitted in every pipeline below.
simclr = SimCLR(
    input_shape=(1, 8, 8),
    flip=False,
    crop_scale=(0.3, 1.0),
    rotation=10.0,
    jitter=0.4,
    noise=0.05,
    max_epochs=15,
    batch_size=128,
    random_state=0,
)
pretrained = FrozenEstimator(simclr.fit(X_pool))

# %%
# One label per class, the other rows marked -1
# ---------------------------------------------
# The probe is fitted on the ten labeled rows; the semi-supervised steps on the
# whole pool, whose other rows have the label ``-1``. Each step comes after a
# :class:`~sklearn.preprocessing.StandardScaler`.
steps = {
    "probe": lambda: LogisticRegression(max_iter=2000),
    "+ SelfTraining": lambda: SelfTrainingClassifier(
        LogisticRegression(max_iter=2000), threshold=0.9
    ),
    "+ LabelSpreading": lambda: LabelSpreading(kernel="knn", n_neighbors=7),
    "+ SeededKMeans": lambda: SeededKMeansClassifier(),
}
representations = {"SimCLR": pretrained, "raw pixels": "passthrough"}


def one_label_per_class(seed):
    rng = np.random.default_rng(seed)
    rows = [rng.choice(np.flatnonzero(y_pool == label)) for label in range(10)]
    y_partial = np.full_like(y_pool, -1)
    y_partial[rows] = y_pool[rows]
    return y_partial


seeds = range(3)
scores = {name: {step: [] for step in steps} for name in representations}
fitted = {}  # (representation, step) -> the model of the last draw
with warnings.catch_warnings():
    # label spreading warns when a part of its neighbour graph holds no label
    warnings.simplefilter("ignore", RuntimeWarning)
    for seed in seeds:
        y_partial = one_label_per_class(seed)
        labeled = y_partial != -1
        for name, representation in representations.items():
            for step, make_step in steps.items():
                model = make_pipeline(representation, StandardScaler(), make_step())
                if step == "probe":
                    model.fit(X_pool[labeled], y_partial[labeled])
                else:  # the -1 rows go through the transformer to the step
                    model.fit(X_pool, y_partial)
                scores[name][step].append(model.score(X_test, y_test))
                fitted[name, step] = model

# %%
# What the steps did with the unlabeled rows (last draw, SimCLR): self-training
# gave a label to the rows it predicted with a probability of at least 0.9,
# label spreading to every row of the pool.
self_training = fitted["SimCLR", "+ SelfTraining"][-1]
pseudo = self_training.labeled_iter_ > 0
correct = np.mean(self_training.transduction_[pseudo] == y_pool[pseudo])
print(f"self-training labeled {pseudo.sum()} of {len(y_pool) - 10} rows, {correct:.0%} correctly")
spreading = fitted["SimCLR", "+ LabelSpreading"][-1]
correct = np.mean(spreading.transduction_ == y_pool)
print(f"label spreading labeled all {len(y_pool)} rows, {correct:.0%} correctly")

# %%
# Test accuracy, mean over the label draws
# ----------------------------------------
print(f"{'':12s}" + "".join(f"{step:>18s}" for step in steps))
for name, by_step in scores.items():
    print(f"{name:12s}" + "".join(f"{np.mean(s):>18.3f}" for s in by_step.values()))

fig, ax = plt.subplots(figsize=(6, 4))
width = 0.8 / len(steps)
positions = np.arange(len(representations))
for i, step in enumerate(steps):
    means = [np.mean(scores[name][step]) for name in representations]
    spreads = [np.std(scores[name][step]) for name in representations]
    ax.bar(positions + i * width, means, width, yerr=spreads, capsize=3, label=step)
ax.set_xticks(positions + width * (len(steps) - 1) / 2, list(representations))
ax.axhline(0.1, color="gray", linestyle=":", label="chance")
ax.set(ylabel="test accuracy", ylim=(0, 1), title="digits, one label per class")
ax.legend(loc="lower right")
fig.tight_layout()

# %%
# Self-training adds its own predictions as labels. On SimCLR's embeddings the
# confident predictions are mostly right and the added rows help; on the raw
# pixels, with one label per class, the first predictions are often wrong and
# self-training learns its mistakes. Label spreading follows the neighbour graph
# instead, and seeded k-means lets the pool move each class's center to its
# cluster, away from a lone labeled row that may be atypical (on MNIST's SimCLR
# embeddings that made it the best step by far). On other representations the
# order changes (on SCARF's embeddings of the digits table, label spreading is
# the one that helps), so measure them on yours: ``benchmarks/semi_supervised.py``
# does it for every data set of the benchmarks, next to fine-tuning.
