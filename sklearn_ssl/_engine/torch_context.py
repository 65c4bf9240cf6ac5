"""Device, precision, CPU threads and seeding decisions shared by every estimator."""

import contextlib
import os

import torch


def resolve_device(device):
    """Return the :class:`torch.device` an estimator should train on.

    Parameters
    ----------
    device : str or torch.device
        ``"auto"`` picks CUDA when it is available and the CPU otherwise;
        anything else is passed to :class:`torch.device`.

    Returns
    -------
    device : torch.device
    """
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a device torch knows; expected 'auto', "
            "'cpu', 'cuda', 'cuda:N' or a torch.device."
        ) from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} asks for CUDA, but torch sees no CUDA device "
            "here; use device='auto' or device='cpu'."
        )
    return resolved


def resolve_autocast_dtype(precision, device):
    """Return the autocast dtype for ``precision`` on ``device``, or None.

    ``"auto"`` means bfloat16 autocast on CUDA and plain float32 elsewhere
    (bfloat16 on a CPU is slower than float32 for the small models used there).
    """
    if precision == "float32":
        return None
    if precision == "bfloat16":
        return torch.bfloat16
    return torch.bfloat16 if device.type == "cuda" else None


@contextlib.contextmanager
def seeded_torch(seed, device):
    """Seed torch's global RNG inside the block and restore it afterwards.

    Module initialisation and dropout draw from the global RNG; forking it
    keeps ``random_state`` reproducible without touching the user's stream.
    """
    cuda_devices = [device] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=cuda_devices):
        torch.manual_seed(seed)
        yield


def make_generator(seed, device):
    """A local :class:`torch.Generator` on ``device`` seeded with ``seed``."""
    return torch.Generator(device=device).manual_seed(int(seed))


def cpu_threads(n_jobs):
    """The torch thread count ``n_jobs`` asks for on the CPU.

    Parameters
    ----------
    n_jobs : int or None
        None is 1; -1 is torch's current setting (which follows ``threadpoolctl``
        and ``joblib`` limits); another negative value counts back from the
        cores, as in joblib (-2: all but one); a positive value is itself.

    Returns
    -------
    n_threads : int
    """
    if n_jobs is None:
        return 1
    if n_jobs == 0:
        raise ValueError("n_jobs=0 runs nothing; use None (one thread), a positive count or -1.")
    if n_jobs == -1:
        return torch.get_num_threads()
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return n_jobs


@contextlib.contextmanager
def torch_threads(n_jobs, device):
    """Run the block with the torch thread count ``n_jobs`` asks for, then restore it.

    Only the CPU's threads are set: on CUDA the host threads barely matter.
    """
    if torch.device(device).type != "cpu":
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(cpu_threads(n_jobs))
    try:
        yield
    finally:
        torch.set_num_threads(before)
