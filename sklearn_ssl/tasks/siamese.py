"""Views of every row, encoded and projected, pulled together by a loss."""

import itertools

import torch

from .base import PretextTask


class SiameseTask(PretextTask):
    """Joint-embedding pretext task over two or more views of each row.

    Views of one shape go through the encoder in one batch, so batch
    statistics (batch normalisation) are shared between them and the device
    runs one large forward pass instead of several small ones. Views may
    differ in shape, e.g. multi-crop (Caron et al. 2020): two global crops
    and several smaller local ones of each image, for an encoder that pools
    globally and so embeds every size with the same width. Each shape then
    gets its own forward pass (and its own batch statistics); two views of
    one shape cost one pass, as before. The loss is averaged over all pairs
    of views (one pair for two views).

    Parameters
    ----------
    encoder : torch.nn.Module
        Maps a batch of rows to embeddings of shape (batch, n_components).
    projector : torch.nn.Module
        Maps embeddings to the space where ``loss`` compares the views.
    make_views : torch.nn.Module
        ``make_views(X, generator) -> views``, a sequence of at least two
        batches of the same rows, in the same order; views of different shapes
        (crops of different sizes) are allowed when ``view_encoder`` maps each
        to embeddings of the same width.
    loss : torch.nn.Module
        ``loss(z_a, z_b) -> scalar tensor`` for projections of shape (batch, d).
    view_encoder : torch.nn.Module or None, default=None
        Embeds the views; None means ``encoder``. Image methods make views from
        pixels already scaled to [0, 1] and pass ``encoder.network`` here.

    Examples
    --------
    Two global 16x16 and two local 8x8 crops of a batch of images:

    >>> import torch
    >>> from torch import nn
    >>> from sklearn_ssl.losses import NTXentLoss
    >>> from sklearn_ssl.tasks import SiameseTask
    >>> encoder = nn.Sequential(nn.Conv2d(3, 8, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    >>> def multi_crop(X, generator):
    ...     return [X, X.flip(-1), X[..., :8, :8], X[..., 8:, 8:]]
    >>> task = SiameseTask(encoder, nn.Linear(8, 4), multi_crop, NTXentLoss())
    >>> task(torch.rand(5, 3, 16, 16))["loss"].shape
    torch.Size([])
    """

    def __init__(self, encoder, projector, make_views, loss, view_encoder=None):
        super().__init__(encoder)
        self.projector = projector
        self.make_views = make_views
        self.loss = loss
        self.view_encoder = encoder if view_encoder is None else view_encoder

    def forward(self, X, generator=None):
        z = self._project(self.make_views(X, generator))  # (batch, d) per view
        pairs = list(itertools.combinations(range(len(z)), 2))
        return {"loss": sum(self.loss(z[i], z[j]) for i, j in pairs) / len(pairs)}

    def _project(self, views):
        """The projection of each view, in order: one forward pass per shape of view.

        Parameters
        ----------
        views : sequence of torch.Tensor
            Batches of the same rows; views of one shape are concatenated.

        Returns
        -------
        z : list of torch.Tensor
            One (batch, d) projection per view.
        """
        by_shape = {}
        for index, view in enumerate(views):
            by_shape.setdefault(tuple(view.shape), []).append(index)
        z = [None] * len(views)
        for indices in by_shape.values():
            batch = torch.cat([views[i] for i in indices])  # (V_shape * batch, ...)
            projected = self.projector(self.view_encoder(batch))  # (V_shape * batch, d)
            for index, chunk in zip(indices, projected.chunk(len(indices)), strict=True):
                z[index] = chunk  # (batch, d)
        return z
