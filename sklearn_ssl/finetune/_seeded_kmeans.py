"""Constrained k-means seeded by the labeled rows: one cluster per class."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.decomposition import PCA
from sklearn.metrics import pairwise_distances_argmin
from sklearn.preprocessing import normalize
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from .._estimator import EstimatorMixin
from .._labels import PartlyLabeledClassifierMixin
from .._parameters import assign_parameters


class SeededKMeansClassifier(
    EstimatorMixin, PartlyLabeledClassifierMixin, ClassifierMixin, BaseEstimator
):
    """Constrained k-means seeded by the labeled rows: a semi-supervised classifier.

    Each class is one cluster. Its center starts at the mean of its labeled
    rows; k-means then runs on every row, the unlabeled ones (labeled -1)
    joining the nearest center at each step while the labeled ones stay in
    their class (Basu, Banerjee and Mooney's constrained k-means, 2002).
    ``predict`` gives the class of the nearest final center. With one label
    per class the pool decides where each class lies, not the lone labeled
    row, which is what helps on embeddings whose classes form clusters.

    The distances are taken after whitening the ``n_components`` leading
    principal directions: on contrastive embeddings (SimCLR) a few
    directions otherwise hold most of the variance and decide every
    assignment. ``metric="cosine"`` compares directions (spherical k-means),
    the geometry contrastive losses train.

    Parameters
    ----------
    n_components : int or None, default=16
        Principal directions kept before clustering, at most
        ``min(n_samples, n_features)`` (fewer when the data have fewer). None
        keeps the features as they are (no projection, no whitening).
    whiten : bool, default=True
        Scale each kept principal direction to unit variance. Ignored when
        ``n_components`` is None.
    metric : {"cosine", "euclidean"}, default="cosine"
        "cosine": rows and centers are scaled to unit length, and a row joins
        the center it is most aligned with; "euclidean": the nearest center.
    max_iter : int, default=100
        Most assignment and update steps.
    tol : float, default=1e-4
        Stop when no center moves by more than ``tol`` times the rows' mean
        distance to the origin (in the clustering space).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (the unlabeled mark excluded).
    projection_ : PCA or None
        The fitted projection (and whitening), None when ``n_components`` is None.
    cluster_centers_ : ndarray of shape (n_classes, n_components_)
        One center per class, in the clustering space; unit length with
        ``metric="cosine"``.
    transduction_ : ndarray of shape (n_samples,)
        The class of each training row: its label, or its cluster's for an
        unlabeled row.
    n_iter_ : int
        Assignment and update steps run.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string feature names.

    See Also
    --------
    SelfSupervisedClassifier : Fits this on a self-supervised transformer's
        embeddings of every row.
    sklearn.semi_supervised.SelfTrainingClassifier : Another classifier that
        takes -1 rows.

    References
    ----------
    S. Basu, A. Banerjee and R. Mooney, "Semi-supervised Clustering by
    Seeding", ICML 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_ssl import SeededKMeansClassifier
    >>> X, y = make_blobs(n_samples=300, centers=3, cluster_std=1.0, random_state=0)
    >>> y_partial = np.full_like(y, -1)
    >>> y_partial[[np.flatnonzero(y == c)[0] for c in range(3)]] = range(3)  # 1 label per class
    >>> clf = SeededKMeansClassifier(n_components=None, metric="euclidean").fit(X, y_partial)
    >>> bool((clf.transduction_ == y).mean() > 0.9)
    True
    """

    _parameter_constraints: dict = {
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "whiten": ["boolean"],
        "metric": [StrOptions({"cosine", "euclidean"})],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        **PartlyLabeledClassifierMixin._parameter_constraints,
    }

    def __init__(
        self,
        n_components=16,
        *,
        whiten=True,
        metric="cosine",
        max_iter=100,
        tol=1e-4,
        unlabeled=-1,
    ):
        assign_parameters(self, locals())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Cluster every row of ``X``, one cluster per class of the labeled rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows, e.g. a self-supervised transformer's embeddings.
        y : array-like of shape (n_samples,)
            Class labels; ``unlabeled`` (-1) marks an unlabeled row.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32])
        y, labeled = self._partly_labeled_targets(X, y)
        self.classes_, codes = np.unique(y[labeled], return_inverse=True)
        self.projection_ = self._fit_projection(X)
        Z = self._clustering_space(X)  # (n_samples, n_components_)
        fixed = np.full(len(Z), -1)
        fixed[labeled] = codes
        centers = self._centers(Z, fixed)  # (n_classes, n_components_)
        scale = np.linalg.norm(Z, axis=1).mean() or 1.0
        self.n_iter_, shift = 0, np.inf
        while self.n_iter_ < self.max_iter and shift > self.tol * scale:
            assignment = np.where(labeled, fixed, self._nearest(Z, centers))
            moved = self._centers(Z, assignment)
            shift = np.linalg.norm(moved - centers, axis=1).max()
            centers = moved
            self.n_iter_ += 1
        self.cluster_centers_ = centers
        self.transduction_ = self.classes_[np.where(labeled, fixed, self._nearest(Z, centers))]
        return self

    def _fit_projection(self, X):
        """The PCA that whitens the leading directions, None without ``n_components``."""
        if self.n_components is None:
            return None
        n_components = min(self.n_components, *X.shape)
        return PCA(n_components, whiten=self.whiten, svd_solver="full").fit(X)

    def _clustering_space(self, X):
        """``X`` projected (and whitened), rows at unit length for the cosine metric."""
        Z = X if self.projection_ is None else self.projection_.transform(X)
        return normalize(Z) if self.metric == "cosine" else Z

    def _centers(self, Z, assignment):
        """Mean row of each class's cluster (unit length for cosine); the labeled rows
        keep every cluster non-empty."""
        centers = np.stack([Z[assignment == k].mean(axis=0) for k in range(len(self.classes_))])
        return normalize(centers) if self.metric == "cosine" else centers

    def _nearest(self, Z, centers):
        """Index of each row's center: the most aligned (cosine) or the nearest."""
        return pairwise_distances_argmin(Z, centers, metric=self.metric)  # (n_samples,)

    def predict(self, X):
        """The class of each row's nearest center.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows of the kind seen in fit.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        Z = self._clustering_space(X)
        return self.classes_[self._nearest(Z, self.cluster_centers_)]
