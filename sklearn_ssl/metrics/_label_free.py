"""Label-free criteria for a fitted self-supervised transformer: its ``score`` and scorers."""

from sklearn.utils.validation import _num_samples, check_is_fitted

from .._engine import embed
from ._alpha_req import alpha_req
from ._lidar import lidar
from ._pretext_loss import pretext_loss
from ._rankme import rankme
from ._sphere import alignment, uniformity
from ._views import view_embeddings

#: Rows of ``X`` that the uniformity criterion compares pairwise, at most.
UNIFORMITY_ROWS = 2048


def _embeddings(estimator, X):
    """The learned embeddings of the rows of ``X`` (without passthrough columns)."""
    check_is_fitted(estimator)
    return embed(estimator, estimator._validate_input(X, reset=False))


def _rankme(estimator, X):
    return rankme(_embeddings(estimator, X))


def _alpha_req(estimator, X):
    return -abs(alpha_req(_embeddings(estimator, X)) - 1.0)


def _lidar(estimator, X):
    return lidar(view_embeddings(estimator, X))


def _alignment(estimator, X):
    Z_views = view_embeddings(estimator, X, n_views=2)  # (n, 2, n_components)
    return -alignment(Z_views[:, 0], Z_views[:, 1])


def _uniformity(estimator, X):
    Z = _embeddings(estimator, X)
    step = -(-len(Z) // UNIFORMITY_ROWS)  # ceil: evenly spaced rows, at most UNIFORMITY_ROWS
    return -uniformity(Z[::step])


def _pretext_loss(estimator, X):
    return -pretext_loss(estimator, X)


#: ``{name: criterion(estimator, X) -> float}``, higher is better for each.
CRITERIA = {
    "rankme": _rankme,
    "alpha_req": _alpha_req,
    "lidar": _lidar,
    "uniformity": _uniformity,
    "alignment": _alignment,
    "pretext_loss": _pretext_loss,
}


def check_criterion(criterion, name):
    """The criterion function called ``criterion``; a ValueError names the argument ``name``."""
    if not isinstance(criterion, str) or criterion not in CRITERIA:
        raise ValueError(
            f"{name} must be one of {', '.join(map(repr, CRITERIA))}; got {criterion!r}."
        )
    return CRITERIA[criterion]


def score_rows(criterion, estimator, X):
    """``criterion(estimator, X)`` as a float, after checking that ``X`` has rows to compare.

    Every criterion measures how the embeddings of several rows spread, so
    fewer than 2 rows get a ValueError that says so, rather than one from
    deep inside a criterion.
    """
    n_rows = _num_samples(X)
    if n_rows < 2:
        raise ValueError(
            "A label-free score compares the embeddings of several rows: X needs at "
            f"least 2 rows, got {n_rows}."
        )
    return float(criterion(estimator, X))


class LabelFreeScorer:
    """A scorer ``(estimator, X, y=None) -> float`` for one label-free criterion.

    Made by :func:`label_free_scorer`; a class rather than a closure so that
    ``GridSearchCV(n_jobs=...)`` can pickle it.

    Parameters
    ----------
    criterion : str
        A name among those of :func:`label_free_scorer`.
    """

    def __init__(self, criterion):
        self.criterion = criterion
        self._score = check_criterion(criterion, "criterion")

    def __call__(self, estimator, X, y=None):
        return score_rows(self._score, estimator, X)

    def __repr__(self):
        return f"label_free_scorer({self.criterion!r})"


def label_free_scorer(criterion="rankme"):
    """A scorer that ranks fitted self-supervised transformers without labels.

    ``GridSearchCV(SCARF(), grid, scoring=label_free_scorer("alpha_req")).fit(X)``
    fits each candidate on the training folds and scores it on the held-out
    fold by the criterion, whatever the estimators' ``score_criterion``.
    Higher is better for every criterion:

    * ``"rankme"``: :func:`rankme` of the embeddings;
    * ``"alpha_req"``: ``-abs(alpha - 1)`` with ``alpha`` the
      :func:`alpha_req` eigenspectrum decay of the embeddings;
    * ``"lidar"``: :func:`lidar` of 8 augmented views of each of at most 1024
      evenly spaced rows (:func:`view_embeddings`), for the methods with an
      augmentation of rows;
    * ``"uniformity"``: minus :func:`uniformity` of the embeddings (of at most
      2048 evenly spaced rows, as it compares every pair);
    * ``"alignment"``: minus :func:`alignment` of two augmented views of each
      row, as ``"lidar"`` makes them; a collapsed encoder aligns perfectly,
      so use it beside another criterion, not alone;
    * ``"pretext_loss"``: minus :func:`pretext_loss`, the method's own loss on
      the held-out rows.

    Parameters
    ----------
    criterion : {"rankme", "alpha_req", "lidar", "uniformity", "alignment", \
            "pretext_loss"}, default="rankme"
        The criterion.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> float``; ``y`` is ignored.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_ssl import VIME
    >>> from sklearn_ssl.metrics import label_free_scorer
    >>> X, _ = load_digits(return_X_y=True)
    >>> search = GridSearchCV(
    ...     VIME(max_epochs=1, random_state=0),
    ...     {"n_components": [4, 16]},
    ...     scoring=label_free_scorer("uniformity"),
    ...     cv=2,
    ... ).fit(X)
    >>> sorted(search.best_params_)
    ['n_components']
    """
    return LabelFreeScorer(criterion)
