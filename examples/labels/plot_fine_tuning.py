"""
===================================
Fine-tuning a pretrained encoder
===================================

A linear probe keeps the pretrained encoder fixed.
:class:`~sklearn_ssl.FineTunedClassifier` also trains the encoder on the
labels: first a linear head alone (``freeze_epochs``), then head and encoder
together with a smaller learning rate for the encoder (``encoder_lr_scale``).
Fine-tuning can adapt the features to the classes when there are enough
labels to do so without overfitting them. This example compares both on the
digits table with SCARF, and a network trained from scratch on the
labels only (an unfitted SCARF encoder, fine-tuned without pretraining).
"""

# %%
import torch

torch.set_num_threads(1)  # small models on a small CPU: one thread is fastest

import matplotlib.pyplot as plt
import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split

from sklearn_ssl import SCARF, FineTunedClassifier, SelfSupervisedClassifier

X, y = load_digits(return_X_y=True)
X_pool, X_test, y_pool, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
scarf = SCARF(n_components=32, hidden_layer_sizes=(128,), max_epochs=30, random_state=0)
pretrained = FrozenEstimator(clone(scarf).fit(X_pool))  # pretrained once, on all pool rows


def labeled_rows(k, seed):
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [rng.choice(np.flatnonzero(y_pool == c), k, replace=False) for c in range(10)]
    )


models = {
    "linear probe": lambda: SelfSupervisedClassifier(pretrained),
    "fine-tuned": lambda: FineTunedClassifier(pretrained, max_epochs=40, random_state=0),
    "from scratch": lambda: FineTunedClassifier(
        clone(scarf).set_params(max_epochs=1),
        max_epochs=40,
        freeze_epochs=0,
        encoder_lr_scale=1.0,
        random_state=0,
    ),
}

# %%
# ``y`` of the labeled rows only: with ``-1`` for the other rows of the
# pool, the classifiers would take them for pretraining, which is already
# done here. The "from scratch" model gets a SCARF trained for one epoch on the
# labeled rows: an almost untrained encoder.
budgets = [2, 5, 10, 20]
scores = {name: [] for name in models}
for k in budgets:
    for name, make_model in models.items():
        accuracies = []
        for seed in range(3):
            rows = labeled_rows(k, seed)
            model = make_model().fit(X_pool[rows], y_pool[rows])
            accuracies.append(model.score(X_test, y_test))
        scores[name].append(np.mean(accuracies))

fig, ax = plt.subplots(figsize=(6, 4))
for name, values in scores.items():
    print(f"{name:>13}: " + "  ".join(f"{v:.3f}" for v in values))
    ax.plot(budgets, values, marker="o", label=name)
ax.set(xlabel="labeled rows per class", ylabel="test accuracy", title="digits (64-column table)")
ax.legend()
fig.tight_layout()
