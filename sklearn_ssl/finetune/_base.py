"""What the fine-tuning classifier and regressor share.

Stage two of self-supervised learning: the encoder a self-supervised
transformer pretrained without labels is trained further, together with a new
head, on the labeled rows. The code touches the transformer only through the
shell's generic hooks (``_validate_input``, ``_as_tensor``,
``_embedding_batches``, ``_augment_for_finetuning``, ``encoder_``,
``n_components_``), so it serves every data kind: tables, images, text.
"""

import copy
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state, get_tags
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import LRScheduler
from torch.optim.lr_scheduler import LambdaLR

from .._engine import apply_in_batches
from .._engine.batches import DeviceBatches
from .._engine.callbacks import EpochProgressBar
from .._engine.finetune_net import FineTuneNet, WarmupThenLinearDecay
from .._engine.torch_context import (
    make_generator,
    resolve_autocast_dtype,
    resolve_device,
    seeded_torch,
    torch_threads,
)
from .._estimator import EstimatorMixin
from .._parameters import SharedAttribute, SharedParameter, constraints
from ..base import TRAINING_PARAMETERS
from ._encoder_with_head import EncoderWithHead

#: The hooks a self-supervised transformer of this library offers.
SHELL_HOOKS = ["fit", "transform", "_validate_input", "_as_tensor", "_augment_for_finetuning"]

#: The parameters of every fine-tuning estimator.
FINE_TUNING_PARAMETERS = {
    "estimator": SharedParameter(
        "self-supervised transformer of sklearn_ssl",
        """\
The pretrained representation, e.g. ``SCARF(...)``. If it is already
fitted (or wrapped in :class:`sklearn.frozen.FrozenEstimator`, which keeps
it fitted through ``clone`` and so through ``GridSearchCV``), its encoder is
fine-tuned as it is; otherwise a clone is first pretrained on all rows of
``X``, labeled or not. The estimator itself is never modified.""",
        [HasMethods(SHELL_HOOKS)],
    ),
    "max_epochs": SharedParameter(
        "int", "Passes over the labeled rows.", [Interval(Integral, 1, None, closed="left")], 50
    ),
    "freeze_epochs": SharedParameter(
        "int",
        """\
The encoder is frozen (evaluation mode, no gradients) during the first
``freeze_epochs`` epochs, so that the new head is fitted before it sends
gradients into the encoder: linear probing, then fine-tuning (LP-FT, Kumar
et al. 2022). 0 fine-tunes from the first epoch; a value of ``max_epochs``
or more trains a linear probe only.""",
        [Interval(Integral, 0, None, closed="left")],
        10,
    ),
    "encoder_lr_scale": SharedParameter(
        "float",
        """\
The encoder's learning rate is ``lr * encoder_lr_scale``: pretrained layers
move less than the new head (discriminative learning rates, Howard and
Ruder 2018). 0 keeps the encoder's weights fixed.""",
        [Interval(Real, 0, None, closed="left")],
        0.1,
    ),
    "warmup": SharedParameter(
        "float",
        """\
Fraction of the training steps over which the learning rates rise linearly
from 0; they then fall linearly to 0 at the last step, the schedule of
BERT's fine-tuning (Devlin et al. 2019), which pretrained transformers
want. 0 keeps them constant.""",
        [Interval(Real, 0, 1, closed="left")],
        0.0,
    ),
    "augment": SharedParameter(
        "bool",
        """\
Apply the estimator's pretext augmentation (``SCARF``'s and ``VIME``'s
feature corruption, image views, ...) to every training batch, as a
regulariser for the few labeled rows.""",
        ["boolean"],
        False,
    ),
    "batch_size": SharedParameter(
        "int",
        "Labeled rows per training batch.",
        [Interval(Integral, 1, None, closed="left")],
        64,
    ),
    "lr": SharedParameter(
        "float",
        "Learning rate of the head (AdamW).",
        [Interval(Real, 0, None, closed="neither")],
        1e-2,
    ),
    "weight_decay": SharedParameter(
        "float", "AdamW weight decay.", [Interval(Real, 0, None, closed="left")], 1e-4
    ),
    "device": TRAINING_PARAMETERS["device"],
    "random_state": SharedParameter(
        "int, RandomState instance or None",
        """\
Seeds the head's initialisation, batch order and augmentation, and the
pretraining when the estimator is unfitted and has no seed of its own.""",
        ["random_state"],
        None,
    ),
    "verbose": TRAINING_PARAMETERS["verbose"],
    "n_jobs": TRAINING_PARAMETERS["n_jobs"],
}

#: The fitted attributes of every fine-tuning estimator.
FINE_TUNING_ATTRIBUTES = {
    "estimator_": SharedAttribute(
        "self-supervised transformer",
        """\
The fitted transformer whose encoder was fine-tuned (``estimator`` itself
when it came fitted); its own ``encoder_`` is left as pretrained, the
fine-tuned copy is ``net_.module_.encoder``.""",
    ),
    "net_": SharedAttribute(
        "skorch.NeuralNet", "The skorch net; ``net_.module_`` is the fine-tuned encoder plus head."
    ),
    "history_": SharedAttribute(
        "skorch.History", 'Per-epoch training loss (``history_[:, "train_loss"]``) and timings.'
    ),
    "n_iter_": SharedAttribute("int", "Epochs trained."),
    "n_features_in_": SharedAttribute(
        "int", "Number of features seen during fit (for inputs that have features)."
    ),
    "feature_names_in_": SharedAttribute(
        "ndarray of shape (n_features_in_,)",
        "Names of features seen during fit, when X has string feature names.",
    ),
}


def is_fitted(estimator):
    """Whether ``estimator`` is fitted, by scikit-learn's own test."""
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True


class BaseFineTuned(EstimatorMixin, BaseEstimator, metaclass=ABCMeta):
    """Base class of the fine-tuning estimators; see FineTunedClassifier."""

    _shared_parameters = FINE_TUNING_PARAMETERS
    _shared_attributes = FINE_TUNING_ATTRIBUTES
    _parameter_constraints: dict = constraints(FINE_TUNING_PARAMETERS)

    # -- steps the classifier and regressor provide --------------------------

    @abstractmethod
    def _check_targets(self, X, y):
        """Validate ``y``; return the labeled rows' training targets, the
        labeled-row mask and the number of outputs of the head."""

    @abstractmethod
    def _criterion(self):
        """The supervised loss module."""

    # -- shared steps ----------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Pretrain (if needed) on all rows, then fine-tune on the labeled rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows of the kind the estimator takes.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Class labels, ``unlabeled`` (-1) marking an unlabeled row; or
            regression targets, NaN marking an unlabeled row.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        targets, labeled, n_outputs = self._check_targets(X, y)
        random_state = check_random_state(self.random_state)
        pretrain_seed, seed = random_state.randint(2**31 - 1, size=2)
        self.estimator_ = self._pretrained(X, int(pretrain_seed))
        X = self.estimator_._validate_input(X, reset=False)
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimator_, name):
                setattr(self, name, getattr(self.estimator_, name))
        X_labeled = X[labeled]
        if len(X_labeled) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 labeled samples to fine-tune, "
                f"got {len(X_labeled)} sample."
            )
        device = resolve_device(self.device)
        generator = make_generator(int(seed), device)
        batches = self._labeled_batches(X_labeled, targets, device, generator)
        with seeded_torch(int(seed), device):
            self.net_ = self._build_net(n_outputs, device, len(batches))
        with seeded_torch(int(seed), device), torch_threads(self.n_jobs, device):
            try:
                self.net_.partial_fit(batches)
            except FloatingPointError:
                del self.net_  # diverged weights would give garbage predictions
                raise
            self.net_.module_.eval()
        self.history_ = self.net_.history
        self.n_iter_ = len(self.history_)
        return self

    def _pretrained(self, X, seed):
        """The fitted transformer: ``estimator`` if fitted, else a clone pretrained on X.

        A fitted estimator is kept by reference, as scikit-learn's prefit
        meta-estimators do, and never modified: its encoder is copied before
        fine-tuning.
        """
        if is_fitted(self.estimator):
            return self.estimator
        estimator = clone(self.estimator)
        if estimator.get_params().get("random_state", 0) is None and self.random_state is not None:
            estimator.set_params(random_state=seed)
        return estimator.fit(X)

    def _labeled_batches(self, X_labeled, targets, device, generator):
        """The ``(X_batch, y_batch)`` pairs of an epoch: the estimator's own (text
        batches strings of similar length), or shuffled device-resident rows."""
        augment = self.estimator_._augment_for_finetuning if self.augment else None
        targets = torch.as_tensor(targets, device=device)
        own = getattr(self.estimator_, "_labeled_batches", None)
        if own is not None:
            return own(X_labeled, targets, device, self.batch_size, generator, augment)
        data = self.estimator_._as_tensor(X_labeled, device)
        return DeviceBatches(data, self.batch_size, generator, targets=targets, augment=augment)

    def _build_net(self, n_outputs, device, steps_per_epoch):
        encoder = copy.deepcopy(self.estimator_.encoder_)
        width = self.estimator_.n_components_
        # batch norm without affine parameters before the linear layer makes the
        # head insensitive to the embeddings' scale (MAE's linear probe, He et al. 2022)
        head = torch.nn.Sequential(
            torch.nn.BatchNorm1d(width, affine=False), torch.nn.Linear(width, n_outputs)
        )
        callbacks = []
        if self.warmup > 0:
            total_steps = self.max_epochs * steps_per_epoch
            schedule = WarmupThenLinearDecay(total_steps, self.warmup * total_steps)
            callbacks.append(
                ("schedule", LRScheduler(LambdaLR, lr_lambda=schedule, step_every="batch"))
            )
        if self.verbose:
            callbacks.append(("progress", EpochProgressBar(type(self).__name__)))
        net = FineTuneNet(
            EncoderWithHead(encoder, head).to(device),
            freeze_epochs=self.freeze_epochs,
            criterion=self._criterion(),
            autocast_dtype=resolve_autocast_dtype("auto", device),
            optimizer=torch.optim.AdamW,
            optimizer__param_groups=[("encoder.*", {"lr": self.lr * self.encoder_lr_scale})],
            optimizer__weight_decay=self.weight_decay,
            lr=self.lr,
            max_epochs=self.max_epochs,
            device=str(device),
            callbacks=callbacks,
        )
        return net.initialize()

    def _forward(self, X):
        """The head's outputs for the rows of ``X``, as a float64 array."""
        check_is_fitted(self, "net_")
        X = self.estimator_._validate_input(X, reset=False)
        device = torch.device(self.net_.device)
        with torch_threads(self.n_jobs, device):
            batches = self.estimator_._embedding_batches(X, device)
            return apply_in_batches(self.net_.module_, batches, len(X)).astype(np.float64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags = copy.deepcopy(get_tags(self.estimator).input_tags)
        return tags
