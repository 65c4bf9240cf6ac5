"""Stage two for class labels: fine-tune a self-supervised encoder with a classification head."""

import numpy as np
import torch
from sklearn.base import ClassifierMixin

from .._labels import PartlyLabeledClassifierMixin
from .._parameters import assign_parameters
from ._base import BaseFineTuned


class FineTunedClassifier(PartlyLabeledClassifierMixin, ClassifierMixin, BaseFineTuned):
    """Classifier that fine-tunes a self-supervised encoder on labels.

    A linear head on the embeddings (after a batch normalisation without
    affine parameters, as in MAE's linear probe [3]_) is trained with the
    cross-entropy loss, together with the pretrained encoder, on the labeled
    rows. Rows whose
    label is -1 (``unlabeled``) are unlabeled, the convention of
    :mod:`sklearn.semi_supervised`: they take part in pretraining only, and -1
    never becomes a class. ``score`` ignores them as well.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (-1 excluded).

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
        **PartlyLabeledClassifierMixin._parameter_constraints,
    }

    def __init__(
        self,
        estimator,
        *,
        # shared by the fine-tuning estimators (finetune/_base.py)
        max_epochs=50, freeze_epochs=10, encoder_lr_scale=0.1, warmup=0.0, augment=False,
        batch_size=64, lr=1e-2, weight_decay=1e-4, device="auto", random_state=None, verbose=0,
        n_jobs=None,
        # shared by the partly labeled classifiers (_labels.py)
        unlabeled=-1,
    ):  # fmt: skip
        assign_parameters(self, locals())

    def _check_targets(self, X, y):
        y, labeled = self._partly_labeled_targets(X, y)
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
