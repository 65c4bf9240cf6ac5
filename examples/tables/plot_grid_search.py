"""
===================================
Searching the pretext task settings
===================================

Every pretext setting is a plain parameter, so scikit-learn's searches tune
it. Without labels, :class:`~sklearn.model_selection.GridSearchCV` ranks the
candidates by the estimator's ``score``: RankMe, the effective rank of the
embeddings of held-out rows (:func:`sklearn_ssl.metrics.rankme`). With some
labels, search a pipeline and let the downstream accuracy decide. Here both
searches tune SCARF's ``corruption_rate`` on the digits table.
"""

# %%
import torch

torch.set_num_threads(1)  # small models on a small CPU: one thread is fastest

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_ssl import SCARF

X, y = load_digits(return_X_y=True)
rates = [0.2, 0.5, 0.8]
scarf = SCARF(n_components=32, hidden_layer_sizes=(128,), max_epochs=10, random_state=0)

# %%
# Label-free: RankMe
# ------------------
# ``fit(X)`` without ``y``: each candidate is pretrained on two folds and
# scored by RankMe on the third.
label_free = GridSearchCV(scarf, {"corruption_rate": rates}, cv=3).fit(X)
print("chosen without labels:", label_free.best_params_)

# %%
# With labels: accuracy through a pipeline
# ----------------------------------------
# Parameters of a pipeline step are named ``<step>__<parameter>``; settings
# of the classifier (e.g. ``logisticregression__C``) can join the grid.
pipe = make_pipeline(scarf, StandardScaler(), LogisticRegression(max_iter=2000))
grid = {"scarf__corruption_rate": rates}
supervised = GridSearchCV(pipe, grid, cv=3).fit(X, y)
print("chosen with labels:", supervised.best_params_)

# %%
# Do the two criteria agree?
# --------------------------
# RankMe only says whether the embeddings use many directions; it cannot know
# the classes. Compare it with the cross-validated accuracy per rate. When the
# two disagree, trust the labels: RankMe is most useful to reject settings
# whose embeddings collapse (a RankMe near 1).
summary = pd.DataFrame(
    {
        "RankMe (no labels)": label_free.cv_results_["mean_test_score"],
        "CV accuracy": supervised.cv_results_["mean_test_score"],
    },
    index=rates,
)
summary.index.name = "corruption_rate"
print(summary.round(3))

fig, ax_rank = plt.subplots(figsize=(6, 4))
ax_rank.plot(rates, summary["RankMe (no labels)"], marker="o", color="C0")
ax_rank.set(xlabel="corruption_rate", ylabel="RankMe (no labels)")
ax_accuracy = ax_rank.twinx()
ax_accuracy.plot(rates, summary["CV accuracy"], marker="s", color="C1")
ax_accuracy.set_ylabel("cross-validated accuracy", color="C1")
ax_rank.set_ylabel("RankMe (no labels)", color="C0")
ax_rank.set_title("SCARF on digits: label-free and supervised criteria")
fig.tight_layout()
