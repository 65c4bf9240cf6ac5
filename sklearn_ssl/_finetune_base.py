"""What the fine-tuning classifier and regressor share.

Stage two of self-supervised learning: the encoder a self-supervised
transformer pretrained without labels is trained further, together with a new
head, on the labeled rows. The code touches the transformer only through the
shell's generic hooks (``_validate_input``, ``_as_tensor``,
``_augment_for_finetuning``, ``encoder_``, ``n_components_``), so it serves
every data kind: tables, images, text.
"""

import copy
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state, get_tags
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted

from ._callbacks import EpochProgressBar
from ._doc_links import DocLinkMixin
from ._finetune_net import EncoderWithHead, FineTuneNet, LabeledBatches
from ._torch_context import make_generator, resolve_autocast_dtype, resolve_device, seeded_torch

#: The hooks a self-supervised transformer of this library offers.
SHELL_HOOKS = ["fit", "transform", "_validate_input", "_as_tensor", "_augment_for_finetuning"]


def is_fitted(estimator):
    """Whether ``estimator`` is fitted, by scikit-learn's own test."""
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True


class BaseFineTuned(DocLinkMixin, BaseEstimator, metaclass=ABCMeta):
    """Base class of the fine-tuning estimators; see FineTunedClassifier."""

    _parameter_constraints: dict = {
        "estimator": [HasMethods(SHELL_HOOKS)],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "freeze_epochs": [Interval(Integral, 0, None, closed="left")],
        "encoder_lr_scale": [Interval(Real, 0, None, closed="left")],
        "augment": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    @abstractmethod
    def __init__(
        self,
        estimator,
        *,
        max_epochs,
        freeze_epochs,
        encoder_lr_scale,
        augment,
        batch_size,
        lr,
        weight_decay,
        device,
        random_state,
        verbose,
    ):
        self.estimator = estimator
        self.max_epochs = max_epochs
        self.freeze_epochs = freeze_epochs
        self.encoder_lr_scale = encoder_lr_scale
        self.augment = augment
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # -- steps the classifier and regressor provide --------------------------

    @abstractmethod
    def _check_targets(self, X, y):
        """Validate ``y``; return the labeled rows' training targets, the
        labeled-row mask and the number of outputs of the head."""

    @abstractmethod
    def _criterion(self):
        """The supervised loss module."""

    # -- shared steps ----------------------------------------------------------

    def _fit(self, X, y):
        """Pretrain if needed, then train encoder and head on the labeled rows."""
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
        with seeded_torch(int(seed), device):
            self.net_ = self._build_net(n_outputs, device)
        generator = make_generator(int(seed), device)
        augment = self.estimator_._augment_for_finetuning if self.augment else None
        batches = LabeledBatches(
            self.estimator_._as_tensor(X_labeled, device),
            torch.as_tensor(targets, device=device),
            self.batch_size,
            generator,
            augment,
        )
        with seeded_torch(int(seed), device):
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

    def _build_net(self, n_outputs, device):
        encoder = copy.deepcopy(self.estimator_.encoder_)
        width = self.estimator_.n_components_
        # batch norm without affine parameters before the linear layer makes the
        # head insensitive to the embeddings' scale (MAE's linear probe, He et al. 2022)
        head = torch.nn.Sequential(
            torch.nn.BatchNorm1d(width, affine=False), torch.nn.Linear(width, n_outputs)
        )
        callbacks = []
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
            batch_size=self.batch_size,
            device=str(device),
            callbacks=callbacks,
        )
        return net.initialize()

    def _forward(self, X):
        """The head's outputs for the rows of ``X``, as a float64 array."""
        check_is_fitted(self, "net_")
        X = self.estimator_._validate_input(X, reset=False)
        device = torch.device(self.net_.device)
        module = self.net_.module_
        with torch.inference_mode():
            chunks = [
                module(self.estimator_._as_tensor(X[start : start + self.batch_size], device))
                .float()
                .cpu()
                for start in range(0, len(X), self.batch_size)
            ]
        return torch.cat(chunks).numpy().astype(np.float64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags = copy.deepcopy(get_tags(self.estimator).input_tags)
        return tags
