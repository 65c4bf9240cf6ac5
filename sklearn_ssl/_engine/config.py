"""What the engine needs to know to train a task: one plain record, no estimator."""

from dataclasses import dataclass, field

import torch


@dataclass(frozen=True)
class TrainingConfig:
    """The settings of one training run, as the engine reads them.

    Pretraining (:mod:`sklearn_ssl._engine.pretraining`) and fine-tuning
    (:mod:`sklearn_ssl.finetune`) each translate their estimator's parameters
    into this record and hand it, with a task and its batches, to
    :func:`~sklearn_ssl._engine.training.make_net` and
    :func:`~sklearn_ssl._engine.training.fit_net`.

    Parameters
    ----------
    name : str
        Who trains (an estimator's class name): the progress bar's label and
        the subject of error messages.
    device : torch.device
        The training device, already resolved.
    seed : int
        Seeds initialisation-time draws (by the caller) and every epoch's
        generator and global RNG (by the net).
    lr : float
        The base learning rate.
    weight_decay : float
        The optimizer's weight decay.
    batch_size : int
        Rows per batch, for the out-of-memory advice.
    optimizer : {"adamw", "adam", "sgd"} or torch optimizer class, default="adamw"
        The optimizer.
    param_groups : list of (str, dict), default=()
        skorch's ``optimizer__param_groups``: learning rates per parameter pattern.
    precision : {"auto", "float32", "bfloat16"}, default="auto"
        Autocast dtype of the forward pass.
    compile : bool, default=False
        Train through :func:`torch.compile` of the task.
    n_jobs : int or None, default=None
        Torch threads on the CPU (see :func:`~sklearn_ssl._engine.torch_context.cpu_threads`).
    verbose : int, default=0
        1 shows a progress bar over epochs.
    callbacks : list, default=()
        skorch callbacks (or ``(name, callback)`` pairs) after the engine's own.
    n_iter_no_change : int or None, default=None
        Stop when ``monitor`` has not improved by ``tol`` for this many epochs.
    tol : float, default=1e-4
        Smallest absolute improvement that counts.
    monitor : {"train_loss", "valid_loss"}, default="train_loss"
        The loss early stopping watches; ``"valid_loss"`` needs validation batches.
    restore_best : bool, default=False
        With early stopping, end with the weights of the best epoch of ``monitor``.
    """

    name: str
    device: torch.device
    seed: int
    lr: float
    weight_decay: float
    batch_size: int
    optimizer: object = "adamw"
    param_groups: tuple = ()
    precision: str = "auto"
    compile: bool = False
    n_jobs: int | None = None
    verbose: int = 0
    callbacks: tuple = field(default=())
    n_iter_no_change: int | None = None
    tol: float = 1e-4
    monitor: str = "train_loss"
    restore_best: bool = False
