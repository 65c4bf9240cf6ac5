"""
================================================
Semi-supervised classification with ``y == -1``
================================================

scikit-learn marks unlabeled rows with the label ``-1``
(:mod:`sklearn.semi_supervised`). :class:`~sklearn_ssl.SelfSupervisedClassifier`
takes such a ``y``: it pretrains its transformer on every row, labeled or
not, and fits its classifier on the embeddings of the labeled rows. This
example compares it, on the 8x8 digits with 1% to 10% of the images labeled,
with a classifier that ignores the unlabeled rows and with scikit-learn's
label spreading, which uses them through a similarity graph. The transformer
here is SimCLR; any transformer works, e.g. SCARF for a table
(:class:`~sklearn.semi_supervised.SelfTrainingClassifier` is another
classifier that takes ``y == -1``).
"""

# %%
import torch

torch.set_num_threads(1)  # small models on a small CPU: one thread is fastest

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import LabelSpreading

from sklearn_ssl import SelfSupervisedClassifier, SimCLR

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)

# %%
# Pretrain once, reuse it
# -----------------------
# The transformer is refitted by every ``fit`` of the classifier. Here all
# label fractions share the same unlabeled rows, so SimCLR is pretrained once
# and wrapped in :class:`~sklearn.frozen.FrozenEstimator`, which keeps it
# fitted through ``clone``.
simclr = SimCLR(
    n_components=64,
    input_shape=(1, 8, 8),
    flip=False,
    crop_scale=(0.5, 1.0),
    max_epochs=8,
    random_state=0,
)
pretrained = FrozenEstimator(simclr.fit(X_train))


def logistic():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))


classifiers = {
    "SelfSupervisedClassifier (SimCLR)": lambda: SelfSupervisedClassifier(pretrained),
    "labeled rows only": None,
    "LabelSpreading": lambda: make_pipeline(StandardScaler(), LabelSpreading(gamma=0.05)),
}

fractions = [0.01, 0.02, 0.05, 0.1]
scores = {name: [] for name in classifiers}
for fraction in fractions:
    for name, make_classifier in classifiers.items():
        accuracies = []
        for seed in range(3):
            rng = np.random.default_rng(seed)
            y_partial = np.where(rng.random(len(y_train)) < fraction, y_train, -1)
            if make_classifier is None:  # the baseline drops the unlabeled rows
                labeled = y_partial != -1
                model = logistic().fit(X_train[labeled], y_partial[labeled])
            else:
                model = make_classifier().fit(X_train, y_partial)
            accuracies.append(model.score(X_test, y_test))
        scores[name].append(np.mean(accuracies))

# %%
fig, ax = plt.subplots(figsize=(6, 4))
for name, values in scores.items():
    print(f"{name:>33}: " + "  ".join(f"{v:.3f}" for v in values))
    ax.plot([100 * f for f in fractions], values, marker="o", label=name)
ax.set(xlabel="labeled rows (%)", ylabel="test accuracy", title="digits, y == -1 when unlabeled")
ax.legend()
fig.tight_layout()
