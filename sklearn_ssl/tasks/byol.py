"""BYOL: an online network predicts a slowly moving target network's projections."""

import copy
import math

import torch
from torch import nn

from ..losses import negative_cosine_similarity
from .base import PretextTask


class BYOLTask(PretextTask):
    """Bootstrap Your Own Latent (Grill et al. 2020).

    The online network (``view_encoder``, ``projector``, ``predictor``)
    predicts, for each view, the target network's projection of the other
    view. The target network is a copy of the online encoder and projector
    that is not trained by gradients: after every optimizer step its weights
    move towards the online ones, ``target = tau * target + (1 - tau) * online``,
    in one fused ``torch._foreach_lerp_`` over all tensors. ``tau`` follows
    the paper's cosine schedule from ``base_momentum`` to 1 over
    ``total_steps`` steps, then stays at 1.

    Parameters
    ----------
    encoder : torch.nn.Module
        The encoder whose outputs are the embeddings.
    projector, predictor : torch.nn.Module
        The online projection and prediction heads.
    make_views : torch.nn.Module
        ``make_views(X, generator) -> (view_a, view_b)``.
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
        self.target = copy.deepcopy(nn.Sequential(self.view_encoder, projector))
        self.target.requires_grad_(False)
        self.base_momentum = base_momentum
        self.total_steps = total_steps
        self.steps_done = 0

    def forward(self, X, generator=None):
        view_a, view_b = self.make_views(X, generator)
        views = torch.cat([view_a, view_b])  # (2 * batch, C, H, W)
        p_a, p_b = self.predictor(self.projector(self.view_encoder(views))).chunk(2)  # (B, d)
        with torch.no_grad():
            t_a, t_b = self.target(views).chunk(2)  # (B, d) each
        loss = negative_cosine_similarity(p_a, t_b) + negative_cosine_similarity(p_b, t_a)
        return {"loss": loss}

    def momentum(self):
        """The target's momentum ``tau`` at the current step."""
        progress = min(self.steps_done / max(self.total_steps, 1), 1.0)
        return 1 - (1 - self.base_momentum) * (math.cos(math.pi * progress) + 1) / 2

    def online_parameters(self):
        """The online tensors, in the order of ``target.parameters()``."""
        return [*self.view_encoder.parameters(), *self.projector.parameters()]

    @torch.no_grad()
    def after_optimizer_step(self):
        tau = self.momentum()
        torch._foreach_lerp_(list(self.target.parameters()), self.online_parameters(), 1 - tau)
        self.steps_done += 1
