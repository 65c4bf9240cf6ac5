"""The estimator shell every self-supervised method shares.

:class:`SelfSupervisedTransformer` turns a pretext task into a scikit-learn
transformer: ``fit(X)`` validates the rows and hands them to the training
engine (:mod:`sklearn_ssl._engine`), which asks the concrete method for its
task (``_build_task``) and trains it with a skorch net held in ``net_``;
``transform(X)`` returns the encoder's embeddings. Every training setting is
a flat ``__init__`` parameter, declared once below in
:data:`TRAINING_PARAMETERS`, so ``GridSearchCV`` can search it.
"""

import copy
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data
from torch import nn

from ._engine import OPTIMIZERS, embed, train, training_batches
from ._estimator import EstimatorMixin
from ._input_advice import explain_invalid_input
from ._parameters import SharedAttribute, SharedParameter, assign_parameters, constraints
from .metrics._label_free import CRITERIA, check_criterion, score_rows

__all__ = ["SelfSupervisedTransformer", "assign_parameters"]

#: The training parameters every self-supervised transformer takes.
TRAINING_PARAMETERS = {
    "max_epochs": SharedParameter(
        "int",
        """\
Passes over the training rows in ``fit``. 0 prepares the model without
training it: ``fit`` validates the rows, fits what the input rule learns
(pixel statistics, a tokenizer) and builds the encoder with its initial
weights, those of a pretrained checkpoint or encoder when one is given, so
that ``transform`` embeds with them as they are.""",
        [Interval(Integral, 0, None, closed="left")],
    ),
    "batch_size": SharedParameter(
        "int",
        """\
Rows per training batch (larger than the data means one batch), and per
chunk in ``transform``; contrastive losses find their negatives among the
other rows of the batch.""",
        [Interval(Integral, 1, None, closed="left")],
    ),
    "lr": SharedParameter(
        "float", "Learning rate.", [Interval(Real, 0, None, closed="neither")], 1e-3
    ),
    "weight_decay": SharedParameter(
        "float",
        "Weight decay of the optimizer; the method's paper's value where it gives one.",
        [Interval(Real, 0, None, closed="left")],
    ),
    "optimizer": SharedParameter(
        '{"adamw", "adam", "sgd"} or torch optimizer class',
        "The optimizer; the Adam variants are fused on CUDA, SGD has momentum 0.9.",
        [StrOptions(set(OPTIMIZERS)), type],
        "adamw",
    ),
    "device": SharedParameter(
        "str or torch.device",
        '``"auto"`` trains on CUDA when available, else on the CPU.',
        [str, torch.device],
        "auto",
    ),
    "data_on_device": SharedParameter(
        '{"auto", True, False}',
        """\
True copies the training data to the device once; False streams batches
from host memory (pinned and prefetched on CUDA), for data larger than the
device or an ``np.memmap`` larger than memory. ``"auto"`` streams
memory-mapped data and data that would take more than half the device's free
memory, and keeps the rest resident.""",
        [StrOptions({"auto"}), "boolean"],
        "auto",
    ),
    "precision": SharedParameter(
        '{"auto", "float32", "bfloat16"}',
        'Autocast dtype of training; ``"auto"`` is bfloat16 on CUDA, float32 on the CPU.',
        [StrOptions({"auto", "float32", "bfloat16"})],
        "auto",
    ),
    "random_state": SharedParameter(
        "int, RandomState instance or None",
        """\
Seeds the weight initialisation and, through a local torch generator, the
batch order and every random draw of the pretext task (views, masks,
corruption), without changing torch's global RNG.""",
        ["random_state"],
        None,
    ),
    "verbose": SharedParameter(
        "int", "0 is silent; 1 shows a progress bar over epochs.", ["verbose"], 0
    ),
    "callbacks": SharedParameter(
        "list of skorch callbacks or None",
        "Extra callbacks for the skorch engine.",
        [list, None],
        None,
    ),
    "n_iter_no_change": SharedParameter(
        "int or None",
        """\
Stop when the epoch loss has not improved by ``tol`` for this many epochs;
None trains for ``max_epochs``.""",
        [Interval(Integral, 1, None, closed="left"), None],
        None,
    ),
    "tol": SharedParameter(
        "float",
        "Smallest absolute loss improvement that counts, with ``n_iter_no_change``.",
        [Interval(Real, 0, None, closed="left")],
        1e-4,
    ),
    "compile": SharedParameter(
        "bool",
        """\
Train through :func:`torch.compile` of the pretext task (PyTorch's
compiler): the first batches of each shape pay the compilation (seconds to
a minute), the later ones may run faster, mostly with large models on a GPU.
Embedding and the saved model are unaffected.""",
        ["boolean"],
        False,
    ),
    "n_jobs": SharedParameter(
        "int or None",
        """\
Torch threads on the CPU during ``fit`` and ``transform``; torch's own
setting is restored afterwards. None means one thread, the fastest setting
for this library's small models on a shared machine (the docs' speed page
has the measurements). -1 keeps torch's setting (every core, or the limit
of an enclosing ``threadpoolctl`` or ``joblib`` context); -2 all but one
core, and so on.""",
        [Integral, None],
        None,
    ),
    "score_criterion": SharedParameter(
        '{"rankme", "alpha_req", "lidar", "uniformity", "alignment", "pretext_loss"}',
        """\
The label-free criterion ``score`` returns, higher is better for each:
``"rankme"`` the effective rank of the embeddings, ``"alpha_req"`` how close
their eigenspectrum decays to the power law ``k ** -1``, ``"lidar"`` the
effective rank of the linear discriminant of augmented views,
``"uniformity"`` how evenly they spread on the unit sphere, ``"alignment"``
how close two views of a row embed, ``"pretext_loss"`` minus the pretext
loss on the scored rows (see ``score``).""",
        [StrOptions(set(CRITERIA))],
        "rankme",
    ),
}

#: The width of the embeddings, for the methods that choose it.
N_COMPONENTS = SharedParameter(
    "int",
    """\
Width of the embeddings; a module given as ``encoder`` sets it by its
output width instead.""",
    [Interval(Integral, 1, None, closed="left")],
    128,
)

#: The fitted attributes every self-supervised transformer sets.
FITTED_ATTRIBUTES = {
    "encoder_": SharedAttribute(
        "torch.nn.Module", "The trained encoder: maps a batch of inputs to embeddings."
    ),
    "net_": SharedAttribute(
        "sklearn_ssl._engine.PretextNet", "The skorch net that trained the pretext task."
    ),
    "history_": SharedAttribute(
        "skorch.History", 'Per-epoch pretext loss (``history_[:, "train_loss"]``) and timings.'
    ),
    "n_components_": SharedAttribute("int", "Width of the embeddings."),
    "n_iter_": SharedAttribute("int", "Epochs trained."),
    "interrupted_": SharedAttribute(
        "bool",
        """\
True when the last ``fit`` or ``partial_fit`` was stopped by Ctrl-C
(``KeyboardInterrupt``): the weights are those of the ``n_iter_`` epochs
completed.""",
    ),
}


class SelfSupervisedTransformer(
    EstimatorMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    BaseEstimator,
):
    """Base class of self-supervised transformers.

    Do not use it directly. A data kind's base class implements
    ``_build_encoder`` and, for its kind of input, overrides
    ``_validate_input``, ``_as_tensor``, ``_training_batches`` and
    ``_embedding_batches``; a concrete method implements ``_task`` (or
    ``_build_task``, for both steps at once) and an ``__init__`` with explicit
    parameters, the shared ones among them, stored by
    :func:`assign_parameters`. A method lends its pretext augmentation of
    rows through ``_augment_rows``: to :class:`~sklearn_ssl.FineTunedClassifier`
    and :class:`~sklearn_ssl.FineTunedRegressor` (``augment=True``, and the
    classifier's FixMatch consistency), and to the label-free criteria that
    compare views (:func:`sklearn_ssl.metrics.view_embeddings`).
    """

    _shared_parameters = {"n_components": N_COMPONENTS, **TRAINING_PARAMETERS}
    _shared_attributes = FITTED_ATTRIBUTES
    _parameter_constraints: dict = constraints(_shared_parameters)

    #: The fewest training rows the pretext task can learn from.
    _min_samples = 2

    def __init_subclass__(cls, **kwargs):
        """Take a 0.1 method's ``_augment_for_finetuning`` as its ``_augment_rows``, warning."""
        super().__init_subclass__(**kwargs)
        renamed = vars(cls).get("_augment_for_finetuning")
        if renamed is not None and "_augment_rows" not in vars(cls):
            warnings.warn(
                f"`_augment_for_finetuning` was renamed `_augment_rows` in 0.2 and will no "
                f"longer be called in 0.3; rename the method of {cls.__name__}.",
                FutureWarning,
                stacklevel=2,
            )
            cls._augment_rows = renamed

    def __init__(self, **parameters):
        warnings.warn(
            "Passing parameters to SelfSupervisedTransformer.__init__ is deprecated since "
            "0.2 and will fail in 0.3; store them with "
            "sklearn_ssl.base.assign_parameters(self, locals()) instead.",
            FutureWarning,
            stacklevel=2,
        )
        for name, value in parameters.items():
            setattr(self, name, value)

    # -- steps a concrete method provides or overrides ---------------------

    def _build_task(self, X):
        """The :class:`~sklearn_ssl.tasks.PretextTask` to train on validated rows ``X``.

        The method's task (``_task``) around the data kind's encoder
        (``_build_encoder``); override it to build both in one step.
        """
        encoder = self._build_encoder(X)
        return self._task(encoder, self._embedding_width(encoder, X, "cpu"), X)

    def _build_encoder(self, X):
        """The encoder for training rows ``X``, on the CPU; each data kind provides it."""
        raise NotImplementedError(f"{type(self).__name__} defines no _build_encoder.")

    def _task(self, encoder, width, X):
        """The pretext task around ``encoder`` (embeddings ``width`` wide); each method's own."""
        raise NotImplementedError(f"{type(self).__name__} defines no _task.")

    def _validate_input(self, X, reset):
        """Validate ``X`` (``reset=True`` in fit) and return it as an array."""
        with explain_invalid_input(self):
            return validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])

    def _as_tensor(self, X, device):
        """Turn validated rows (or ``_pretext_rows``) into the tensor the task takes, on
        ``device``; a copy, whatever the input."""
        return torch.tensor(np.asarray(X), dtype=torch.float32, device=device)

    def _training_batches(
        self, X, device, generator, batch_size=None, data_on_device=None, targets=None
    ):
        """The iterable of ``(X_batch, y_batch)`` pairs one epoch trains on.

        Resident or streamed from host memory as ``data_on_device`` decides;
        ``batch_size`` and ``data_on_device`` default to the estimator's own
        (fine-tuning passes its own), ``y_batch`` is None without ``targets``
        (a tensor on ``device``).
        """
        return training_batches(self, X, device, generator, batch_size, data_on_device, targets)

    def _embedding_batches(self, X, device):
        """``(rows, batch)`` pairs that cover the validated rows ``X`` for embedding."""
        for start in range(0, len(X), self.batch_size):
            rows = slice(start, start + self.batch_size)
            yield rows, self._as_tensor(X[rows], device)

    def _restore_task(self):
        """The task :func:`sklearn_ssl.load` fills with the saved weights and buffers.

        ``_build_task`` on ``_stub_input`` rows; a method whose ``_build_task``
        reads weights from elsewhere (a pretrained checkpoint) overrides it to
        build the architecture alone.
        """
        return self._build_task(self._stub_input())

    def _stub_input(self):
        """Rows of the fitted input's shape from which ``_build_task`` rebuilds the task.

        :func:`sklearn_ssl.load` builds the task from them (``_restore_task``),
        then loads the saved weights and buffers, so only their shape matters.
        Override it when ``_build_task`` needs more than ``n_features_in_``
        columns of zeros.
        """
        return np.zeros((max(2, self._min_samples), self.n_features_in_), dtype=np.float32)

    def _training_lr(self):
        """The learning rate ``fit`` trains with: ``lr``, unless a method resolves its own."""
        return self.lr

    def _training_epochs(self):
        """The epochs ``fit`` trains: ``max_epochs``, unless a method resolves its own."""
        return self.max_epochs

    def _starts_from_checkpoint(self):
        """Whether the encoder starts from weights trained elsewhere, which stage two's
        ``"auto"`` settings keep from wearing away; False by default."""
        return False

    def _pretext_rows(self, X):
        """The rows the pretext task trains on, made from validated rows ``X``.

        ``X`` itself by default, so each task batch is a batch of rows. A
        method whose task needs more per row overrides it: SCARF with
        ``n_neighbors`` pairs each row with its nearest rows. Pretraining and
        :func:`sklearn_ssl.metrics.pretext_loss` batch its output; the
        encoder, ``transform`` and fine-tuning still take ``X``'s rows.
        """
        return X

    def _augment_rows(self, X_batch, generator):
        """The method's augmentation of a batch of ``_as_tensor`` output; identity by default.

        Its uses: fine-tuning's ``augment=True`` (every training batch),
        the strong view of FixMatch's consistency objective
        (``consistency_weight``), and the views of the label-free criteria
        that compare them (:func:`sklearn_ssl.metrics.view_embeddings`, for
        ``"lidar"`` and ``"alignment"``). Must draw all randomness from
        ``generator`` and return a batch of the same shape and kind. Methods
        written for 0.1 that override ``_augment_for_finetuning`` instead still
        work, with a ``FutureWarning`` (``__init_subclass__``), until 0.3.
        """
        return X_batch

    def _augments_rows(self):
        """Whether the method overrides ``_augment_rows``, i.e. has an augmentation of rows."""
        return type(self)._augment_rows is not SelfSupervisedTransformer._augment_rows

    def _user_encoder(self):
        """A private copy of the user's ``encoder`` module, or None for a preset name."""
        return copy.deepcopy(self.encoder) if isinstance(self.encoder, nn.Module) else None

    def _embedding_width(self, encoder, X, device):
        """The encoder's output width, read off a forward pass on two rows."""
        encoder.eval()
        with torch.inference_mode():
            return encoder(self._as_tensor(X[:2], device)).shape[1]

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
        self._check_n_samples(X)
        try:
            train(self, X, self._training_epochs(), restart=True)
        except Exception:
            vars(self).pop("net_", None)  # diverged or half-built weights: not fitted
            raise
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
        self._check_n_samples(X)
        train(self, X, 1, restart=first_call)
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
            The embeddings, float64 for float64 input and float32 otherwise.
        """
        check_is_fitted(self)
        return embed(self, self._validate_input(X, reset=False))

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

        save(self, path)

    def score(self, X, y=None):
        """Label-free quality of the embeddings of ``X``, by ``score_criterion``.

        Higher is better for every criterion, so ``GridSearchCV(estimator,
        grid).fit(X)`` chooses pretext settings without labels:

        * ``"rankme"`` (the default, but for the view methods): the
          effective rank of the embeddings, between 1 (collapsed) and
          ``n_components_`` (variance spread evenly over every direction);
          see :func:`sklearn_ssl.metrics.rankme`;
        * ``"alpha_req"``: ``-abs(alpha - 1)``, where ``alpha`` is the decay
          exponent of the eigenspectrum of the embeddings' covariance, best
          near 1 (larger decays towards collapse, smaller towards white
          noise); see :func:`sklearn_ssl.metrics.alpha_req`;
        * ``"lidar"``: the effective rank of the linear discriminant of 8
          augmented views of each row (of at most 1024 evenly spaced rows of
          ``X``): how many directions tell rows apart relative to how their
          views vary; for the methods with an augmentation of rows (the
          table, view, series and text methods); see
          :func:`sklearn_ssl.metrics.lidar`;
        * ``"uniformity"`` (the default of ``SimCLR``, ``BYOL``, ``VICReg``
          and ``BarlowTwins``): minus the uniformity loss of the L2-normalised
          embeddings (of at most 2048 evenly spaced rows of ``X``), 0 when
          every row maps to the same point and larger as they spread over the
          sphere; see :func:`sklearn_ssl.metrics.uniformity`;
        * ``"alignment"``: minus the mean squared distance between the
          L2-normalised embeddings of two augmented views of each row, as
          ``"lidar"`` makes them; a collapsed encoder scores best, so it
          only tells apart settings that do not collapse; see
          :func:`sklearn_ssl.metrics.alignment`;
        * ``"pretext_loss"``: minus the method's own pretext loss on the rows
          of ``X``, comparable only between settings that keep the loss's
          scale; see :func:`sklearn_ssl.metrics.pretext_loss`.

        Only the learned embeddings count, not input columns that
        ``transform`` may append (the table methods' ``passthrough``).
        :func:`sklearn_ssl.metrics.label_free_scorer` gives each criterion as
        a ``scoring`` argument.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to embed.
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        score : float
            The criterion's value; higher is better.
        """
        check_is_fitted(self)
        return score_rows(check_criterion(self.score_criterion, "score_criterion"), self, X)

    @property
    def encoder_(self):
        """The trained encoder, a module mapping a batch of inputs to embeddings."""
        return self.net_.module_.encoder

    @property
    def _n_features_out(self):
        return self.n_components_

    def __sklearn_is_fitted__(self):
        return hasattr(self, "net_")

    def _check_n_samples(self, X):
        if len(X) < self._min_samples:
            raise ValueError(
                f"{type(self).__name__} needs at least {self._min_samples} samples to "
                f"train its pretext task, got {len(X)} sample"
                f"{'s' if len(X) != 1 else ''}."
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
