"""
==========================
Watching training progress
==========================

``history_`` records the pretext loss of every epoch (a skorch
:class:`~skorch.history.History`). A falling loss shows that the pretext task
is being learned, not that the embeddings are useful: this example follows
both, training SCARF one epoch at a time with ``partial_fit`` and probing the
embeddings with five labels per class along the way, and then lets
``n_iter_no_change`` stop VIME once its loss levels off.
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
rng = np.random.default_rng(0)
labeled = np.concatenate(
    [rng.choice(np.flatnonzero(y_pool == c), 5, replace=False) for c in range(10)]
)


def probe_accuracy(transformer):
    """Test accuracy of a linear probe on 5 labeled rows per class."""
    probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    probe.fit(transformer.transform(X_pool[labeled]), y_pool[labeled])
    return probe.score(transformer.transform(X_test), y_test)


# %%
# One epoch at a time
# -------------------
# Each ``partial_fit`` call trains one more epoch, keeping the weights and the
# optimizer state.
scarf = SCARF(n_components=64, random_state=0)
checkpoints, accuracies = [], []
for epoch in range(1, 41):
    scarf.partial_fit(X_pool)
    if epoch in (1, 2, 5, 10, 20, 30, 40):
        checkpoints.append(epoch)
        accuracies.append(probe_accuracy(scarf))

losses = scarf.history_[:, "train_loss"]
fig, ax_loss = plt.subplots(figsize=(6, 4))
ax_loss.plot(np.arange(1, len(losses) + 1), losses, color="C0")
ax_loss.set(xlabel="epoch")
ax_loss.set_ylabel("pretext loss (NT-Xent)", color="C0")
ax_accuracy = ax_loss.twinx()
ax_accuracy.plot(checkpoints, accuracies, marker="o", color="C1")
ax_accuracy.set_ylabel("probe accuracy, 5 labels per class", color="C1")
ax_loss.set_title("SCARF on digits")
fig.tight_layout()

# %%
# Early stopping
# --------------
# ``n_iter_no_change=3`` stops training once the loss has not improved by
# ``tol`` for three epochs; ``n_iter_`` is the number of epochs trained.
vime = VIME(n_components=64, max_epochs=200, n_iter_no_change=3, tol=1e-3, random_state=0)
vime.fit(X_pool)
print(f"VIME stopped after {vime.n_iter_} of {vime.max_epochs} epochs")
print(f"seconds per epoch: {np.mean(vime.history_[:, 'dur']):.3f}")

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(np.arange(1, vime.n_iter_ + 1), vime.history_[:, "train_loss"])
ax.set(xlabel="epoch", ylabel="pretext loss", title="VIME with early stopping")
fig.tight_layout()
