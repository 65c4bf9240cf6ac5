"""Representations without self-supervision, compared under the same protocol."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomTreesEmbedding
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler


class Autoencoder(TransformerMixin, BaseEstimator):
    """A plain MLP autoencoder (scikit-learn's MLPRegressor fitted on X -> X).

    The embedding is the bottleneck layer's ReLU activation.
    """

    def __init__(self, n_components=32, hidden=128, max_iter=200, random_state=0):
        self.n_components = n_components
        self.hidden = hidden
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X, y=None):
        self.scaler_ = StandardScaler().fit(X)
        Xs = self.scaler_.transform(X)
        self.mlp_ = MLPRegressor(
            hidden_layer_sizes=(self.hidden, self.n_components, self.hidden),
            max_iter=self.max_iter,
            random_state=self.random_state,
        ).fit(Xs, Xs)
        return self

    def transform(self, X):
        activation = self.scaler_.transform(X)
        for weights, bias in list(zip(self.mlp_.coefs_, self.mlp_.intercepts_, strict=True))[:2]:
            activation = np.maximum(activation @ weights + bias, 0)
        return activation


BASELINE_NAMES = (
    "raw features",
    "PCA",
    "random trees embedding",
    "autoencoder (MLP)",
    "TF-IDF 1-2 grams",
    "raw series",
    "MiniRocket",
    "1-NN DTW",
    "MiniRocket + ridge",
)


def series_baselines(dataset):
    """Raw series (equal lengths: every timepoint a feature) and MiniRocket's features.

    MiniRocket (Dempster et al. 2021) comes from aeon, the ``timeseries`` extra.
    """
    from aeon.transformations.collection.convolution_based import MiniRocket

    return {"raw series": None, "MiniRocket": MiniRocket(random_state=0)}


def series_classifiers(dataset):
    """Classifiers on raw series, scored with the same label draws as the probes.

    1-NN with dynamic time warping (full window), and MiniRocket with its
    published classifier (standardisation, ridge with its penalty chosen by
    leave-one-out), both from aeon.
    """
    from aeon.classification.convolution_based import MiniRocketClassifier
    from aeon.classification.distance_based import KNeighborsTimeSeriesClassifier

    return {
        "1-NN DTW": KNeighborsTimeSeriesClassifier(n_neighbors=1, distance="dtw"),
        "MiniRocket + ridge": MiniRocketClassifier(random_state=0),
    }


def to_dense(Z):
    return Z.toarray()


def baselines(dataset):
    """Name -> unfitted representation (None = raw features) for ``dataset``.

    Text gets sparse TF-IDF of words and word pairs (the protocol keeps it
    sparse); tables and images get the raw features and three fitted ones.
    """
    if dataset.kind == "text":
        return {"TF-IDF 1-2 grams": TfidfVectorizer(ngram_range=(1, 2))}
    if dataset.kind == "series":
        return series_baselines(dataset)
    n_features = np.asarray(dataset.X).reshape(len(dataset.X), -1).shape[1]
    return {
        "raw features": None,
        "PCA": make_pipeline(
            StandardScaler(), PCA(n_components=min(32, n_features), random_state=0)
        ),
        "random trees embedding": make_pipeline(
            RandomTreesEmbedding(n_estimators=100, max_depth=5, random_state=0),
            FunctionTransformer(to_dense, accept_sparse=True),
        ),
        "autoencoder (MLP)": Autoencoder(),
    }
