"""Pretraining through the engine: a self-supervised transformer's rows in, its encoder out.

The estimator shell (:mod:`sklearn_ssl.base`) hands its validated rows to
:func:`train` or :func:`embed`. This module translates the shell's parameters
into a :class:`~sklearn_ssl._engine.config.TrainingConfig`, asks the shell for
its task (``_build_task``) and batches (``_training_batches`` of its
``_pretext_rows``), and enters the one training path,
:func:`~sklearn_ssl._engine.training.fit_net`; then it checks the embeddings
for collapse.

What it reads of the estimator: its shared training parameters
(:data:`sklearn_ssl.base.TRAINING_PARAMETERS`, the learning rate through
``_training_lr``) and its data hooks (``_build_task``, ``_pretext_rows``,
``_training_batches``, ``_embedding_batches``, ``_embedding_width``); what it
writes: the fitted attributes :func:`train` lists.
"""

import numpy as np
import torch
from sklearn.utils import check_random_state

from .config import TrainingConfig
from .distributed import broadcast_seed, check_same_rows, training_device
from .faults import COLLAPSE_CHECK_ROWS, explain_out_of_memory, warn_if_collapsed
from .torch_context import make_generator, resolve_device, seeded_torch, torch_threads
from .training import apply_in_batches, fit_net, make_net, row_batches


def training_config(estimator, seed, device):
    """The :class:`TrainingConfig` of ``estimator``'s parameters."""
    return TrainingConfig(
        name=type(estimator).__name__,
        device=device,
        seed=seed,
        lr=estimator._training_lr(),
        weight_decay=estimator.weight_decay,
        batch_size=estimator.batch_size,
        optimizer=estimator.optimizer,
        precision=estimator.precision,
        compile=estimator.compile,
        n_jobs=estimator.n_jobs,
        verbose=estimator.verbose,
        callbacks=tuple(estimator.callbacks or ()),
        n_iter_no_change=estimator.n_iter_no_change,
        tol=estimator.tol,
    )


def train(estimator, X, epochs, *, restart):
    """Train ``estimator``'s pretext task for ``epochs`` more epochs on validated rows ``X``.

    With ``restart`` the task is built anew (seeded, on the training device)
    and, after training (of at least one epoch), the embeddings of the first
    training rows are checked for collapse; otherwise training continues from
    ``net_``, epochs seeded by their number. Sets ``net_`` and
    ``n_components_`` (on restart), ``history_``, ``n_iter_`` and ``interrupted_``.

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C, once the completed epochs are recorded (``interrupted_``).
    torch.OutOfMemoryError
        With advice on ``batch_size``.
    """
    with torch_threads(estimator.n_jobs, resolve_device(estimator.device)):
        if restart:
            initialize(estimator, X)
        net = estimator.net_
        config = training_config(estimator, net.seed, torch.device(net.device))
        generator = make_generator(config.seed, config.device)
        try:
            rows = estimator._pretext_rows(X)
            batches = estimator._training_batches(rows, config.device, generator)
            fit_net(net, batches, epochs, config, generator=generator)
        finally:
            estimator.history_ = net.history
            estimator.n_iter_ = len(net.history)
            estimator.interrupted_ = getattr(net, "interrupted_", False)
        if restart and estimator.n_iter_:  # a collapse is what training did to the encoder
            warn_if_collapsed(embed(estimator, X[:COLLAPSE_CHECK_ROWS]), type(estimator).__name__)


def embed(estimator, X):
    """Embeddings of validated rows ``X`` by ``estimator.encoder_``.

    Evaluation mode, no gradients, batches from the estimator's
    ``_embedding_batches``. Returns float32 for float32 input and input
    that is not float, float64 for float64.
    """
    device = torch.device(estimator.net_.device)
    name = type(estimator).__name__
    with (
        torch_threads(estimator.n_jobs, device),
        explain_out_of_memory(name, estimator.batch_size, "embedding rows"),
    ):
        embeddings = apply_in_batches(
            estimator.encoder_, estimator._embedding_batches(X, device), len(X)
        )
    if not np.isfinite(embeddings).all():
        raise ValueError(
            f"{name} produced non-finite embeddings: X has values too "
            "far outside the range of the training data; rescale or clip X."
        )
    out_dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float32
    return embeddings.astype(out_dtype, copy=False)


def training_batches(estimator, X, device, generator, batch_size=None, data_on_device=None,
                     targets=None):  # fmt: skip
    """One epoch's ``(X_batch, y_batch)`` pairs of rows ``X``, resident or streamed.

    The default of the estimator's ``_training_batches``: the rows, through
    ``_as_tensor``, are copied to the device once or streamed from host memory
    as ``data_on_device`` decides; ``batch_size`` and ``data_on_device``
    default to the estimator's own (fine-tuning passes its own).
    """
    return row_batches(
        X,
        estimator._as_tensor,
        device,
        generator,
        batch_size or estimator.batch_size,
        estimator.data_on_device if data_on_device is None else data_on_device,
        targets,
    )


def net_for(estimator, task, seed, device):
    """The initialised engine that trains ``task`` as ``estimator``'s parameters say."""
    return make_net(task, training_config(estimator, seed, device))


def initialize(estimator, X):
    """Build the task and the net for training rows ``X``: ``net_``, ``n_components_``."""
    device = training_device(resolve_device(estimator.device))  # each launched process's own
    check_same_rows(len(X))
    seed = broadcast_seed(int(check_random_state(estimator.random_state).randint(2**31 - 1)))
    with seeded_torch(seed, device):
        task = estimator._build_task(X).to(device)
    estimator.n_components_ = estimator._embedding_width(task.encoder, X, device)
    estimator.net_ = net_for(estimator, task, seed, device)
