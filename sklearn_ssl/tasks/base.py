"""The interface every pretext task implements for the training engine."""

from torch import nn


class PretextTask(nn.Module):
    """Base class of pretext tasks.

    A task owns the ``encoder`` being learned plus whatever heads, targets and
    augmentations its objective needs. ``forward(X, generator=None)`` takes one
    batch of training rows and returns a dict with a scalar ``"loss"``;
    ``generator`` is the estimator's local :class:`torch.Generator`, to be used
    for every random draw the task makes (views, masks), so that
    ``random_state`` makes training reproducible.

    Subclass it to write a new pretext task, then return it from an estimator's
    ``_build_task``.

    Parameters
    ----------
    encoder : torch.nn.Module
        The network whose outputs are the embeddings.
    """

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def after_optimizer_step(self):
        """Update state not trained by gradients; called after every step."""
