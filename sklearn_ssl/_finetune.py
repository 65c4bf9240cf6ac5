"""Stage two: fine-tune a self-supervised encoder with a classification or regression head."""

from numbers import Integral

import numpy as np
import torch
from sklearn.base import ClassifierMixin, RegressorMixin, _fit_context
from sklearn.metrics import accuracy_score
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import check_array, check_consistent_length

from ._finetune_base import BaseFineTuned
from ._labels import check_partly_labeled_targets, unlabeled_mask

_SHARED_PARAMETERS = """
    estimator : self-supervised transformer of sklearn_ssl
        The pretrained representation, e.g. ``SCARF(...)``. If it is already
        fitted (or wrapped in :class:`sklearn.frozen.FrozenEstimator`, which
        keeps it fitted through ``clone`` and so through ``GridSearchCV``),
        its encoder is fine-tuned as it is; otherwise a clone is first
        pretrained on all rows of ``X``, labeled or not. The estimator itself
        is never modified.
    max_epochs : int, default=50
        Passes over the labeled rows.
    freeze_epochs : int, default=10
        The encoder is frozen (evaluation mode, no gradients) during the first
        ``freeze_epochs`` epochs, so that the new head is fitted before it
        sends gradients into the encoder: linear probing, then fine-tuning
        (LP-FT, Kumar et al. 2022). 0 fine-tunes from the first epoch; a value
        of ``max_epochs`` or more trains a linear probe only.
    encoder_lr_scale : float, default=0.1
        The encoder's learning rate is ``lr * encoder_lr_scale``: pretrained
        layers move less than the new head (discriminative learning rates,
        Howard and Ruder 2018). 0 keeps the encoder's weights fixed.
    augment : bool, default=False
        Apply the estimator's pretext augmentation (``SCARF``'s and ``VIME``'s
        feature corruption, image views, ...) to every training batch, as a
        regulariser for the few labeled rows.
    batch_size : int, default=64
        Labeled rows per batch; also the chunk size at prediction.
    lr : float, default=1e-2
        Learning rate of the head (AdamW).
    weight_decay : float, default=1e-4
        AdamW weight decay.
    device : str or torch.device, default="auto"
        ``"auto"`` trains on CUDA when available, else on the CPU; bfloat16
        autocast is used on CUDA.
    random_state : int, RandomState instance or None, default=None
        Seeds the head's initialisation, batch order and augmentation, and the
        pretraining when the estimator is unfitted and has no seed of its own.
    verbose : int, default=0
        1 shows a progress bar over epochs."""

_SHARED_ATTRIBUTES = """
    estimator_ : self-supervised transformer
        The fitted transformer whose encoder was fine-tuned (``estimator``
        itself when it came fitted); its own ``encoder_`` is left as
        pretrained, the fine-tuned copy is ``net_.module_.encoder``.
    net_ : skorch.NeuralNet
        The skorch net; ``net_.module_`` is the fine-tuned encoder plus head.
    history_ : skorch.History
        Per-epoch training loss (``history_[:, "train_loss"]``) and timings.
    n_iter_ : int
        Epochs trained.
    n_features_in_ : int
        Number of features seen during fit (for inputs that have features).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string feature names."""


_UNLABELED_PARAMETER = """
    unlabeled : int, str or None, default=-1
        The label that marks an unlabeled row; -1 is the convention of
        :mod:`sklearn.semi_supervised`. None treats every row as labeled, so
        that -1 can be a class."""


class FineTunedClassifier(ClassifierMixin, BaseFineTuned):
    __doc__ = f"""Classifier that fine-tunes a self-supervised encoder on labels.

    A linear head on the embeddings (after a batch normalisation without
    affine parameters, as in MAE's linear probe [3]_) is trained with the
    cross-entropy loss,
    together with the pretrained encoder, on the labeled rows. Rows whose
    label is -1 (``unlabeled``) are unlabeled, the convention of
    :mod:`sklearn.semi_supervised`: they take part in pretraining only, and -1
    never becomes a class. ``score`` ignores them as well.

    Parameters
    ----------{_SHARED_PARAMETERS}{_UNLABELED_PARAMETER}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (-1 excluded).{_SHARED_ATTRIBUTES}

    See Also
    --------
    FineTunedRegressor : The same for regression targets.
    SelfSupervisedClassifier : Any scikit-learn classifier on frozen embeddings.

    References
    ----------
    .. [1] A. Kumar, A. Raghunathan, R. Jones, T. Ma and P. Liang, "Fine-Tuning
       can Distort Pretrained Features and Underperform Out-of-Distribution",
       ICLR 2022.
    .. [2] J. Howard and S. Ruder, "Universal Language Model Fine-tuning for
       Text Classification", ACL 2018.
    .. [3] K. He, X. Chen, S. Xie, Y. Li, P. Dollár and R. Girshick, "Masked
       Autoencoders Are Scalable Vision Learners", CVPR 2022.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn_ssl import SCARF, FineTunedClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> y_partial = np.where(np.arange(len(y)) % 10 == 0, y, -1)  # 10% labeled
    >>> scarf = SCARF(n_components=16, hidden_layer_sizes=(64,), max_epochs=5)
    >>> clf = FineTunedClassifier(scarf, max_epochs=20, random_state=0).fit(X, y_partial)
    >>> clf.classes_
    array([0, 1])
    >>> bool(clf.score(X, y) > 0.8)
    True
    """

    _parameter_constraints: dict = {
        **BaseFineTuned._parameter_constraints,
        "unlabeled": [Integral, str, None],
    }

    def __init__(
        self,
        estimator,
        *,
        max_epochs=50,
        freeze_epochs=10,
        encoder_lr_scale=0.1,
        augment=False,
        batch_size=64,
        lr=1e-2,
        weight_decay=1e-4,
        device="auto",
        random_state=None,
        verbose=0,
        unlabeled=-1,
    ):
        super().__init__(
            estimator,
            max_epochs=max_epochs,
            freeze_epochs=freeze_epochs,
            encoder_lr_scale=encoder_lr_scale,
            augment=augment,
            batch_size=batch_size,
            lr=lr,
            weight_decay=weight_decay,
            device=device,
            random_state=random_state,
            verbose=verbose,
        )
        self.unlabeled = unlabeled

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Pretrain (if needed) on all rows, then fine-tune on the labeled rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows of the kind the estimator takes.
        y : array-like of shape (n_samples,)
            Class labels; ``unlabeled`` (-1) marks an unlabeled row.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        return self._fit(X, y)

    def _check_targets(self, X, y):
        y, labeled = check_partly_labeled_targets(X, y, type(self).__name__, self.unlabeled)
        self.classes_, targets = np.unique(y[labeled], return_inverse=True)
        return targets.astype(np.int64), labeled, len(self.classes_)

    def _criterion(self):
        return torch.nn.CrossEntropyLoss

    def predict_proba(self, X):
        """Class probabilities of the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Softmax of the head's outputs, columns in the order of ``classes_``.
        """
        logits = self._forward(X)  # (n, n_classes)
        logits -= logits.max(axis=1, keepdims=True)
        proba = np.exp(logits)
        return proba / proba.sum(axis=1, keepdims=True)

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
        logits = self._forward(X)  # (n, n_classes)
        return self.classes_[logits.argmax(axis=1)]

    def score(self, X, y, sample_weight=None):
        """Accuracy on the labeled rows of ``(X, y)``; rows with ``y == -1`` are ignored.

        So ``cross_val_score`` and ``GridSearchCV`` on partly labeled data
        score each test fold on its labeled rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows.
        y : array-like of shape (n_samples,)
            True labels, -1 for unlabeled rows.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
        """
        return labeled_accuracy(self, X, y, sample_weight)


def labeled_accuracy(classifier, X, y, sample_weight=None):
    """Accuracy of ``classifier`` on the rows whose label is not ``classifier.unlabeled``."""
    y = np.asarray(y)
    labeled = ~unlabeled_mask(y, classifier.unlabeled)
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight)[labeled]
    if not labeled.all():
        X = _safe_indexing(X, np.flatnonzero(labeled))
    return accuracy_score(y[labeled], classifier.predict(X), sample_weight=sample_weight)


class FineTunedRegressor(RegressorMixin, BaseFineTuned):
    __doc__ = f"""Regressor that fine-tunes a self-supervised encoder on targets.

    A linear head on the batch-normalised embeddings is trained with the mean
    squared error on standardised targets, together with the pretrained
    encoder, on the labeled rows. Since -1 is a valid regression target, rows
    whose target is NaN are the unlabeled ones: they take part in pretraining
    only. Several targets (``y`` of shape (n_samples, n_targets)) are
    predicted jointly.

    Parameters
    ----------{_SHARED_PARAMETERS}

    Attributes
    ----------{_SHARED_ATTRIBUTES}

    See Also
    --------
    FineTunedClassifier : The same for class labels.

    References
    ----------
    .. [1] A. Kumar, A. Raghunathan, R. Jones, T. Ma and P. Liang, "Fine-Tuning
       can Distort Pretrained Features and Underperform Out-of-Distribution",
       ICLR 2022.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn_ssl import VIME, FineTunedRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> vime = VIME(n_components=16, hidden_layer_sizes=(64,), max_epochs=5)
    >>> reg = FineTunedRegressor(vime, max_epochs=10, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    """

    def __init__(
        self,
        estimator,
        *,
        max_epochs=50,
        freeze_epochs=10,
        encoder_lr_scale=0.1,
        augment=False,
        batch_size=64,
        lr=1e-2,
        weight_decay=1e-4,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        super().__init__(
            estimator,
            max_epochs=max_epochs,
            freeze_epochs=freeze_epochs,
            encoder_lr_scale=encoder_lr_scale,
            augment=augment,
            batch_size=batch_size,
            lr=lr,
            weight_decay=weight_decay,
            device=device,
            random_state=random_state,
            verbose=verbose,
        )

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Pretrain (if needed) on all rows, then fine-tune on the labeled rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows of the kind the estimator takes.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets; NaN marks an unlabeled row.

        Returns
        -------
        self : object
            The fitted regressor.
        """
        return self._fit(X, y)

    def _check_targets(self, X, y):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        y = check_array(
            y, ensure_2d=False, dtype=np.float64, ensure_all_finite="allow-nan", input_name="y"
        )
        check_consistent_length(X, y)
        if y.ndim > 2:
            raise ValueError(f"y must be 1- or 2-dimensional, got shape {y.shape}.")
        self._y_ndim = y.ndim
        y = y.reshape(len(y), -1)  # (n, n_targets)
        missing = np.isnan(y)
        labeled = ~missing.all(axis=1)
        if missing[labeled].any():
            raise ValueError(
                "y has NaN in some but not all targets of a row; NaN marks a whole "
                "row as unlabeled."
            )
        if not labeled.any():
            raise ValueError(
                f"{type(self).__name__} needs labeled rows, but every target is NaN "
                "(the mark of an unlabeled row)."
            )
        self._y_mean = y[labeled].mean(axis=0)
        scale = y[labeled].std(axis=0)
        self._y_scale = np.where(scale > 0, scale, 1.0)
        targets = (y[labeled] - self._y_mean) / self._y_scale
        return targets.astype(np.float32), labeled, y.shape[1]

    def _criterion(self):
        return torch.nn.MSELoss

    def predict(self, X):
        """Predicted targets of the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
        """
        y_pred = self._forward(X) * self._y_scale + self._y_mean  # (n, n_targets)
        return y_pred.ravel() if self._y_ndim == 1 else y_pred

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
