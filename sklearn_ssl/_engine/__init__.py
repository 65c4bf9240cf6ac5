"""The training engine, private: everything between validated rows and a trained network.

One training path serves every caller: :func:`make_net` builds the skorch
engine around a task and :func:`fit_net` trains it, from a
:class:`TrainingConfig` (no estimator). Code outside the engine imports from
here only, never from a submodule. Callers:

* :mod:`.pretraining`: the estimator shell's :func:`train` and :func:`embed`
  (:mod:`sklearn_ssl.base`), and :func:`net_for` for a loaded model
  (:mod:`sklearn_ssl._persistence`);
* :mod:`sklearn_ssl.finetune`: stage two, with the :class:`WarmupThenLinearDecay`
  schedule and the :func:`n_batches` / :func:`shuffled_batches` of its pairs;
* the kinds' batches: :class:`HostBatches` and :func:`keep_resident` stream
  rows from host memory, :class:`LengthBuckets` plans the batches of texts and
  series;
* the losses: :func:`process_shard` says which processes a loss gathers from;
* every part that draws random numbers or picks a device:
  :func:`make_generator`, :func:`seeded_torch`, :func:`torch_threads`,
  :func:`resolve_device`.

Inside:

* :mod:`.net`: :class:`PretextNet`, the skorch net with a fast data path;
* :mod:`.batches`, :mod:`.length_buckets` and :mod:`.host_batches`:
  device-resident, length-bucketed and streamed batches;
* :mod:`.distributed`: data-parallel training under ``torchrun`` / ``accelerate launch``;
* :mod:`.faults`: collapse warnings and out-of-memory advice;
* :mod:`.torch_context`: device, precision and seeding;
* :mod:`.callbacks` and :mod:`.schedules`: the progress bar, learning-rate schedules.
"""

from .batches import n_batches, shuffled_batches
from .config import TrainingConfig
from .distributed import is_main_process, process_shard
from .host_batches import HostBatches, is_memory_mapped, keep_resident
from .length_buckets import LengthBuckets
from .net import PretextNet
from .pretraining import embed, initialize, net_for, train, training_batches
from .schedules import WarmupThenLinearDecay
from .torch_context import (
    make_generator,
    resolve_autocast_dtype,
    resolve_device,
    seeded_torch,
    torch_threads,
)
from .training import (
    OPTIMIZERS,
    apply_in_batches,
    fit_net,
    make_net,
    row_batches,
)

__all__ = [
    # training: the one path, and the estimator shell's calls into it
    "OPTIMIZERS",
    "PretextNet",
    "TrainingConfig",
    "WarmupThenLinearDecay",
    "apply_in_batches",
    "embed",
    "fit_net",
    "initialize",
    "make_net",
    "net_for",
    "row_batches",
    "train",
    "training_batches",
    # batches
    "HostBatches",
    "LengthBuckets",
    "is_memory_mapped",
    "keep_resident",
    "n_batches",
    "shuffled_batches",
    # data-parallel runs
    "is_main_process",
    "process_shard",
    # device, precision, threads and seeds
    "make_generator",
    "resolve_autocast_dtype",
    "resolve_device",
    "seeded_torch",
    "torch_threads",
]
