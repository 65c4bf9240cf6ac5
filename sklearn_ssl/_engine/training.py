"""The engine's entry: train an estimator's pretext task on validated rows, embed rows.

The estimator shell hands its validated rows down once, to :func:`train` or
:func:`embed`. Everything between rows and a trained encoder happens here:
the checks of a data-parallel launch, seeding, building the task on the
training device, the skorch net, device-resident or streamed batches,
interruption, out-of-memory advice and the collapse check.

What the engine reads of the estimator: its shared training parameters
(:data:`sklearn_ssl.base.TRAINING_PARAMETERS`) and its data hooks
(``_build_task``, ``_as_tensor``, ``_training_batches``,
``_embedding_batches``, ``_embedding_width``); what it writes: the fitted
attributes :func:`train` lists.
"""

import numpy as np
import torch
from sklearn.utils import check_random_state
from skorch.callbacks import EarlyStopping

from .batches import DeviceBatches
from .callbacks import EpochProgressBar
from .distributed import (
    broadcast_seed,
    check_same_rows,
    data_parallel,
    is_main_process,
    shard_batches,
    training_device,
)
from .faults import COLLAPSE_CHECK_ROWS, explain_out_of_memory, warn_if_collapsed
from .host_batches import HostBatches, keep_resident
from .net import PretextNet
from .torch_context import (
    make_generator,
    resolve_autocast_dtype,
    resolve_device,
    seeded_torch,
    torch_threads,
)

OPTIMIZERS = {"adamw": torch.optim.AdamW, "adam": torch.optim.Adam, "sgd": torch.optim.SGD}


def train(estimator, X, epochs, *, restart):
    """Train ``estimator``'s pretext task for ``epochs`` more epochs on validated rows ``X``.

    With ``restart`` the task is built anew (seeded, on the training device)
    and, after training (of at least one epoch), the embeddings of the first
    training rows are checked for collapse; otherwise training continues from ``net_``, epochs
    seeded by their number. Sets ``net_`` and ``n_components_`` (on
    restart), ``history_``, ``n_iter_`` and ``interrupted_``.

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
        _run_epochs(estimator, X, epochs)
        if restart and estimator.n_iter_:  # a collapse is what training did to the encoder
            warn_if_collapsed(embed(estimator, X[:COLLAPSE_CHECK_ROWS]), type(estimator).__name__)


def _run_epochs(estimator, X, epochs):
    """``epochs`` more epochs of ``estimator.net_``; a Ctrl-C is recorded, then raised."""
    net = estimator.net_
    device = torch.device(net.device)
    generator = make_generator(net.seed, device)  # reseeded every epoch
    net.max_epochs = len(net.history) + epochs
    with seeded_torch(net.seed, device), explain_out_of_memory(estimator, "training"):
        try:
            with data_parallel(net):  # when launched on several processes
                batches = estimator._training_batches(X, device, generator)
                net.partial_fit(shard_batches(batches, generator), generator=generator)
        finally:
            net.module_.eval()
            estimator.history_ = net.history
            estimator.n_iter_ = len(net.history)
            estimator.interrupted_ = getattr(net, "interrupted_", False)
    if estimator.interrupted_:
        raise KeyboardInterrupt


def embed(estimator, X):
    """Embeddings of validated rows ``X`` by ``estimator.encoder_``.

    Evaluation mode, no gradients, batches from the estimator's
    ``_embedding_batches``. Returns float32 for float32 input and input
    that is not float, float64 for float64.
    """
    device = torch.device(estimator.net_.device)
    with (
        torch_threads(estimator.n_jobs, device),
        explain_out_of_memory(estimator, "embedding rows"),
    ):
        embeddings = apply_in_batches(
            estimator.encoder_, estimator._embedding_batches(X, device), len(X)
        )
    if not np.isfinite(embeddings).all():
        raise ValueError(
            f"{type(estimator).__name__} produced non-finite embeddings: X has values too "
            "far outside the range of the training data; rescale or clip X."
        )
    out_dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float32
    return embeddings.astype(out_dtype, copy=False)


def training_batches(estimator, X, device, generator):
    """One epoch's ``(X_batch, None)`` pairs of rows ``X``, resident or streamed.

    The default of the estimator's ``_training_batches``: the rows, through
    ``_as_tensor``, are copied to the device once or streamed from host memory
    as ``data_on_device`` decides.
    """
    if keep_resident(X, device, estimator.data_on_device):
        return DeviceBatches(estimator._as_tensor(X, device), estimator.batch_size, generator)
    return HostBatches(X, estimator.batch_size, generator, estimator._as_tensor, device)


def apply_in_batches(module, batches, n_samples):
    """The outputs of ``module`` for ``(rows, batch)`` pairs, in row order.

    Parameters
    ----------
    module : torch.nn.Module
        In evaluation mode; it runs under :func:`torch.inference_mode`.
    batches : iterable of (index, torch.Tensor)
        Which rows each batch holds (a slice or an index array) and the batch.
    n_samples : int
        Rows in all.

    Returns
    -------
    outputs : ndarray of shape (n_samples, n_outputs), float32
    """
    outputs = None
    with torch.inference_mode():
        for rows, batch in batches:
            out = module(batch).float().cpu().numpy()  # (batch, n_outputs)
            if outputs is None:
                outputs = np.empty((n_samples, out.shape[1]), dtype=np.float32)
            outputs[rows] = out
    return outputs


def make_net(estimator, task, seed, device):
    """The initialised skorch engine that trains ``task`` as ``estimator``'s parameters say."""
    net = PretextNet(
        task,
        autocast_dtype=resolve_autocast_dtype(estimator.precision, device),
        seed=seed,
        compile_task=estimator.compile,
        optimizer=OPTIMIZERS.get(estimator.optimizer, estimator.optimizer),
        lr=estimator.lr,
        device=str(device),
        callbacks=_callbacks(estimator),
        **_optimizer_kwargs(estimator, device),
    )
    return net.initialize()


def initialize(estimator, X):
    """Build the task and the net for training rows ``X``: ``net_``, ``n_components_``."""
    device = training_device(resolve_device(estimator.device))  # each launched process's own
    check_same_rows(len(X))
    seed = broadcast_seed(int(check_random_state(estimator.random_state).randint(2**31 - 1)))
    with seeded_torch(seed, device):
        task = estimator._build_task(X).to(device)
    estimator.n_components_ = estimator._embedding_width(task.encoder, X, device)
    estimator.net_ = make_net(estimator, task, seed, device)


def _optimizer_kwargs(estimator, device):
    kwargs = {"optimizer__weight_decay": estimator.weight_decay}
    if estimator.optimizer == "sgd":
        kwargs["optimizer__momentum"] = 0.9
    elif estimator.optimizer in ("adam", "adamw") and device.type == "cuda":
        kwargs["optimizer__fused"] = True
    return kwargs


def _callbacks(estimator):
    """The progress bar and early stopping the parameters ask for, then the user's callbacks."""
    callbacks = []
    verbose = estimator.verbose and is_main_process()
    if verbose:
        callbacks.append(("progress", EpochProgressBar(type(estimator).__name__)))
    if estimator.n_iter_no_change is not None:
        stopper = EarlyStopping(
            monitor="train_loss",
            patience=estimator.n_iter_no_change,
            threshold=estimator.tol,
            threshold_mode="abs",
            sink=print if verbose else _silent,
        )
        callbacks.append(("early_stopping", stopper))
    return callbacks + list(estimator.callbacks or [])


def _silent(*args, **kwargs):
    """A sink for skorch messages when ``verbose=0``."""
