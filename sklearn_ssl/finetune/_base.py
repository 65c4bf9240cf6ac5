"""What the fine-tuning classifier and regressor share.

Stage two of self-supervised learning: the encoder a self-supervised
transformer pretrained without labels is trained further, together with a new
head, on the labeled rows. The code touches the transformer only through the
shell's generic hooks (``_validate_input``, ``_training_batches``,
``_embedding_batches``, ``_augment_rows``, ``encoder_``,
``n_components_``), so it serves every data kind: tables, images, text,
series. Training goes through the engine's one path
(:func:`~sklearn_ssl._engine.make_net`, :func:`~sklearn_ssl._engine.fit_net`),
the one pretraining takes.
"""

import copy
import warnings
from abc import ABCMeta, abstractmethod

import numpy as np
import torch
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import LRScheduler
from torch.optim.lr_scheduler import LambdaLR

from .._engine import (
    TrainingConfig,
    WarmupThenLinearDecay,
    apply_in_batches,
    fit_net,
    make_generator,
    make_net,
    resolve_device,
    row_batches,
    seeded_torch,
    torch_threads,
)
from .._estimator import EstimatorMixin
from .._parameters import constraints
from ._encoder_with_head import EncoderWithHead
from ._parameters import FINE_TUNING_ATTRIBUTES, FINE_TUNING_PARAMETERS
from ._task import FineTuningTask, FreezeEncoder

#: What ``freeze_epochs="auto"`` and ``batch_size="auto"`` are for an encoder pretrained
#: here; from a checkpoint trained elsewhere: ``max_epochs`` (the head alone) and 16.
FREEZE_EPOCHS, BATCH_SIZE = 10, 64
CHECKPOINT_BATCH_SIZE = 16


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

    def _stratify(self, targets):
        """Targets to stratify the validation split by, or None."""
        return None

    def _train(self, X, targets, labeled, n_outputs, seed):
        """Train on validated rows ``X``; returns the trained net. The classifier
        adds the unlabeled rows' objectives here."""
        return self._fine_tune(X[labeled], targets, n_outputs, seed)

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

        Raises
        ------
        KeyboardInterrupt
            On Ctrl-C; the estimator is then not fitted (no half-trained model).
        FloatingPointError
            When the loss becomes NaN or infinite; the estimator is then not fitted.
        """
        targets, labeled, n_outputs = self._check_targets(X, y)
        if labeled.sum() < 2:  # before any pretraining
            raise ValueError(
                f"{type(self).__name__} needs at least 2 labeled samples to fine-tune, "
                f"got {labeled.sum()} sample."
            )
        random_state = check_random_state(self.random_state)
        pretrain_seed, seed = (int(s) for s in random_state.randint(2**31 - 1, size=2))
        estimator = self._pretrained(X, pretrain_seed)
        X = estimator._validate_input(X, reset=False)
        self._check_augmentation(estimator)
        vars(self).pop("net_", None)  # a failed or interrupted fit leaves nothing fitted
        self.estimator_ = estimator
        self._resolve_auto(estimator._starts_from_checkpoint())
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(estimator, name):
                setattr(self, name, getattr(estimator, name))
        with torch_threads(self.n_jobs, resolve_device(self.device)):
            net = self._train(X, targets, labeled, n_outputs, seed)
        self.net_ = net
        self.history_ = net.history
        self.n_iter_ = len(net.history)
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

    def _resolve_auto(self, from_checkpoint):
        """Record the values of the ``"auto"`` parameters: ``freeze_epochs_``, ``batch_size_``."""
        if self.freeze_epochs != "auto":
            self.freeze_epochs_ = self.freeze_epochs
        else:
            self.freeze_epochs_ = self.max_epochs if from_checkpoint else FREEZE_EPOCHS
        if self.batch_size != "auto":
            self.batch_size_ = self.batch_size
        else:
            self.batch_size_ = CHECKPOINT_BATCH_SIZE if from_checkpoint else BATCH_SIZE

    def _check_augmentation(self, estimator):
        """Warn when ``augment=True`` cannot change anything for this method."""
        if self.augment and not augments_rows(estimator):
            warnings.warn(
                f"augment=True has no effect with {type(estimator).__name__}, which has no "
                "augmentation of rows for fine-tuning; set augment=False.",
                UserWarning,
                stacklevel=4,
            )

    def _fine_tune(self, X_labeled, targets, n_outputs, seed, unlabeled=None, encoder=None):
        """Fine-tune a copy of the pretrained encoder (or of ``encoder``) with a new head on
        the labeled rows.

        ``unlabeled`` (validated rows) adds FixMatch's consistency on them.
        """
        device = resolve_device(self.device)
        X_train, y_train, valid = self._validation_split(X_labeled, targets, seed)
        network = self._new_network(n_outputs, device, seed, encoder)
        if unlabeled is None and self._head_only(self.freeze_epochs_):
            return self._train_head(network, self._criterion(), X_train, y_train, valid, seed)
        generator = make_generator(seed, device)
        batches = self._batches(X_train, y_train, device, generator)
        if unlabeled is not None:
            batches = self._with_unlabeled(batches, unlabeled, len(X_train), device, generator)
        valid_batches = None if valid is None else self._batches(*valid, device, generator)
        task = FineTuningTask(
            network,
            self._criterion(),
            augment=self.estimator_._augment_rows if self.augment else None,
            **self._consistency_settings(unlabeled),
        )
        config = self._config(seed, device, self._schedule(len(batches)), valid is not None)
        return self._run(task, batches, config, generator, valid_batches)

    def _head_only(self, freeze_epochs, epochs=None):
        """Whether the encoder stays frozen in every epoch and sees clean rows: its
        embeddings are then the same every epoch, computed once."""
        epochs = self.max_epochs if epochs is None else epochs
        return freeze_epochs >= epochs and not self.augment

    def _train_head(self, network, criterion, X, targets, valid, seed, epochs=None):
        """Train ``network``'s head alone, on its frozen encoder's embeddings of the rows
        ``X`` (and ``valid``'s), computed once; the encoder is back in place after."""
        device = resolve_device(self.device)
        generator = make_generator(seed, device)
        encoder, network.encoder = network.encoder, torch.nn.Identity()
        batches = self._embedded_batches(encoder, X, targets, device, generator)
        valid_batches = None
        if valid is not None:
            valid_batches = self._embedded_batches(encoder, *valid, device, generator)
        schedule = self._schedule(len(batches)) if epochs is None else ()
        config = self._config(seed, device, schedule, valid is not None, freeze_epochs=0)
        task = FineTuningTask(network, criterion)
        try:
            return self._run(task, batches, config, generator, valid_batches, epochs)
        finally:
            network.encoder = encoder

    def _embedded_batches(self, encoder, X, targets, device, generator):
        """Shuffled ``(Z_batch, y_batch)`` pairs of ``encoder``'s embeddings of the rows ``X``."""
        Z = self._outputs(encoder.eval(), X, device)  # (n, n_components)
        targets = torch.as_tensor(targets, device=device)
        return row_batches(
            Z, as_tensor, device, generator, self.batch_size_, self.data_on_device, targets
        )

    def _outputs(self, module, X, device):
        """``module``'s outputs for the validated rows ``X``, in the estimator's embedding
        batches (text: length-sorted), as a float32 array; ``module`` in evaluation mode."""
        return apply_in_batches(module, self.estimator_._embedding_batches(X, device), len(X))

    def _run(self, task, batches, config, generator, valid_batches=None, epochs=None):
        """Make the engine's net around ``task`` and train it: the one training path."""
        with seeded_torch(config.seed, config.device):
            net = make_net(task.to(config.device), config)
        epochs = self.max_epochs if epochs is None else epochs
        return fit_net(net, batches, epochs, config, generator=generator,
                       valid_batches=valid_batches)  # fmt: skip

    def _consistency_settings(self, unlabeled):
        """Keyword arguments of :class:`FineTuningTask` for the unlabeled rows (none here)."""
        return {}

    def _new_network(self, n_outputs, device, seed, encoder=None):
        """A copy of the pretrained encoder and a new head (seeded)."""
        encoder = copy.deepcopy(self.estimator_.encoder_ if encoder is None else encoder)
        width = self.estimator_.n_components_
        with seeded_torch(seed, device):
            # batch norm without affine parameters before the linear layer makes the
            # head insensitive to the embeddings' scale (MAE's linear probe, He et al. 2022)
            head = torch.nn.Sequential(
                torch.nn.BatchNorm1d(width, affine=False), torch.nn.Linear(width, n_outputs)
            )
        return EncoderWithHead(encoder, head).to(device)

    def _batches(self, X, targets, device, generator):
        """Shuffled ``(X_batch, y_batch)`` pairs of rows ``X``, in the estimator's way
        (text batches strings of similar length), resident or streamed."""
        targets = torch.as_tensor(targets, device=device)
        return self.estimator_._training_batches(
            X, device, generator, self.batch_size_, self.data_on_device, targets
        )

    def _validation_split(self, X, targets, seed):
        """``X_train, y_train, (X_valid, y_valid)``: with ``n_iter_no_change``, a held-out
        ``validation_fraction`` of the labeled rows; else every row trains (valid None)."""
        if self.n_iter_no_change is None:
            return X, targets, None
        n_valid = int(np.ceil(self.validation_fraction * len(X)))
        stratify = self._stratify(targets)
        n_groups = 1 if stratify is None else len(np.unique(stratify))
        if len(X) - n_valid < max(2, n_groups) or (stratify is not None and n_valid < n_groups):
            stratify = None
        if len(X) - n_valid < 2:
            raise ValueError(
                f"n_iter_no_change={self.n_iter_no_change} holds out "
                f"validation_fraction={self.validation_fraction} of the {len(X)} labeled "
                f"rows, leaving {len(X) - n_valid} to train on; early stopping needs at "
                "least 2. Label more rows, or set n_iter_no_change=None."
            )
        rows = np.arange(len(X))
        train, valid = train_test_split(
            rows, test_size=n_valid, random_state=seed, stratify=stratify
        )
        return X[train], targets[train], (X[valid], targets[valid])

    def _schedule(self, steps_per_epoch):
        """The learning-rate warm-up and decay callbacks ``warmup`` asks for."""
        if self.warmup == 0:
            return ()
        total_steps = self.max_epochs * steps_per_epoch
        schedule = WarmupThenLinearDecay(total_steps, self.warmup * total_steps)
        return (("schedule", LRScheduler(LambdaLR, lr_lambda=schedule, step_every="batch")),)

    def _config(
        self, seed, device, schedule, validation=False, freeze_epochs=None, encoder_lr=None
    ):
        """The engine's :class:`TrainingConfig` of this estimator's parameters (the
        encoder's rate ``lr * encoder_lr_scale`` unless ``encoder_lr`` is given)."""
        freeze = self.freeze_epochs_ if freeze_epochs is None else freeze_epochs
        encoder_lr = self.lr * self.encoder_lr_scale if encoder_lr is None else encoder_lr
        return TrainingConfig(
            name=type(self).__name__,
            device=device,
            seed=seed,
            lr=self.lr,
            weight_decay=self.weight_decay,
            batch_size=self.batch_size_,
            param_groups=(("network.encoder.*", {"lr": encoder_lr}),),
            precision=self.precision,
            n_jobs=self.n_jobs,
            verbose=self.verbose,
            callbacks=(("freeze", FreezeEncoder(freeze)), *schedule, *(self.callbacks or ())),
            n_iter_no_change=self.n_iter_no_change if validation else None,
            tol=self.tol,
            monitor="valid_loss",
            restore_best=True,
        )

    def save(self, path):
        """Save the fitted estimator to ``path`` without pickle.

        One safetensors file holds the pretrained transformer (as its own
        ``save`` writes it), the fine-tuned network (and, after distillation,
        the teacher) and, as JSON, the parameters and fitted attributes;
        :func:`sklearn_ssl.load` reads it back without executing code. The
        loaded estimator's ``estimator`` parameter is the loaded transformer in
        a :class:`sklearn.frozen.FrozenEstimator`, so a new ``fit`` fine-tunes
        the same pretraining.

        Parameters
        ----------
        path : str or os.PathLike
            The file to write, conventionally ending in ``.safetensors``.

        Raises
        ------
        TypeError
            When a parameter (e.g. ``callbacks``) or the transformer's (e.g. a
            user ``nn.Module`` encoder) cannot be stored without code; use
            pickle or joblib then.
        """
        from .._persistence import save

        save(self, path)

    def _net_to_load(self, n_outputs, seed, device):
        """The engine around a fine-tuning task of the saved shape, for the saved weights
        (:func:`sklearn_ssl.load`)."""
        self._resolve_auto(self.estimator_._starts_from_checkpoint())  # files before "auto"
        task = FineTuningTask(self._new_network(n_outputs, device, seed), self._criterion())
        return make_net(task.to(device), self._config(seed, device, ()))

    def _network(self):
        """The trained encoder plus head."""
        return self.net_.module_.network

    def _forward(self, X, network=None):
        """The outputs of ``network`` (by default the trained encoder plus head) for the
        rows of ``X``, as a float64 array."""
        check_is_fitted(self, "net_")
        X = self.estimator_._validate_input(X, reset=False)
        device = torch.device(self.net_.device)
        with torch_threads(self.n_jobs, device):
            network = self._network() if network is None else network
            return self._outputs(network, X, device).astype(np.float64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags = copy.deepcopy(get_tags(self.estimator).input_tags)
        return tags


def as_tensor(Z, device):
    """Embeddings ``Z`` as a tensor on ``device``."""
    return torch.as_tensor(Z, device=device)


def augments_rows(estimator):
    """Whether ``estimator`` has an augmentation of rows to lend to fine-tuning."""
    check = getattr(estimator, "_augments_rows", None)
    return bool(check()) if check is not None else False
