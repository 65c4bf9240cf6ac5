"""
============================================
Choosing view-method settings without labels
============================================

``GridSearchCV(SimCLR(...), grid).fit(X)`` needs no labels: each candidate is
pretrained on the training folds and ranked by its ``score`` on the held-out
fold. For the view methods (SimCLR, BYOL, VICReg, Barlow Twins) that score is
the uniformity of the embeddings on the unit sphere
(:func:`sklearn_ssl.metrics.uniformity`), the criterion that picked the same
settings as a labeled probe on every view-method grid measured
(``benchmarks/selection.py``; the table is in the fine-tuning guide).

Here one search scores every candidate both ways on the same folds: by
uniformity, without labels, and, to check it, by a linear probe on the
held-out fold's labels. With unlabeled data alone, call ``fit(X)`` and leave
``scoring`` out.
"""

# %%
import torch

torch.set_num_threads(1)  # small models on a small CPU: one thread is fastest

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV

from sklearn_ssl import SimCLR
from sklearn_ssl.metrics import label_free_scorer, linear_probe_score

X, y = load_digits(return_X_y=True)
simclr = SimCLR(input_shape=(1, 8, 8), random_state=0)
grid = {"augmentation": ["auto", "natural"], "max_epochs": [2, 8]}

# %%
# One search, two criteria
# ------------------------
# ``refit="uniformity"`` keeps the candidate the label-free criterion picks;
# the probe's accuracy is only recorded beside it.
search = GridSearchCV(
    simclr,
    grid,
    cv=2,
    scoring={"uniformity": label_free_scorer("uniformity"), "probe": linear_probe_score},
    refit="uniformity",
).fit(X, y)
results = pd.DataFrame(
    {
        "augmentation": search.cv_results_["param_augmentation"],
        "max_epochs": search.cv_results_["param_max_epochs"],
        "uniformity (no labels)": search.cv_results_["mean_test_uniformity"],
        "probe accuracy": search.cv_results_["mean_test_probe"],
    }
)
print(results.round(3))
print("chosen without labels:", search.best_params_)
print("best by the probe:    ", search.cv_results_["params"][results["probe accuracy"].idxmax()])

# %%
# Do they agree?
# --------------
# Longer training and the small-image recipe (``"auto"`` takes it for 8x8
# digits) spread the embeddings over the sphere and make them easier to
# classify: the two criteria rise together. For the table methods and the
# masked autoencoders no label-free criterion tracks accuracy this way; select
# those with a few labels (``scoring=linear_probe_score``).
fig, ax = plt.subplots(figsize=(5.5, 4))
ax.scatter(results["uniformity (no labels)"], results["probe accuracy"])
for _, row in results.iterrows():
    ax.annotate(
        f"{row['augmentation']}, {row['max_epochs']} epochs",
        (row["uniformity (no labels)"], row["probe accuracy"]),
        textcoords="offset points",
        xytext=(4, 4),
        fontsize=8,
    )
ax.set(
    xlabel="uniformity of the held-out embeddings (no labels)",
    ylabel="linear probe accuracy on the held-out fold",
    title="SimCLR on digits: four settings, two folds",
)
fig.tight_layout()
