"""
======================================
Self-supervised features in a pipeline
======================================

SCARF and VIME learn an encoder from the rows of a table without labels; a
logistic regression then learns the classes from the embeddings. Here the
table is the 8x8 digits seen as 64 numeric columns. The embeddings pay off
when few rows are labeled, and concatenating them with the input columns (the
table methods' default, ``passthrough=True``) keeps the accuracy of the raw
features when many are.
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

from sklearn_ssl import SCARF, VIME

X, y = load_digits(return_X_y=True)
X_pool, X_test, y_pool, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)

# %%
# A pipeline like any other
# -------------------------
# A self-supervised transformer is a step of a pipeline. ``fit`` ignores the
# labels for the SCARF step and passes its embeddings on to the classifier.
pipe = make_pipeline(
    SCARF(n_components=64, max_epochs=30, random_state=0),
    StandardScaler(),
    LogisticRegression(max_iter=2000),
)
pipe.fit(X_pool, y_pool)
print(f"test accuracy with all {len(y_pool)} labels: {pipe.score(X_test, y_test):.3f}")
pipe

# %%
# Few labels
# ----------
# With few labels the pipeline above would pretrain on the labeled rows only.
# Pretrain on the whole pool instead (no labels needed), then fit the probe on
# ``k`` labeled rows per class, five times with different rows.
# ``passthrough=True`` (the default) appends the standardised input columns
# to the 64 embedding columns; the first 64 columns are the embeddings alone.
scarf = SCARF(n_components=64, max_epochs=30, random_state=0).fit(X_pool)
vime = VIME(n_components=64, max_epochs=30, random_state=0).fit(X_pool)
scarf_pool, scarf_test = scarf.transform(X_pool), scarf.transform(X_test)
features = {
    "raw pixels": (X_pool, X_test),
    "SCARF": (scarf_pool[:, :64], scarf_test[:, :64]),
    "VIME": (vime.transform(X_pool)[:, :64], vime.transform(X_test)[:, :64]),
    "SCARF + input (default)": (scarf_pool, scarf_test),
}


def probe_accuracy(Z_pool, Z_test, k):
    """Mean test accuracy of a linear probe on k labeled rows per class."""
    accuracies = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        rows = np.concatenate(
            [rng.choice(np.flatnonzero(y_pool == c), k, replace=False) for c in range(10)]
        )
        probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        accuracies.append(probe.fit(Z_pool[rows], y_pool[rows]).score(Z_test, y_test))
    return np.mean(accuracies)


budgets = [1, 2, 5, 10, 20]
fig, ax = plt.subplots(figsize=(6, 4))
for name, (Z_pool, Z_test) in features.items():
    scores = [probe_accuracy(Z_pool, Z_test, k) for k in budgets]
    print(
        f"{name:>20}: " + "  ".join(f"{k}: {s:.3f}" for k, s in zip(budgets, scores, strict=True))
    )
    ax.plot(budgets, scores, marker="o", label=name)
ax.set(xscale="log", xlabel="labeled rows per class", ylabel="test accuracy")
ax.set_xticks(budgets, [str(k) for k in budgets])
ax.legend()
ax.set_title("Linear probe on digits (64-column table)")
fig.tight_layout()

# %%
# Embeddings next to the input columns
# ------------------------------------
# With all labels the embeddings alone can fall slightly behind the raw
# pixels; the default output (embeddings, then the standardised input) keeps
# both, which is what the first pipeline above used. ``passthrough=False``
# gives the embeddings alone.
alone = make_pipeline(
    SCARF(n_components=64, passthrough=False, max_epochs=30, random_state=0),
    StandardScaler(),
    LogisticRegression(max_iter=2000),
)
alone.fit(X_pool, y_pool)
print(f"SCARF embeddings alone, all labels: {alone.score(X_test, y_test):.3f}")
