"""The global batch of a data-parallel fit, gathered for a loss with gradients flowing.

A loss built with ``gather_distributed=True`` passes its projections through
:func:`gather_with_grad`, so that it compares rows (NT-Xent's negatives) or
takes statistics (VICReg's, Barlow Twins') over the whole global batch, as a
single process would. Which processes take part comes from the engine's
:func:`~sklearn_ssl._engine.process_shard`: one process outside a
data-parallel fit, where the gather returns its input.
"""

import torch

from .._engine import process_shard


def paired_batch(z_a, z_b, gather_distributed):
    """Two views' paired projections, checked, as float32, gathered when asked.

    The batch statistics of VICReg and Barlow Twins: at least two rows, over
    the global batch of a data-parallel fit with ``gather_distributed``.

    Parameters
    ----------
    z_a, z_b : torch.Tensor of shape (batch, d)
        Projections of the two views; row i of each comes from the same example.
    gather_distributed : bool
        Pass both through :func:`gather_with_grad`.

    Returns
    -------
    z_a, z_b : torch.Tensor of shape (batch, d), or (world_size * batch, d) gathered
    """
    assert z_a.shape == z_b.shape and z_a.ndim == 2 and len(z_a) >= 2, (z_a.shape, z_b.shape)
    if gather_distributed:  # statistics of the global batch (a no-op outside data-parallel)
        z_a, z_b = gather_with_grad(z_a), gather_with_grad(z_b)  # (world * B, d) each
    return z_a.float(), z_b.float()


def gather_with_grad(z):
    """Concatenate ``z`` from every process of a data-parallel fit, gradients flowing.

    Row blocks come in rank order, so this process's rows start at
    ``rank * len(z)``. Every process must pass a tensor of the same shape.
    Outside a data-parallel fit it returns ``z`` itself. In the backward
    pass, the gradient each process computed for the gathered rows is summed
    over the processes and each keeps its own rows' part: data-parallel
    averaging of parameter gradients then yields the gradient of the mean of
    the processes' losses, as if one process had seen the global batch.

    Parameters
    ----------
    z : torch.Tensor of shape (batch, ...)

    Returns
    -------
    z_all : torch.Tensor of shape (world_size * batch, ...)
    """
    if process_shard()[1] == 1:
        return z
    return _GatherWithGrad.apply(z)  # (world_size * batch, ...)


class _GatherWithGrad(torch.autograd.Function):
    """all_gather forward; all_reduce (sum) of the gradient, then this rank's rows, backward.

    An all_reduce rather than a reduce_scatter, so that every backend (gloo
    included) runs it.
    """

    @staticmethod
    def forward(ctx, z):
        rank, world_size = process_shard()
        ctx.rows = slice(rank * len(z), (rank + 1) * len(z))
        parts = [torch.empty_like(z) for _ in range(world_size)]
        torch.distributed.all_gather(parts, z.contiguous())
        return torch.cat(parts)

    @staticmethod
    def backward(ctx, grad):
        grad = grad.contiguous().clone()
        torch.distributed.all_reduce(grad)  # sum over processes of d(their loss)/d(rows)
        return grad[ctx.rows]
