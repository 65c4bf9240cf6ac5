"""
==========================
SimCLR on the 8x8 digits
==========================

SimCLR learns from two randomly augmented views of every image: a small
convolutional network must recognise which views come from the same image
among all the views of a batch (Chen et al. 2020). The digits arrive as
flattened rows of 64 pixels; ``input_shape=(1, 8, 8)`` says how to unflatten
them. Flips are turned off: a mirrored digit is a different symbol. After a
few CPU epochs, a linear probe on the embeddings beats the same probe on the
raw pixels when only a few images per class are labeled.
"""

# %%
import torch

torch.set_num_threads(1)  # small models on a small CPU: one thread is fastest

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_ssl import SimCLR

X, y = load_digits(return_X_y=True)
X_pool, X_test, y_pool, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)

# %%
# Pretraining without labels
# --------------------------
# On a GPU, use more epochs (100 or more) and a larger batch.
simclr = SimCLR(
    n_components=64,
    input_shape=(1, 8, 8),
    flip=False,
    crop_scale=(0.5, 1.0),
    max_epochs=8,
    batch_size=256,
    random_state=0,
)
simclr.fit(X_pool)
Z_pool, Z_test = simclr.transform(X_pool), simclr.transform(X_test)

# %%
# A linear probe with few labels
# ------------------------------


def probe_accuracy(Z_pool, Z_test, k):
    """Mean test accuracy of a linear probe on k labeled images per class."""
    accuracies = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        rows = np.concatenate(
            [rng.choice(np.flatnonzero(y_pool == c), k, replace=False) for c in range(10)]
        )
        probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        accuracies.append(probe.fit(Z_pool[rows], y_pool[rows]).score(Z_test, y_test))
    return np.mean(accuracies)


budgets = [1, 2, 5, 10]
fig, (ax_loss, ax_probe) = plt.subplots(1, 2, figsize=(10, 4))
ax_loss.plot(np.arange(1, simclr.n_iter_ + 1), simclr.history_[:, "train_loss"], marker="o")
ax_loss.set(xlabel="epoch", ylabel="NT-Xent loss", title="pretext loss")
for name, (A, B) in {"raw pixels": (X_pool, X_test), "SimCLR": (Z_pool, Z_test)}.items():
    scores = [probe_accuracy(A, B, k) for k in budgets]
    print(
        f"{name:>10}: " + "  ".join(f"{k}: {s:.3f}" for k, s in zip(budgets, scores, strict=True))
    )
    ax_probe.plot(budgets, scores, marker="o", label=name)
ax_probe.set(xlabel="labeled images per class", ylabel="test accuracy", title="linear probe")
ax_probe.legend()
fig.tight_layout()
