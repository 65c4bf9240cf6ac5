"""
==================================
Sentence embeddings from raw text
==================================

:class:`~sklearn_ssl.MaskedLanguageModel` learns a subword tokenizer and a
small Transformer from the strings it is given, nothing downloaded: words are
masked and predicted from their context (BERT), and two differently masked
copies of each sentence must find each other in the batch (SimCSE).
``transform`` returns one vector per string.

To run offline in a few seconds, this example generates a toy corpus of short
reviews. Half of them pair two adjectives of the same sentiment ("dull and
tedious"), which is all the model needs to learn which adjectives go
together; only a few sentences are labeled. A bag of words fitted on those few
labeled sentences knows nothing of the adjectives they do not contain, while
the embeddings, pretrained on all sentences, do. For the MR sentence polarity
data set, load the sentences with ``sklearn_ssl.datasets.load_mr(path)``.
"""

# %%
import torch

torch.set_num_threads(1)  # small models on a small CPU: one thread is fastest

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_ssl import MaskedLanguageModel

# %%
# A toy corpus
# ------------
rng = np.random.default_rng(0)
subjects = ["the film", "this movie", "the plot", "the acting", "the script", "the ending",
            "the cast", "the story", "the soundtrack", "the dialogue"]  # fmt: skip
adjectives = {
    1: ["wonderful", "moving", "brilliant", "charming", "funny", "gripping", "beautiful",
        "smart", "delightful", "superb", "touching", "fresh"],
    0: ["dull", "boring", "clumsy", "tedious", "predictable", "messy", "lifeless", "silly",
        "bland", "awful", "shallow", "tiresome"],
}  # fmt: skip
templates = ["{s} is {a}", "{s} was {a} and {b}", "i found {s} {a} and {b}",
             "{s} feels {a}", "honestly , {s} is {a} , even {b}"]  # fmt: skip


def review(label):
    a, b = rng.choice(adjectives[label], size=2, replace=False)
    template = templates[rng.integers(len(templates))]
    return template.format(s=subjects[rng.integers(len(subjects))], a=a, b=b)


y = rng.integers(2, size=3000)
X = np.array([review(label) for label in y], dtype=object)
X_pool, X_test, y_pool, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
print(X_pool[:5])

# %%
# Pretraining on all sentences, no labels
# ---------------------------------------
mlm = MaskedLanguageModel(
    vocab_size=500, n_components=64, n_heads=4, depth=2, max_epochs=10, random_state=0
)
mlm.fit(X_pool)
Z_pool, Z_test = mlm.transform(X_pool), mlm.transform(X_test)
print("embeddings:", Z_pool.shape)

# %%
# A few labels
# ------------
# A linear probe on the embeddings against TF-IDF features learned from the
# labeled sentences only, with ``k`` labeled sentences per class.


def labeled_rows(k, seed):
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [rng.choice(np.flatnonzero(y_pool == c), k, replace=False) for c in (0, 1)]
    )


def mean_accuracy(make_model, features, k):
    scores = []
    for seed in range(5):
        rows = labeled_rows(k, seed)
        model = make_model().fit(features[0][rows], y_pool[rows])
        scores.append(model.score(features[1], y_test))
    return np.mean(scores)


budgets = [2, 5, 10, 20]
models = {
    "TF-IDF": (lambda: make_pipeline(TfidfVectorizer(), LogisticRegression()), (X_pool, X_test)),
    "masked language model": (
        lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        (Z_pool, Z_test),
    ),
}
fig, ax = plt.subplots(figsize=(6, 4))
for name, (make_model, features) in models.items():
    scores = [mean_accuracy(make_model, features, k) for k in budgets]
    print(
        f"{name:>22}: " + "  ".join(f"{k}: {s:.3f}" for k, s in zip(budgets, scores, strict=True))
    )
    ax.plot(budgets, scores, marker="o", label=name)
ax.set(xlabel="labeled sentences per class", ylabel="test accuracy", title="toy reviews")
ax.legend()
fig.tight_layout()
