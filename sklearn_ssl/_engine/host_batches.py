"""Mini-batches streamed from a host array (e.g. an ``np.memmap``) to the device.

The streaming counterpart of :class:`~sklearn_ssl._engine.batches.DeviceBatches`,
for data too large for the device (or for memory): only the rows of the
batches in flight are ever read from the host array.
"""

import mmap
import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

from .batches import n_batches, shuffled_batches
from .distributed import decorrelate, local_part


class HostBatches:
    """Iterate over shuffled mini-batches gathered from a host array.

    By default the batches are exactly those of
    :class:`~sklearn_ssl._engine.batches.DeviceBatches` (the same
    :func:`~sklearn_ssl._engine.batches.shuffled_batches`, rows in permutation
    order), so streaming trains the same model as keeping the data resident;
    ``plan`` makes other batches (e.g. text's length buckets).
    Each batch is gathered from ``data`` by fancy indexing, which on a memory
    map reads only those rows. On the 2-core CI machine, random 1 kB rows of a
    cached memory-mapped file read at 1.4 M rows/s; sorting a batch's rows
    gained 8 %, random blocks of 64 rows 26 %, and only fully contiguous reads
    were much faster (3x). All are far above training speed, so batches keep
    the exact random order rather than trading randomness for locality.

    Background threads gather and convert the next batches while the current
    one trains (one thread on the CPU, up to 4 for CUDA, where the device can
    consume rows faster than one thread reads them). On CUDA each gathered
    batch goes to page-locked (pinned) memory and is copied to the device on
    a side stream, one batch ahead, so the copy overlaps the previous step's
    compute and the training stream waits only for its own batch's copy.

    In a data-parallel fit (:mod:`sklearn_ssl._engine.distributed`), every process
    draws the same permutation and gathers only its own part of each batch.

    Parameters
    ----------
    data : array-like of shape (n_samples, ...)
        The training rows on the host; anything NumPy-style indexing with an
        integer array reads, such as ``np.memmap``.
    batch_size : int
        The smallest number of rows per batch.
    generator : torch.Generator
        A generator on the training device that decides the order.
    as_tensor : callable
        ``as_tensor(rows, "cpu")`` turns gathered rows into the CPU tensor the
        encoder takes (the estimator's ``_as_tensor``).
    device : torch.device
        The training device.
    plan : callable or None, default=None
        ``plan(generator)`` returns the row indices of each batch of an epoch
        (``len(self)`` of them); None means shuffled batches.
    targets : torch.Tensor of shape (n_samples, ...) or None, default=None
        Targets of the rows, on the training device (fine-tuning); batches
        are ``(X_batch, None)`` without them.
    """

    #: This class gathers only its process's part of every batch itself.
    shards_itself = True

    def __init__(self, data, batch_size, generator, as_tensor, device, plan=None, targets=None):
        self.data = data
        self.batch_size = batch_size
        self.generator = generator
        self.as_tensor = as_tensor
        self.device = torch.device(device)
        self.plan = plan
        self.targets = targets

    def __len__(self):
        return n_batches(len(self.data), self.batch_size)

    def _epoch_rows(self):
        """This process's row indices of every batch of the epoch, as NumPy arrays."""
        if self.plan is None:
            batches = shuffled_batches(len(self.data), self.batch_size, self.generator)
        else:
            batches = self.plan(self.generator)
        decorrelate(self.generator)  # augmentations differ between data-parallel processes
        return [local_part(torch.as_tensor(rows).cpu()).numpy() for rows in batches]

    def _gather(self, rows):
        """The host tensor of ``rows``, pinned when it goes to a CUDA device."""
        batch = self.as_tensor(self.data[rows], "cpu")  # (batch, ...)
        return batch.pin_memory() if self.device.type == "cuda" else batch

    def _to_device(self, batch, stream):
        """Start copying a host batch to the device; returns it with its ready event."""
        if stream is None:
            return batch.to(self.device), None
        with torch.cuda.stream(stream):
            on_device = batch.to(self.device, non_blocking=True)
            ready = torch.cuda.Event()
            ready.record(stream)
        return on_device, ready

    def __iter__(self):
        batches = self._epoch_rows()
        stream = torch.cuda.Stream(self.device) if self.device.type == "cuda" else None
        workers = gather_threads(self.device)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = deque(pool.submit(self._gather, rows) for rows in batches[: workers + 1])
            upcoming = self._to_device(pending.popleft().result(), stream)
            for k in range(len(batches)):
                current, ready = upcoming
                if k + workers + 1 < len(batches):
                    pending.append(pool.submit(self._gather, batches[k + workers + 1]))
                if pending:  # batch k + 1, gathered during earlier steps; its copy overlaps step k
                    upcoming = self._to_device(pending.popleft().result(), stream)
                if ready is not None:
                    compute = torch.cuda.current_stream(self.device)
                    compute.wait_event(ready)
                    current.record_stream(compute)  # its memory belongs to the compute stream now
                yield current, self._targets_of(batches[k])

    def _targets_of(self, rows):
        """The targets of a batch's rows, or None."""
        if self.targets is None:
            return None
        return self.targets[torch.from_numpy(rows).to(self.targets.device)]


def gather_threads(device):
    """Threads that gather batches ahead: 1 on the CPU (training needs the cores), else up to 4."""
    return 1 if device.type == "cpu" else max(1, min(4, (os.cpu_count() or 2) // 2))


#: Share of the training device's free memory that ``data_on_device="auto"``
#: lets the training data take when it keeps it resident.
RESIDENT_SHARE = 0.5


def keep_resident(X, device, data_on_device):
    """Whether to train on a device-resident copy of ``X`` rather than stream it.

    Parameters
    ----------
    X : ndarray of shape (n_samples, ...)
        The validated training rows.
    device : torch.device
        The training device.
    data_on_device : {"auto", True, False}
        True and False decide; ``"auto"`` streams a memory-mapped ``X`` (an
        ``np.memmap`` or a view of one) and an ``X`` whose device copy would
        take more than ``RESIDENT_SHARE`` of the device's free memory (at
        most 4 bytes per value: float32, or uint8 images). The memory maps
        joblib makes to share large arrays with its workers (e.g. under
        ``GridSearchCV(n_jobs=...)``) count as in-memory arrays.

    Returns
    -------
    resident : bool
    """
    if data_on_device != "auto":
        return bool(data_on_device)
    if is_memory_mapped(X) and not _shared_by_joblib(X):
        return False
    return X.size * min(X.itemsize, 4) <= RESIDENT_SHARE * free_memory(device)


def is_memory_mapped(X):
    """Whether ``X`` is an ``np.memmap`` or a view of one."""
    return _memory_map_of(X) is not None


def _memory_map_of(X):
    while X is not None:
        if isinstance(X, np.memmap | mmap.mmap):
            return X
        X = getattr(X, "base", None)
    return None


def _shared_by_joblib(X):
    """Whether ``X`` maps a file joblib wrote to pass an in-memory array to its workers."""
    filename = getattr(_memory_map_of(X), "filename", None) or ""
    return "joblib_memmapping_folder" in os.fspath(filename)


def free_memory(device):
    """Bytes free on ``device``: CUDA memory, or the host's available memory."""
    if device.type == "cuda":
        return torch.cuda.mem_get_info(device)[0]
    try:
        with open("/proc/meminfo") as meminfo:
            fields = dict(line.split(":", 1) for line in meminfo)
        return int(fields["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
