"""Data-parallel training through Hugging Face Accelerate.

A script launched with ``accelerate launch --num_processes N script.py`` (or
``torchrun --nproc_per_node N script.py``) runs N copies of itself; every copy
calls ``fit`` on the same data. The launcher sets ``WORLD_SIZE``; when it is
above 1, ``fit`` trains data-parallel with no change to the script:

* :func:`training_device` joins the process group through Accelerate's
  ``PartialState`` and gives each process its device (``cuda:LOCAL_RANK``, or
  the CPU with the gloo backend);
* :func:`broadcast_seed` makes every process use the main process's seed, so
  all draw the same permutation of the rows each epoch; each process then
  trains on its own part of every batch (:func:`process_shard`), and reseeds
  its generator by its rank so that augmentations differ between processes;
* :func:`data_parallel` wraps the engine's module in DistributedDataParallel
  (``Accelerator.prepare``) for the duration of training, and restores the
  plain module afterwards, so the fitted estimator holds no Accelerator,
  pickles, and transforms in a single process;
* :func:`all_reduce_mean` makes the recorded epoch loss (and so early
  stopping) identical in every process; only the main process shows progress
  and saves files.

A loss sees the whole global batch (e.g. all negatives of NT-Xent) when
built with ``gather_distributed=True``, as the estimators build theirs: it
gathers the processes' rows with :func:`sklearn_ssl.losses.gather_with_grad`,
which reads :func:`process_shard`.

Outside a data-parallel fit every helper is a no-op, so batches call them
unconditionally.
"""

import contextlib
import os

import numpy as np
import torch

#: (rank, world_size) of the data-parallel fit in progress; (0, 1) outside one.
_SHARD = {"rank": 0, "world_size": 1}


def launched_data_parallel():
    """Whether this process is one of several started by a launcher (``WORLD_SIZE`` > 1)."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def process_shard():
    """``(rank, world_size)`` of the data-parallel fit in progress, ``(0, 1)`` outside one."""
    return _SHARD["rank"], _SHARD["world_size"]


def is_main_process():
    """False only in the non-main processes of a launched run (``RANK`` > 0)."""
    return int(os.environ.get("RANK", "0")) == 0


def training_device(device):
    """The device this process trains on: ``device``, or its launched process's device.

    In a launched run this joins the process group (Accelerate's
    ``PartialState``: gloo on the CPU, NCCL on CUDA) before any other
    collective call.
    """
    if not launched_data_parallel():
        return device
    from accelerate import PartialState

    process_device = torch.device(PartialState(cpu=device.type == "cpu").device)
    # Accelerate says "cpu:0", which a pickle cannot map back: keep the plain "cpu"
    return device if process_device.type == "cpu" else process_device


def broadcast_seed(seed):
    """The main process's ``seed`` in every process of a launched run."""
    if not launched_data_parallel():
        return seed
    from accelerate.utils import broadcast_object_list

    return int(broadcast_object_list([seed], from_process=0)[0])


def check_same_rows(n_samples):
    """Raise ValueError unless every launched process fits on as many rows."""
    if not launched_data_parallel():
        return
    from accelerate.utils import gather_object

    counts = gather_object([n_samples])
    if len(set(counts)) > 1:
        raise ValueError(
            "In a data-parallel run every process must call fit on the same X; the "
            f"processes got {counts} rows."
        )


def all_reduce_mean(value):
    """The mean of tensor ``value`` over the processes of a data-parallel fit."""
    if _SHARD["world_size"] == 1:
        return value
    value = value.clone()
    torch.distributed.all_reduce(value)
    return value / _SHARD["world_size"]


def decorrelate(generator):
    """Reseed ``generator`` by the process's rank, from a draw common to all processes."""
    rank, world_size = process_shard()
    if world_size == 1:
        return
    common = torch.randint(2**62, (1,), generator=generator, device=generator.device).item()
    generator.manual_seed(int(np.random.SeedSequence([common, rank]).generate_state(1)[0]))


def local_part(rows):
    """This process's part of a global batch: equal contiguous parts, remainder dropped.

    Dropping at most ``world_size - 1`` rows per batch (other rows every epoch)
    keeps the parts equal, which gathering across processes requires.
    """
    rank, world_size = process_shard()
    if world_size == 1:
        return rows
    return rows[: len(rows) - len(rows) % world_size].chunk(world_size)[rank]


class ShardedBatches:
    """Each process's part of every batch of an iterable that does not shard itself.

    Parameters
    ----------
    batches : iterable of tuple
        Global batches, ``(X_batch, None)`` or ``(X_batch, y_batch)``, identical
        in every process (drawn from the common seed).
    generator : torch.Generator
        Decorrelated by rank once the first batch (and with it the epoch's
        order) has been drawn.
    """

    def __init__(self, batches, generator):
        self.batches = batches
        self.generator = generator

    def __len__(self):
        return len(self.batches)

    def __iter__(self):
        for index, batch in enumerate(self.batches):
            if index == 0:
                decorrelate(self.generator)
            yield tuple(None if part is None else local_part(part) for part in batch)


def shard_batches(batches, generator):
    """``batches`` as this process's shard (a no-op outside a data-parallel fit)."""
    if process_shard()[1] == 1 or getattr(batches, "shards_itself", False):
        return batches
    if hasattr(batches, "map_streams"):  # batches that pair several streams: shard each
        return batches.map_streams(lambda stream: shard_batches(stream, generator))
    return ShardedBatches(batches, generator)


@contextlib.contextmanager
def data_parallel(net):
    """Train skorch ``net`` data-parallel inside the block when the script was launched so.

    The module is prepared by an ``accelerate.Accelerator`` (wrapped in
    DistributedDataParallel) on entry and the plain one restored on exit; the
    optimizer holds the same parameters either way. After training, floating
    point buffers (batch normalisation's running statistics, which each
    process estimates from its own batches) are averaged over the processes,
    so every process ends with identical weights and buffers.
    """
    if not launched_data_parallel():
        yield
        return
    from accelerate import Accelerator

    device = torch.device(net.device)
    # the estimator's own precision and device rule, whatever `accelerate config` says
    accelerator = Accelerator(
        cpu=device.type == "cpu", device_placement=False, mixed_precision="no", dynamo_backend="no"
    )
    module = net.module_
    net.module_ = accelerator.prepare(module)
    _SHARD.update(rank=accelerator.process_index, world_size=accelerator.num_processes)
    try:
        yield
        average_buffers(module)
    finally:
        _SHARD.update(rank=0, world_size=1)
        net.module_ = module


def average_buffers(module):
    """Replace ``module``'s floating-point buffers by their mean over the processes."""
    for buffer in module.buffers():
        if buffer.is_floating_point():
            buffer.copy_(all_reduce_mean(buffer))
