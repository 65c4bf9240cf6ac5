"""The few-label evaluation protocol of DESIGN.md section 5.

The train part of a stratified split is the unlabeled pool: representations are
fitted on all of it without labels. A probe is then fitted on k labeled rows per
class drawn from the pool (seeds 0..4, per class without replacement) and
scored on the test part; results are means over the seeds. Sparse embeddings
(TF-IDF) stay sparse and are standardised without centring; the probes and
k-means are translation invariant, so this is the same protocol.
"""

import time

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

SEEDS = range(5)


def split(X, y, test_size=0.3):
    """Stratified pool/test split with ``random_state=0``."""
    return train_test_split(X, y, test_size=test_size, stratify=y, random_state=0)


def few_label_rows(y_pool, k, seed):
    """Indices of ``k`` rows per class (all rows for ``k="all"``)."""
    if k == "all":
        return np.arange(len(y_pool))
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [
            rng.choice(np.flatnonzero(y_pool == label), size=k, replace=False)
            for label in np.unique(y_pool)
        ]
    )


def linear_probe(with_mean=True):
    return make_pipeline(StandardScaler(with_mean=with_mean), LogisticRegression(max_iter=2000))


def knn_probe(with_mean=True):
    return make_pipeline(StandardScaler(with_mean=with_mean), KNeighborsClassifier(n_neighbors=5))


#: The C values of the TS2Vec classification protocol's RBF SVM (inf: a hard margin).
SVM_C = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1e3, 1e4, np.inf]


def svm_accuracy(Z_pool, y_pool, Z_test, y_test):
    """Test accuracy of the TS2Vec paper's protocol with all labels: an RBF SVM on the embeddings.

    ``gamma="scale"``; C is searched over :data:`SVM_C` by 5-fold cross-validation,
    except with fewer than 5 rows per class or 50 rows in all, where C is infinite.
    """
    n_classes = len(np.unique(y_pool))
    if len(y_pool) // n_classes < 5 or len(y_pool) < 50:
        svm = SVC(C=np.inf, gamma="scale").fit(Z_pool, y_pool)
    else:
        svm = GridSearchCV(SVC(gamma="scale"), {"C": SVM_C}, cv=5).fit(Z_pool, y_pool)
    return float(svm.score(Z_test, y_test))


def classifier_scores(classifier, X_pool, y_pool, X_test, y_test, budgets):
    """Mean test accuracy of a classifier fitted on the raw inputs of k labeled rows per class.

    The same label draws as :func:`probe_scores`, for baselines that are
    classifiers rather than representations (1-NN DTW, MiniRocket + ridge).
    """

    def fit_score(rows):
        return clone(classifier).fit(X_pool[rows], y_pool[rows]).score(X_test, y_test)

    return mean_over_draws(fit_score, y_pool, budgets)


def probe_scores(Z_pool, y_pool, Z_test, y_test, budgets, make_probe=linear_probe):
    """Mean test accuracy of a probe per labels-per-class budget.

    ``make_probe`` is called with ``with_mean=False`` when ``Z_pool`` is sparse.
    """
    dense = not sparse.issparse(Z_pool)

    def fit_score(rows):
        probe = make_probe() if dense else make_probe(with_mean=False)
        return probe.fit(Z_pool[rows], y_pool[rows]).score(Z_test, y_test)

    return mean_over_draws(fit_score, y_pool, budgets)


def mean_over_draws(fit_score, y_pool, budgets):
    """``{str(k): mean of fit_score(rows)}`` over the label draws of each budget.

    ``fit_score(rows)`` fits on the pool rows ``rows`` and returns the test
    accuracy; a budget ``k`` draws k labeled rows per class with each of
    :data:`SEEDS`, ``"all"`` takes the whole pool once.
    """
    scores = {}
    for k in budgets:
        seeds = [0] if k == "all" else SEEDS
        accuracies = [fit_score(few_label_rows(y_pool, k, seed)) for seed in seeds]
        scores[str(k)] = float(np.mean(accuracies))
    return scores


def kmeans_ari(Z_test, y_test):
    """Adjusted Rand index of k-means (k = number of classes) on test embeddings."""
    labels = KMeans(n_clusters=len(np.unique(y_test)), n_init=10, random_state=0).fit_predict(
        StandardScaler(with_mean=not sparse.issparse(Z_test)).fit_transform(Z_test)
    )
    return float(adjusted_rand_score(y_test, labels))


def as_features(Z):
    """Embeddings as a 2-D float64 array, or a float64 CSR matrix if sparse."""
    if sparse.issparse(Z):
        return sparse.csr_matrix(Z, dtype=np.float64)
    return np.asarray(Z, dtype=np.float64).reshape(len(Z), -1)


def evaluate(
    representation,
    X_pool,
    y_pool,
    X_test,
    y_test,
    budgets,
    knn_budget=10,
    keep_embeddings=False,
    svm=False,
):
    """Fit ``representation`` on the pool without labels and score it.

    Parameters
    ----------
    representation : transformer or None
        Fitted with ``fit(X_pool)``; None means the raw features.
    budgets : list of int or "all"
        Labels per class for the linear probe.
    knn_budget : int or "all"
        Labels per class for the kNN probe.
    keep_embeddings : bool
        Also return the test embeddings under ``"Z_test"``.
    svm : bool
        Also score the TS2Vec protocol with all labels (:func:`svm_accuracy`).

    Returns
    -------
    result : dict
        ``linear`` (accuracy per budget), ``knn``, ``ari`` and ``fit_seconds``.
    """
    start = time.perf_counter()
    if representation is None:
        Z_pool, Z_test = X_pool, X_test
    else:
        Z_pool = representation.fit(X_pool).transform(X_pool)
        Z_test = representation.transform(X_test)
    fit_seconds = time.perf_counter() - start
    Z_pool, Z_test = as_features(Z_pool), as_features(Z_test)
    result = {
        "linear": probe_scores(Z_pool, y_pool, Z_test, y_test, budgets),
        "knn": probe_scores(Z_pool, y_pool, Z_test, y_test, [knn_budget], knn_probe)[
            str(knn_budget)
        ],
        "ari": kmeans_ari(Z_test, y_test),
        "fit_seconds": fit_seconds,
    }
    if svm:
        result["svm"] = svm_accuracy(Z_pool, y_pool, Z_test, y_test)
    if keep_embeddings:
        result["Z_test"] = Z_test
    return result
