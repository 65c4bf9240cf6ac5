"""The engine's one training path: a task, its batches and a configuration in, a trained net out.

Pretraining (:mod:`.pretraining`) and fine-tuning (:mod:`sklearn_ssl.finetune`)
both enter here: :func:`make_net` builds the skorch engine around a task, and
:func:`fit_net` trains it for some epochs. Neither reads an estimator: what
they need is a :class:`~sklearn_ssl._engine.config.TrainingConfig`, a task
(a module whose ``forward`` returns ``{"loss": ...}``) and iterables of
batches. So every caller gets the same precision, callbacks, early stopping,
streaming, data-parallel training, out-of-memory advice and interruption.
"""

import numpy as np
import torch
from skorch.callbacks import EarlyStopping

from .batches import DeviceBatches
from .callbacks import EpochProgressBar
from .distributed import data_parallel, is_main_process, shard_batches
from .faults import explain_out_of_memory
from .host_batches import HostBatches, keep_resident
from .net import PretextNet, TrainAndValid
from .torch_context import resolve_autocast_dtype, seeded_torch, torch_threads

OPTIMIZERS = {"adamw": torch.optim.AdamW, "adam": torch.optim.Adam, "sgd": torch.optim.SGD}


def make_net(task, config):
    """The initialised skorch engine that trains ``task`` as ``config`` says.

    Parameters
    ----------
    task : torch.nn.Module
        On the training device; ``forward(batch, generator=...)`` returns a
        dict with a scalar ``"loss"``.
    config : TrainingConfig
        The run's settings.

    Returns
    -------
    net : PretextNet
    """
    net = PretextNet(
        task,
        autocast_dtype=resolve_autocast_dtype(config.precision, config.device),
        seed=config.seed,
        compile_task=config.compile,
        optimizer=OPTIMIZERS.get(config.optimizer, config.optimizer),
        lr=config.lr,
        device=str(config.device),
        callbacks=_callbacks(config),
        **_optimizer_kwargs(config),
    )
    return net.initialize()


def fit_net(net, batches, epochs, config, *, generator, valid_batches=None):
    """Train ``net`` for ``epochs`` more epochs: the one training entry of the library.

    Parameters
    ----------
    net : PretextNet
        From :func:`make_net`, or trained before (training continues).
    batches : iterable of tuple
        One epoch's batches: ``(X_batch, None)`` for a pretext task, which
        receives ``X_batch``; any other tuple goes to the task whole.
    epochs : int
        Epochs to add to ``net.history``.
    config : TrainingConfig
        The settings ``net`` was made with.
    generator : torch.Generator
        The generator ``batches`` draw from
        (:func:`~sklearn_ssl._engine.torch_context.make_generator` of the config's
        seed); the net reseeds it from ``(seed, epoch)`` each epoch.
    valid_batches : iterable of tuple or None, default=None
        Batches whose loss is recorded as ``valid_loss`` after every epoch
        (the loss early stopping watches with ``monitor="valid_loss"``).

    Returns
    -------
    net : PretextNet
        The same net, in evaluation mode.

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C, once the completed epochs are recorded in ``net.history``
        (``net.interrupted_`` is True); skorch itself would swallow it.
    torch.OutOfMemoryError
        With advice on ``batch_size``.
    FloatingPointError
        When the loss becomes NaN or infinite.
    """
    device = torch.device(net.device)
    net.max_epochs = len(net.history) + epochs
    with (
        torch_threads(config.n_jobs, device),
        seeded_torch(net.seed, device),
        explain_out_of_memory(config.name, config.batch_size, "training"),
    ):
        try:
            with data_parallel(net):  # when launched on several processes
                data = shard_batches(batches, generator)
                if valid_batches is not None:
                    data = TrainAndValid(data, shard_batches(valid_batches, generator))
                net.partial_fit(data, generator=generator)
        finally:
            net.module_.eval()
    if net.interrupted_:
        raise KeyboardInterrupt
    return net


def row_batches(X, as_tensor, device, generator, batch_size, data_on_device, targets=None):
    """One epoch's shuffled ``(X_batch, y_batch)`` pairs of rows ``X``, resident or streamed.

    Parameters
    ----------
    X : ndarray of shape (n_samples, ...)
        Validated rows on the host.
    as_tensor : callable
        ``as_tensor(rows, device)``: the tensor the encoder takes.
    device : torch.device
        The training device.
    generator : torch.Generator
        Decides the order.
    batch_size : int
        The smallest number of rows per batch.
    data_on_device : {"auto", True, False}
        Copy the rows to the device once, or stream them (see
        :func:`~sklearn_ssl._engine.host_batches.keep_resident`).
    targets : torch.Tensor of shape (n_samples, ...) or None, default=None
        Targets on the training device; ``y_batch`` is None without them.

    Returns
    -------
    batches : DeviceBatches or HostBatches
    """
    if keep_resident(X, device, data_on_device):
        return DeviceBatches(as_tensor(X, device), batch_size, generator, targets=targets)
    return HostBatches(X, batch_size, generator, as_tensor, device, targets=targets)


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


def _optimizer_kwargs(config):
    kwargs = {"optimizer__weight_decay": config.weight_decay}
    if config.param_groups:
        kwargs["optimizer__param_groups"] = list(config.param_groups)
    if config.optimizer == "sgd":
        kwargs["optimizer__momentum"] = 0.9
    elif config.optimizer in ("adam", "adamw") and config.device.type == "cuda":
        kwargs["optimizer__fused"] = True
    return kwargs


def _callbacks(config):
    """The progress bar and early stopping ``config`` asks for, then its own callbacks."""
    callbacks = []
    verbose = config.verbose and is_main_process()
    if verbose:
        callbacks.append(("progress", EpochProgressBar(config.name)))
    if config.n_iter_no_change is not None:
        stopper = EarlyStopping(
            monitor=config.monitor,
            patience=config.n_iter_no_change,
            threshold=config.tol,
            threshold_mode="abs",
            load_best=config.restore_best,
            sink=print if verbose else _silent,
        )
        callbacks.append(("early_stopping", stopper))
    return callbacks + list(config.callbacks)


def _silent(*args, **kwargs):
    """A sink for skorch messages when ``verbose=0``."""
