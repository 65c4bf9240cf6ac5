"""
=========================
A map of the embeddings
=========================

t-SNE maps of the 8x8 digits: the raw pixels on the left, SCARF embeddings
learned without labels on the right, coloured by the true digit. The
adjusted Rand index (ARI) of k-means with 10 clusters measures how well the
classes separate without any label.
"""

# %%
import torch

torch.set_num_threads(1)  # small models on a small CPU: one thread is fastest

import matplotlib.pyplot as plt
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits
from sklearn.manifold import TSNE
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from sklearn_ssl import SCARF

X, y = load_digits(return_X_y=True)
scarf = SCARF(n_components=64, max_epochs=40, random_state=0)
embeddings = scarf.fit_transform(X)  # no labels used

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 5))
for ax, (name, Z) in zip(axes, [("raw pixels", X), ("SCARF embeddings", embeddings)], strict=True):
    Z = StandardScaler().fit_transform(Z)
    clusters = KMeans(n_clusters=10, n_init=10, random_state=0).fit_predict(Z)
    ari = adjusted_rand_score(y, clusters)
    xy = TSNE(random_state=0).fit_transform(Z)
    points = ax.scatter(xy[:, 0], xy[:, 1], c=y, cmap="tab10", s=5)
    ax.set(title=f"{name} (k-means ARI {ari:.2f})", xticks=[], yticks=[])
fig.legend(*points.legend_elements(), title="digit", loc="center right")
fig.tight_layout(rect=(0, 0, 0.92, 1))
