"""The estimator shell every self-supervised method shares.

:class:`SelfSupervisedTransformer` turns a pretext task into a scikit-learn
transformer: ``fit(X)`` validates the rows, asks the concrete method for its
task (``_build_task``), and trains it with :class:`~sklearn_ssl._engine.PretextNet`,
a skorch net held in ``net_``; ``transform(X)`` returns the encoder's
embeddings. Every training setting is a flat ``__init__`` parameter, so
``GridSearchCV`` can search it.
"""

import copy
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.callbacks import EarlyStopping
from torch import nn

from ._batches import DeviceBatches
from ._callbacks import EpochProgressBar
from ._distributed import (
    broadcast_seed,
    check_same_rows,
    data_parallel,
    is_main_process,
    shard_batches,
    training_device,
)
from ._doc_links import DocLinkMixin
from ._engine import PretextNet
from ._faults import COLLAPSE_CHECK_ROWS, explain_out_of_memory, warn_if_collapsed
from ._host_batches import HostBatches, keep_resident
from ._input_advice import explain_invalid_input
from ._torch_context import make_generator, resolve_autocast_dtype, resolve_device, seeded_torch
from .metrics import rankme

OPTIMIZERS = {"adamw": torch.optim.AdamW, "adam": torch.optim.Adam, "sgd": torch.optim.SGD}


class SelfSupervisedTransformer(
    DocLinkMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    BaseEstimator,
    metaclass=ABCMeta,
):
    """Base class of self-supervised transformers.

    Do not use it directly: a concrete method implements ``_build_task``, and
    may override ``_validate_input``, ``_as_tensor`` and ``_training_batches``
    for other kinds of data, and ``_augment_for_finetuning`` to lend its
    pretext augmentation to :class:`~sklearn_ssl.FineTunedClassifier` and
    :class:`~sklearn_ssl.FineTunedRegressor` (``augment=True``).

    Parameters
    ----------
    n_components : int
        Width of the embeddings ``transform`` returns.
    encoder : str or torch.nn.Module
        A preset name understood by the method, or a module mapping a batch of
        inputs to embeddings (deep-copied at ``fit``; its output width is
        detected and overrides ``n_components``).
    max_epochs : int
        Passes over the data in ``fit``.
    batch_size : int
        Rows per training batch; larger than the data means one batch.
    lr : float
        Learning rate.
    weight_decay : float
        Weight decay of the optimizer.
    optimizer : {"adamw", "adam", "sgd"} or torch optimizer class
        The optimizer; the Adam variants are fused on CUDA, SGD has momentum 0.9.
    device : str or torch.device
        ``"auto"`` trains on CUDA when available, else on the CPU.
    data_on_device : {"auto", True, False}
        True copies the training data to the device once; False streams
        batches from host memory (pinned and prefetched on CUDA), for data
        larger than the device or an ``np.memmap`` larger than memory.
        ``"auto"`` streams memory-mapped data and data that would take more
        than half the device's free memory, and keeps the rest resident.
    precision : {"auto", "float32", "bfloat16"}
        Autocast dtype of training; ``"auto"`` is bfloat16 on CUDA, float32 on CPU.
    random_state : int, RandomState instance or None
        Seeds a local torch generator (batch order, views, masks) and the
        weight initialisation, without changing torch's global RNG.
    verbose : int
        0 is silent; 1 shows a progress bar over epochs.
    callbacks : list of skorch callbacks or None
        Extra callbacks for the skorch engine.
    n_iter_no_change : int or None
        Stop when the epoch loss has not improved by ``tol`` for this many
        epochs; None trains for ``max_epochs``.
    tol : float
        Smallest absolute loss improvement that counts, with ``n_iter_no_change``.
    """

    _parameter_constraints: dict = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "encoder": [str, nn.Module],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "optimizer": [StrOptions(set(OPTIMIZERS)), type],
        "device": [str, torch.device],
        "data_on_device": [StrOptions({"auto"}), "boolean"],
        "precision": [StrOptions({"auto", "float32", "bfloat16"})],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [list, None],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    #: The fewest training rows the pretext task can learn from.
    _min_samples = 2

    @abstractmethod
    def __init__(
        self,
        *,
        n_components,
        encoder,
        max_epochs,
        batch_size,
        lr,
        weight_decay,
        optimizer,
        device,
        data_on_device,
        precision,
        random_state,
        verbose,
        callbacks,
        n_iter_no_change,
        tol,
    ):
        self.n_components = n_components
        self.encoder = encoder
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.optimizer = optimizer
        self.device = device
        self.data_on_device = data_on_device
        self.precision = precision
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol

    # -- steps a concrete method provides or overrides ---------------------

    @abstractmethod
    def _build_task(self, X):
        """Return the :class:`~sklearn_ssl.tasks.PretextTask` to train on ``X``."""

    def _validate_input(self, X, reset):
        """Validate ``X`` (``reset=True`` in fit) and return it as an array."""
        with explain_invalid_input(self):
            return validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])

    def _as_tensor(self, X, device):
        """Turn validated rows into the tensor the encoder takes, on ``device``."""
        return torch.tensor(X, dtype=torch.float32, device=device)

    def _training_batches(self, X, device, generator):
        """The iterable of ``(X_batch, None)`` pairs one epoch trains on.

        Resident or streamed from host memory as ``data_on_device`` decides.
        """
        if keep_resident(X, device, self.data_on_device):
            return DeviceBatches(self._as_tensor(X, device), self.batch_size, generator)
        return HostBatches(X, self.batch_size, generator, self._as_tensor, device)

    def _stub_input(self):
        """Rows of the fitted input's shape from which ``_build_task`` rebuilds the task.

        :func:`sklearn_ssl.load` builds the task from them, then loads the saved
        weights and buffers, so only their shape matters. Override it when
        ``_build_task`` needs more than ``n_features_in_`` columns of zeros.
        """
        return np.zeros((max(2, self._min_samples), self.n_features_in_), dtype=np.float32)

    def _augment_for_finetuning(self, X_batch, generator):
        """Augment a batch of ``_as_tensor`` output for fine-tuning; identity by default.

        Must draw all randomness from ``generator`` and return a batch of the
        same shape and kind.
        """
        return X_batch

    def _user_encoder(self):
        """A private copy of the user's encoder module, or None for a preset."""
        return copy.deepcopy(self.encoder) if isinstance(self.encoder, nn.Module) else None

    # -- public API ----------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn an encoder from the rows of ``X`` by solving the pretext task.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows; no labels are used.
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            The fitted estimator.

        Raises
        ------
        FloatingPointError
            When the loss becomes NaN or infinite; the estimator is then not fitted.
        KeyboardInterrupt
            On Ctrl-C; the estimator keeps the weights of the epochs done so far,
            with ``interrupted_`` set to True, ready for ``transform``, ``save``
            or more training with ``partial_fit``.
        torch.OutOfMemoryError
            When the device runs out of memory; the message suggests a smaller
            ``batch_size``.

        Warns
        -----
        sklearn_ssl.exceptions.CollapseWarning
            When the training rows all get nearly the same embedding.
        """
        X = self._validate_input(X, reset=True)
        self._initialize(X)
        try:
            self._train(X, self.max_epochs)
        except Exception:
            del self.net_  # diverged or half-built weights would give garbage embeddings
            raise
        warn_if_collapsed(self._embed(X[:COLLAPSE_CHECK_ROWS]), type(self).__name__)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None):
        """Train for one more pass over ``X``, keeping weights and optimizer state.

        The first call initialises the estimator as ``fit`` does.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New training rows.
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            The updated estimator.
        """
        first_call = not hasattr(self, "net_")
        X = self._validate_input(X, reset=first_call)
        if first_call:
            self._initialize(X)
        else:
            self._check_n_samples(X)
        self._train(X, 1)
        return self

    def transform(self, X):
        """Embed the rows of ``X`` with the trained encoder.

        The encoder runs in evaluation mode, without gradients and without
        augmentation, in batches of ``batch_size`` rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to embed.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_components_)
            The embeddings, float32 for float32 input and float64 otherwise.
        """
        check_is_fitted(self)
        return self._embed(self._validate_input(X, reset=False))

    def save(self, path):
        """Save the fitted estimator to ``path`` without pickle.

        Weights go to a safetensors file, parameters and fitted attributes to
        JSON in its header; :func:`sklearn_ssl.load` reads it back without
        executing code. See :mod:`sklearn_ssl._persistence` for the format.

        In a data-parallel run (launched with ``torchrun`` or ``accelerate
        launch``) only the main process writes the file; the others hold the
        same model.

        Parameters
        ----------
        path : str or os.PathLike
            The file to write, conventionally ending in ``.safetensors``.

        Raises
        ------
        TypeError
            When a parameter or fitted attribute (e.g. a user ``nn.Module``
            encoder or ``callbacks``) cannot be stored without code; use pickle
            or joblib then.
        """
        from ._persistence import save

        if is_main_process():
            save(self, path)

    def score(self, X, y=None):
        """Label-free quality of the embeddings of ``X``: their RankMe.

        Higher is better, so ``GridSearchCV(estimator, grid).fit(X)`` chooses
        pretext settings without labels. See :func:`sklearn_ssl.metrics.rankme`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to embed.
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        score : float
            The effective rank of the embeddings, between 1 and ``n_components_``.
        """
        return rankme(self.transform(X))

    @property
    def encoder_(self):
        """The trained encoder, a module mapping a batch of inputs to embeddings."""
        return self.net_.module_.encoder

    @property
    def _n_features_out(self):
        return self.n_components_

    # -- private steps -------------------------------------------------------

    def __sklearn_is_fitted__(self):
        return hasattr(self, "net_")

    def _embed(self, X):
        """Embeddings of validated rows ``X``, in batches, without gradients."""
        device = torch.device(self.net_.device)
        encoder = self.encoder_
        with torch.inference_mode(), explain_out_of_memory(self, "embedding rows"):
            chunks = [
                encoder(self._as_tensor(X[start : start + self.batch_size], device))
                .detach()
                .float()
                .cpu()
                for start in range(0, len(X), self.batch_size)
            ]
        embeddings = torch.cat(chunks).numpy()
        if not np.isfinite(embeddings).all():
            raise ValueError(
                f"{type(self).__name__} produced non-finite embeddings: X has values too "
                "far outside the range of the training data; rescale or clip X."
            )
        out_dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float32
        return embeddings.astype(out_dtype, copy=False)

    def _check_n_samples(self, X):
        if len(X) < self._min_samples:
            raise ValueError(
                f"{type(self).__name__} needs at least {self._min_samples} samples to "
                f"train its pretext task, got {len(X)} sample"
                f"{'s' if len(X) != 1 else ''}."
            )

    def _initialize(self, X):
        """Build the task and the skorch engine for training data ``X``."""
        self._check_n_samples(X)
        device = training_device(resolve_device(self.device))  # each launched process's own
        check_same_rows(len(X))
        self._seed = broadcast_seed(int(check_random_state(self.random_state).randint(2**31 - 1)))
        with seeded_torch(self._seed, device):
            task = self._build_task(X).to(device)
        self.n_components_ = self._embedding_width(task.encoder, X, device)
        self.net_ = self._make_net(task, device)

    def _make_net(self, task, device):
        """The initialised skorch engine that trains ``task`` on ``device``."""
        net = PretextNet(
            task,
            autocast_dtype=resolve_autocast_dtype(self.precision, device),
            seed=self._seed,
            optimizer=self._optimizer_class(),
            lr=self.lr,
            batch_size=self.batch_size,
            device=str(device),
            callbacks=self._engine_callbacks(),
            **self._optimizer_kwargs(device),
        )
        return net.initialize()

    def _train(self, X, epochs):
        """Run ``epochs`` more passes over ``X``; each epoch is seeded by its number.

        A ``KeyboardInterrupt`` (Ctrl-C) keeps the completed epochs, sets
        ``interrupted_`` and propagates; a callback's stop is not an interruption.
        """
        device = torch.device(self.net_.device)
        generator = make_generator(self._seed, device)  # reseeded every epoch
        self.net_.max_epochs = len(self.net_.history) + epochs
        with seeded_torch(self._seed, device), explain_out_of_memory(self, "training"):
            try:
                with data_parallel(self.net_):  # when launched on several processes
                    batches = shard_batches(self._training_batches(X, device, generator), generator)
                    self.net_.partial_fit(batches, generator=generator)
            finally:
                self.net_.module_.eval()
                self.history_ = self.net_.history
                self.n_iter_ = len(self.history_)
                self.interrupted_ = getattr(self.net_, "interrupted_", False)
        if self.interrupted_:
            raise KeyboardInterrupt

    def _embedding_width(self, encoder, X, device):
        """The encoder's output width, read off a forward pass on two rows."""
        encoder.eval()
        with torch.inference_mode():
            return encoder(self._as_tensor(X[:2], device)).shape[1]

    def _optimizer_class(self):
        return OPTIMIZERS.get(self.optimizer, self.optimizer)

    def _optimizer_kwargs(self, device):
        kwargs = {"optimizer__weight_decay": self.weight_decay}
        if self.optimizer == "sgd":
            kwargs["optimizer__momentum"] = 0.9
        elif self.optimizer in ("adam", "adamw") and device.type == "cuda":
            kwargs["optimizer__fused"] = True
        return kwargs

    def _engine_callbacks(self):
        callbacks = []
        if self.verbose and is_main_process():
            callbacks.append(("progress", EpochProgressBar(type(self).__name__)))
        if self.n_iter_no_change is not None:
            stopper = EarlyStopping(
                monitor="train_loss",
                patience=self.n_iter_no_change,
                threshold=self.tol,
                threshold_mode="abs",
                sink=print if self.verbose and is_main_process() else _silent,
            )
            callbacks.append(("early_stopping", stopper))
        return callbacks + list(self.callbacks or [])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def _silent(*args, **kwargs):
    """A sink for skorch messages when ``verbose=0``."""
