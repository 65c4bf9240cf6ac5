"""Stage two for class labels: fine-tune a self-supervised encoder with a classification head."""

import numpy as np
import torch
from sklearn.base import ClassifierMixin

from .._labels import PartlyLabeledClassifierMixin
from .._parameters import assign_parameters, constraints
from .._persistence import loadable
from ._base import BaseFineTuned
from ._contrastive import ContrastivePairsMixin
from ._parameters import CONTRASTIVE_PARAMETERS, SEMI_SUPERVISED_PARAMETERS
from ._unlabeled import UnlabeledRowsMixin


@loadable
class FineTunedClassifier(
    ContrastivePairsMixin,
    UnlabeledRowsMixin,
    PartlyLabeledClassifierMixin,
    ClassifierMixin,
    BaseFineTuned,
):
    """Classifier that fine-tunes a self-supervised encoder on labels.

    A linear head on the embeddings (after a batch normalisation without
    affine parameters, as in MAE's linear probe [3]_) is trained with the
    cross-entropy loss, together with the pretrained encoder, on the labeled
    rows. Rows whose
    label is -1 (``unlabeled``) are unlabeled, the convention of
    :mod:`sklearn.semi_supervised`: they take part in pretraining, and -1
    never becomes a class. ``score`` ignores them as well.

    The rows of ``X`` can serve a second time, in the network: with
    ``consistency_weight > 0`` each fine-tuning step adds FixMatch's loss [4]_
    on them (the confident prediction on a clean row is the target of its
    augmented view), and with ``distill_epochs > 0`` the fine-tuned network
    then teaches a student on all of them, SimCLRv2's distillation [5]_.
    Which second use helps depends on the representation: measure it (the
    fine-tuning guide has the benchmark). With ``contrastive_epochs > 0`` the
    encoder first learns from pairs of labeled rows to embed rows of one class
    alike, SetFit's recipe [6]_.

    The ``"auto"`` defaults follow where the encoder comes from. Pretrained
    here (SCARF, SimCLR, ...): ten epochs of the head alone, then the whole
    network (LP-FT [1]_). From a checkpoint trained elsewhere
    (``MaskedLanguageModel(pretrained=...)``), whose weights a few labeled rows
    at these learning rates would wear away: SetFit's recipe, one contrastive
    epoch at 2e-5 in batches of 16 pairs, then the head alone on the tuned
    encoder's embeddings. The fitted ``freeze_epochs_``, ``batch_size_``,
    ``contrastive_epochs_`` and ``contrastive_lr_`` record the values used.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (-1 excluded).
    teacher_net_ : sklearn_ssl._engine.PretextNet
        With ``distill_epochs > 0``: the fine-tuned network that taught the
        student ``net_``.
    contrastive_history_ : skorch.History
        With ``contrastive_epochs > 0``: the pair loss per epoch of the
        contrastive step.
    contrastive_epochs_ : int
        The epochs of the contrastive step (``contrastive_epochs``, resolved
        when ``"auto"``).
    contrastive_lr_ : float
        The contrastive step's learning rate (``contrastive_lr``, resolved).

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
    .. [4] K. Sohn, D. Berthelot, C.-L. Li, Z. Zhang, N. Carlini, E. D. Cubuk,
       A. Kurakin, H. Zhang and C. Raffel, "FixMatch: Simplifying
       Semi-Supervised Learning with Consistency and Confidence", NeurIPS 2020.
    .. [5] T. Chen, S. Kornblith, K. Swersky, M. Norouzi and G. Hinton, "Big
       Self-Supervised Models are Strong Semi-Supervised Learners", NeurIPS 2020.
    .. [6] L. Tunstall, N. Reimers, U. E. S. Jo, L. Bates, D. Korat, M. Wasserblat
       and O. Pereg, "Efficient Few-Shot Learning Without Prompts", 2022.

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
        **constraints(SEMI_SUPERVISED_PARAMETERS),
        **constraints(CONTRASTIVE_PARAMETERS),
    }
    _shared_parameters = {
        **BaseFineTuned._shared_parameters,
        **SEMI_SUPERVISED_PARAMETERS,
        **CONTRASTIVE_PARAMETERS,
    }

    def __init__(
        self,
        estimator,
        *,
        # shared by the fine-tuning estimators (finetune/_parameters.py)
        max_epochs=50, freeze_epochs="auto", encoder_lr_scale=0.1, warmup=0.0, augment=False,
        batch_size="auto", lr=1e-2, weight_decay=1e-4, device="auto", data_on_device="auto",
        precision="auto", callbacks=None, n_iter_no_change=None, validation_fraction=0.1,
        tol=1e-4, random_state=None, verbose=0, n_jobs=None,
        # the second use of the unlabeled rows (finetune/_parameters.py)
        consistency_weight=0.0, confidence_threshold=0.95, unlabeled_ratio=7, distill_epochs=0,
        distill_temperature=1.0, distill_targets="soft", distill_student="same",
        # contrastive pairs of labeled rows first (finetune/_parameters.py)
        contrastive_epochs="auto", pair_rounds=20, contrastive_lr="auto",
        # shared by the partly labeled classifiers (_labels.py)
        unlabeled=-1,
    ):  # fmt: skip
        assign_parameters(self, locals())

    def _check_targets(self, X, y):
        y, labeled = self._partly_labeled_targets(X, y)
        self.classes_, targets = np.unique(y[labeled], return_inverse=True)
        return targets.astype(np.int64), labeled, len(self.classes_)

    def _criterion(self):
        return torch.nn.CrossEntropyLoss()

    def _stratify(self, targets):
        return targets

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
