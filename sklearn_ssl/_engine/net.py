"""The training engine: a skorch net that trains any pretext task quickly.

A pretext task is a module whose ``forward(X_batch, generator=...)`` returns a
dict with a scalar ``"loss"``. :class:`PretextNet` keeps skorch's callbacks,
history and optimizer handling, and overrides only documented steps to replace
skorch's default data path (numpy -> per-item Dataset -> DataLoader, a
validation split, ``loss.item()`` after every batch), which costs 2.6x a plain
PyTorch loop on a small MLP:

* ``get_dataset`` / ``get_iterator``: batches come from :class:`DeviceBatches`,
  slices of a tensor already on the device;
* ``infer``: the forward pass runs under autocast when asked for;
* ``get_loss``, ``train_step_single``, ``validation_step``: the task computes
  its own loss from what :func:`task_input` takes of a batch;
* ``get_split_datasets``: validation batches come with the training ones
  (:class:`TrainAndValid`), never split off by skorch;
* ``train_step_single``: the train mode is set once per epoch, not once per
  batch (walking every submodule each step costs a few percent on small nets);
* ``train_step``: after each optimizer step the task may update state that is
  not trained by gradients (e.g. an EMA target network);
* ``run_single_epoch``: the loss is summed on the device and read once per
  epoch, so the host never waits for the device inside an epoch; with a
  ``seed``, every epoch reseeds the generator from the epoch number, so a fit
  resumed from a checkpoint repeats the uninterrupted one exactly;
* ``save_params``: in a data-parallel run (:mod:`sklearn_ssl._engine.distributed`)
  only the main process writes files (skorch's ``Checkpoint`` calls it); the
  epoch loss is averaged over the processes, so all stop at the same epoch;
* ``fit_loop``: ``max_epochs`` is the epoch count training ends at, counting
  epochs already in the history (e.g. loaded by skorch's ``LoadInitState``),
  and a ``KeyboardInterrupt`` that did not come from a callback (skorch's
  ``EarlyStopping`` stops training by raising one) is recorded in
  ``interrupted_``, because skorch's ``partial_fit`` swallows it.
"""

import math
from typing import NamedTuple

import numpy as np
import torch
from skorch import NeuralNet
from skorch.callbacks import EpochTimer
from torch.nn.parallel import DistributedDataParallel

from .distributed import all_reduce_mean, is_main_process


class TrainAndValid(NamedTuple):
    """Training and validation batches, handed to the net as one argument."""

    train: object
    valid: object


class PretextNet(NeuralNet):
    """skorch :class:`~skorch.NeuralNet` that trains a pretext task.

    Parameters
    ----------
    module : torch.nn.Module
        The pretext task; ``forward`` returns ``{"loss": scalar tensor, ...}``.
    autocast_dtype : torch.dtype or None, default=None
        Run the forward pass under :func:`torch.autocast` with this dtype.
    seed : int or None, default=None
        Reseed the ``generator`` fit parameter and torch's global RNG from
        ``(seed, epoch)`` at the start of every training epoch; the caller
        forks the global RNG around training.
    compile_task : bool, default=False
        Run the training forward pass through :func:`torch.compile` of the
        task (compiled on first use, again when the module or a batch shape
        changes); the task itself, its ``state_dict`` and evaluation stay
        plain. skorch's own ``compile`` would wrap ``module_`` instead.
    **kwargs
        Passed on to :class:`skorch.NeuralNet`.
    """

    def __init__(self, module, *, autocast_dtype=None, seed=None, compile_task=False, **kwargs):
        kwargs.setdefault("criterion", torch.nn.Identity)  # the task computes its loss
        kwargs.setdefault("train_split", None)
        kwargs.setdefault("verbose", 0)
        super().__init__(module, **kwargs)
        self.autocast_dtype = autocast_dtype
        self.seed = seed
        self.compile_task = compile_task

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("compiled_", None)  # compiled code does not pickle; it is rebuilt on use
        if state.get("module") is self.__dict__.get("module_"):
            # the task is both the ``module`` argument and ``module_``: pickle it once,
            # in skorch's device-mapped part, so a GPU pickle loads on a CPU
            state["module"] = None
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if self.module is None:
            self.module = self.module_

    def get_default_callbacks(self):
        return [("epoch_timer", EpochTimer())]

    def get_dataset(self, X, y=None):
        return X

    def get_iterator(self, dataset, training=False):
        return dataset

    def infer(self, x, **fit_params):
        device_type = torch.device(self.device).type
        enabled = self.autocast_dtype is not None
        with torch.autocast(device_type, dtype=self.autocast_dtype, enabled=enabled):
            return self._forward_module()(x, **fit_params)

    def _forward_module(self):
        """``module_``, or its :func:`torch.compile` in training with ``compile_task``."""
        if not (self.compile_task and self.module_.training):
            return self.module_
        module, compiled = getattr(self, "compiled_", (None, None))
        if module is not self.module_:  # first use, or a data-parallel wrapper came or went
            self.compiled_ = (self.module_, torch.compile(self.module_))
        return self.compiled_[1]

    def get_loss(self, y_pred, y_true, X=None, training=False):
        return y_pred["loss"]

    def get_split_datasets(self, X, y=None, **fit_params):
        if isinstance(X, TrainAndValid):
            return X.train, X.valid
        return super().get_split_datasets(X, y, **fit_params)

    def train_step_single(self, batch, **fit_params):
        outputs = self.infer(task_input(batch), **fit_params)
        loss = outputs["loss"]
        loss.backward()
        return {"loss": loss, "y_pred": outputs}

    def validation_step(self, batch, **fit_params):
        self._set_training(False)
        with torch.no_grad():
            outputs = self.infer(task_input(batch), **fit_params)
        return {"loss": outputs["loss"], "y_pred": outputs}

    def train_step(self, batch, **fit_params):
        step = super().train_step(batch, **fit_params)
        task = self.module_
        if isinstance(task, DistributedDataParallel):  # in a data-parallel fit
            task = task.module
        task.after_optimizer_step()
        return step

    def save_params(self, *args, **kwargs):
        if is_main_process():  # in a data-parallel run, one process writes files
            super().save_params(*args, **kwargs)

    def notify(self, method_name, **cb_kwargs):
        try:
            super().notify(method_name, **cb_kwargs)
        except KeyboardInterrupt:
            self.stop_requested_ = True  # a callback's way to stop training
            raise

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        self.interrupted_ = self.stop_requested_ = False
        if epochs is None:
            epochs = max(0, self.max_epochs - len(self.history))
        try:
            return super().fit_loop(X, y, epochs=epochs, **fit_params)
        except KeyboardInterrupt:
            self.interrupted_ = not self.stop_requested_
            if self.history and "train_loss" not in self.history[-1]:
                self.history.pop()  # drop the unfinished epoch's row
            raise

    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        if iterator is None:
            return
        self._set_training(training)
        loss_sum = torch.zeros((), device=self.device)
        batch_count = 0
        if training and self.seed is not None:
            epoch_seed = int(
                np.random.SeedSequence([self.seed, len(self.history)]).generate_state(1)[0]
            )
            torch.manual_seed(epoch_seed)
            if fit_params.get("generator") is not None:
                fit_params["generator"].manual_seed(epoch_seed)
        for batch in iterator:
            self.notify("on_batch_begin", batch=batch, training=training)
            step = step_fn(batch, **fit_params)
            loss_sum += step["loss"].detach()
            self.notify("on_batch_end", batch=batch, training=training, **step)
            batch_count += 1
        # the one host sync of the epoch; the same value in every data-parallel process
        epoch_loss = all_reduce_mean(loss_sum).item() / batch_count
        if not math.isfinite(epoch_loss):
            raise FloatingPointError(
                f"The {'training' if training else 'validation'} loss became {epoch_loss} "
                f"in epoch {len(self.history)}. "
                f"The learning rate (lr={self.lr}) is probably too high for this "
                "model and data; lower it, or standardise the input features."
            )
        key = prefix + "_loss"
        best = min((row[key] for row in self.history[:-1] if key in row), default=math.inf)
        self.history.record(key, epoch_loss)
        self.history.record(key + "_best", bool(epoch_loss < best))  # for skorch's Checkpoint
        self.history.record(prefix + "_batch_count", batch_count)


def task_input(batch):
    """What the task receives of a batch: ``X_batch`` of ``(X_batch, None)``, else the
    whole tuple (e.g. ``(X_batch, y_batch)`` for fine-tuning)."""
    if len(batch) == 2 and batch[1] is None:
        return batch[0]
    return tuple(batch)
