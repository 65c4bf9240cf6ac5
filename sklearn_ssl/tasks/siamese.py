"""Views of every row, encoded and projected, pulled together by a loss."""

import itertools

import torch

from .base import PretextTask


class SiameseTask(PretextTask):
    """Joint-embedding pretext task over two or more views of each row.

    All views go through the encoder in one batch, so batch statistics (batch
    normalisation) are shared between them and the device runs one large
    forward pass instead of several small ones. The loss is averaged over all
    pairs of views (one pair for two views).

    Parameters
    ----------
    encoder : torch.nn.Module
        Maps a batch of rows to embeddings of shape (batch, n_components).
    projector : torch.nn.Module
        Maps embeddings to the space where ``loss`` compares the views.
    make_views : torch.nn.Module
        ``make_views(X, generator) -> views``, a sequence of at least two
        batches of the same shape.
    loss : torch.nn.Module
        ``loss(z_a, z_b) -> scalar tensor`` for projections of shape (batch, d).
    view_encoder : torch.nn.Module or None, default=None
        Embeds the views; None means ``encoder``. Image methods make views from
        pixels already scaled to [0, 1] and pass ``encoder.network`` here.
    """

    def __init__(self, encoder, projector, make_views, loss, view_encoder=None):
        super().__init__(encoder)
        self.projector = projector
        self.make_views = make_views
        self.loss = loss
        self.view_encoder = encoder if view_encoder is None else view_encoder

    def forward(self, X, generator=None):
        views = self.make_views(X, generator)
        z = self.projector(self.view_encoder(torch.cat(views)))  # (V * batch, d)
        z = z.chunk(len(views))  # (batch, d) each
        pairs = list(itertools.combinations(range(len(views)), 2))
        return {"loss": sum(self.loss(z[i], z[j]) for i, j in pairs) / len(pairs)}
