"""Semi-supervised classification with any classifier on self-supervised embeddings."""

import copy

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import LabelPropagation, LabelSpreading, SelfTrainingClassifier
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from .._estimator import EstimatorMixin
from .._labels import PartlyLabeledClassifierMixin
from .._parameters import assign_parameters
from .._renamed import deprecated_option, renamed_value
from ._seeded_kmeans import SeededKMeansClassifier

#: The classifiers that learn from rows labeled -1: scikit-learn's and ours.
SEMI_SUPERVISED = (
    SelfTrainingClassifier,
    LabelPropagation,
    LabelSpreading,
    SeededKMeansClassifier,
)


def learns_from_unlabeled_rows(classifier):
    """Whether ``classifier`` (or the last step of a Pipeline) takes rows labeled -1:
    one of :mod:`sklearn.semi_supervised`'s, or :class:`SeededKMeansClassifier`."""
    while isinstance(classifier, Pipeline):
        classifier = classifier.steps[-1][1]
    return isinstance(classifier, SEMI_SUPERVISED)


def _classifier_has(method):
    """Whether the (fitted, else the given) classifier offers ``method``."""

    def check(self):
        classifier = getattr(self, "classifier_", None) or self._classifier()
        return hasattr(classifier, method)

    return check


class SelfSupervisedClassifier(
    EstimatorMixin,
    PartlyLabeledClassifierMixin,
    MetaEstimatorMixin,
    ClassifierMixin,
    BaseEstimator,
):
    """A classifier on the embeddings of a transformer pretrained on all rows.

    ``fit(X, y)`` fits a clone of ``estimator`` on every row of ``X``
    without labels, then a clone of ``classifier`` on the embeddings of the
    labeled rows, or of every row when the classifier learns from unlabeled
    rows too (one of :mod:`sklearn.semi_supervised`'s or
    :class:`SeededKMeansClassifier`, alone or ending a Pipeline: it then uses
    the pool a second time, e.g. self-training on the embeddings). Rows whose
    label is -1 (``unlabeled``) are unlabeled, the convention of
    :mod:`sklearn.semi_supervised`: they serve the pretraining (and such a
    classifier), and -1 never becomes a class. ``score`` ignores them too, so
    ``cross_val_score`` and ``GridSearchCV`` with their default scoring
    measure accuracy on the labeled rows of each test fold (a scoring string
    such as ``"accuracy"`` would count the -1 rows as errors).

    To reuse one pretraining across a search over the classifier, pass the
    fitted transformer wrapped in :class:`sklearn.frozen.FrozenEstimator`.

    Parameters
    ----------
    estimator : transformer, default=None
        The representation, usually a self-supervised transformer of this
        library; any scikit-learn transformer works. Required: None only
        while the deprecated ``transformer`` names it.
    classifier : classifier or None, default=None
        Fitted on the embeddings of the labeled rows; None means
        ``make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))``,
        the linear probe of the evaluation protocol. A
        :class:`~sklearn.semi_supervised.SelfTrainingClassifier`,
        :class:`~sklearn.semi_supervised.LabelSpreading`,
        :class:`~sklearn.semi_supervised.LabelPropagation` or
        :class:`SeededKMeansClassifier` (or a Pipeline ending in one) is
        fitted on every row's embedding, the unlabeled ones labeled -1
        (classes encoded as 0, 1, ... for it).
    transformer : transformer, default="deprecated"
        .. deprecated:: 0.2
           ``transformer`` was renamed ``estimator`` (the name the fine-tuning
           estimators use) and will be removed in 0.3; a value given here is
           the representation in place of ``estimator``.

    Attributes
    ----------
    transformer_ : transformer
        The transformer fitted on all rows.
    classifier_ : classifier
        The classifier fitted on the labeled rows' embeddings.
    classes_ : ndarray of shape (n_classes,)
        The class labels (-1 excluded).
    n_features_in_ : int
        Number of features seen during fit (for inputs that have features).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string feature names.

    See Also
    --------
    FineTunedClassifier : Also trains the encoder on the labels.
    sklearn.semi_supervised.SelfTrainingClassifier : Self-training on -1 rows.
    SeededKMeansClassifier : k-means seeded by the labeled rows, on -1 rows too.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn_ssl import SCARF, SelfSupervisedClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> y_partial = np.where(np.arange(len(y)) % 10 == 0, y, -1)  # 10% labeled
    >>> scarf = SCARF(n_components=16, hidden_layer_sizes=(64,), max_epochs=5, random_state=0)
    >>> clf = SelfSupervisedClassifier(scarf)
    >>> bool(clf.fit(X, y_partial).score(X, y) > 0.8)
    True
    """

    _renamed_parameters = {"transformer": "estimator"}
    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "transform"]), None],
        "classifier": [HasMethods(["fit", "predict"]), None],
        **PartlyLabeledClassifierMixin._parameter_constraints,
        "transformer": [HasMethods(["fit", "transform"]), deprecated_option()],
    }

    def __init__(self, estimator=None, classifier=None, *, unlabeled=-1, transformer="deprecated"):
        assign_parameters(self, locals())

    def _estimator(self):
        """The representation: ``estimator``, or the deprecated ``transformer`` when it is set."""
        estimator = renamed_value(self, "transformer", "estimator")
        if estimator is None:
            raise ValueError(
                f"{type(self).__name__} needs the transformer that makes the embeddings: "
                f"{type(self).__name__}(estimator, classifier)."
            )
        return estimator

    def _classifier(self):
        if self.classifier is None:
            return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        return self.classifier

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the estimator on all rows and the classifier on the labeled ones.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows of the kind the estimator takes.
        y : array-like of shape (n_samples,)
            Class labels; -1 marks an unlabeled row.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        estimator = self._estimator()
        y, labeled = self._partly_labeled_targets(X, y)
        self.transformer_ = clone(estimator).fit(X, None)
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.transformer_, name):
                setattr(self, name, getattr(self.transformer_, name))
        classifier = clone(self._classifier())
        if learns_from_unlabeled_rows(classifier):
            self.classes_, codes = np.unique(y[labeled], return_inverse=True)
            encoded = np.full(len(y), -1, dtype=np.int64)
            encoded[labeled] = codes
            self.classifier_ = classifier.fit(self.transformer_.transform(X), encoded)
            return self
        embeddings = self.transformer_.transform(X)[labeled]  # (n_labeled, n_components)
        self.classifier_ = classifier.fit(embeddings, y[labeled])
        self.classes_ = self.classifier_.classes_
        return self

    def _decode(self, predictions):
        """Class labels of the classifier's predictions (integer codes for a
        semi-supervised classifier)."""
        if learns_from_unlabeled_rows(self.classifier_):
            return self.classes_[predictions]
        return predictions

    def _embed(self, X):
        check_is_fitted(self)
        return self.transformer_.transform(X)

    def predict(self, X):
        """Predicted class of each row of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        embeddings = self._embed(X)
        return self._decode(self.classifier_.predict(embeddings))

    @available_if(_classifier_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the classifier, for the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        embeddings = self._embed(X)
        return self.classifier_.predict_proba(embeddings)

    @available_if(_classifier_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the classifier, for the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        embeddings = self._embed(X)
        return self.classifier_.decision_function(embeddings)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        wrapped = self.transformer if self.estimator is None else self.estimator
        if hasattr(wrapped, "fit"):  # not before one is given
            tags.input_tags = copy.deepcopy(get_tags(wrapped).input_tags)
        return tags
