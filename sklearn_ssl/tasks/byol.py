"""BYOL: an online network predicts a slowly moving target network's projections."""

import itertools

import torch

from ..encoders.momentum import MomentumTarget
from ..losses import negative_cosine_similarity
from .base import PretextTask


class BYOLTask(PretextTask):
    """Bootstrap Your Own Latent (Grill et al. 2020).

    The online network (``view_encoder``, ``projector``, ``predictor``)
    predicts, for each view, the target network's projection of every other
    view. The target is a :class:`~sklearn_ssl.encoders.MomentumTarget` of
    the online encoder and projector, updated after every optimizer step.
    With two views the loss is the paper's, symmetrised: the negative cosine
    similarity summed over both directions; more views average it over pairs.

    Parameters
    ----------
    encoder : torch.nn.Module
        The encoder whose outputs are the embeddings.
    projector, predictor : torch.nn.Module
        The online projection and prediction heads.
    make_views : torch.nn.Module
        ``make_views(X, generator) -> views``, a sequence of at least two batches.
    view_encoder : torch.nn.Module or None
        Embeds the views; None means ``encoder``.
    base_momentum : float
        The target's momentum at the first step (paper: 0.996).
    total_steps : int
        Optimizer steps over which the momentum rises to 1.
    """

    def __init__(
        self, encoder, projector, predictor, make_views, view_encoder, base_momentum, total_steps
    ):
        super().__init__(encoder)
        self.view_encoder = encoder if view_encoder is None else view_encoder
        self.projector = projector
        self.predictor = predictor
        self.make_views = make_views
        self.target = MomentumTarget(
            self.view_encoder, projector, base_momentum=base_momentum, total_steps=total_steps
        )

    def forward(self, X, generator=None):
        views = self.make_views(X, generator)
        batch = torch.cat(views)  # (V * B, C, H, W)
        predictions = self.predictor(self.projector(self.view_encoder(batch))).chunk(len(views))
        with torch.no_grad():
            targets = self.target(batch).chunk(len(views))  # (B, d) each
        pairs = list(itertools.combinations(range(len(views)), 2))
        loss = sum(
            negative_cosine_similarity(predictions[i], targets[j])
            + negative_cosine_similarity(predictions[j], targets[i])
            for i, j in pairs
        )
        return {"loss": loss / len(pairs)}

    def after_optimizer_step(self):
        self.target.update(self.view_encoder, self.projector)
