"""A momentum target: a slowly moving average of online networks (BYOL, MoCo, DINO).

The target is a copy of the online modules that gradients never train:
after every optimizer step its weights move towards the online ones,
``target = tau * target + (1 - tau) * online``, in one fused
``torch._foreach_lerp_`` over all tensors. ``tau`` follows BYOL's cosine
schedule (Grill et al. 2020) from ``base_momentum`` to 1 over
``total_steps`` steps, then stays at 1 (a frozen target).
"""

import copy
import math

import torch
from torch import nn


class MomentumTarget(nn.Sequential):
    """An exponential moving average of ``online`` modules, applied in sequence.

    Parameters
    ----------
    *online : torch.nn.Module
        The online modules (e.g. encoder and projector); the target starts as
        a copy of them and computes ``online[-1](...(online[0](x)))``.
    base_momentum : float
        ``tau`` at the first step (BYOL: 0.996).
    total_steps : int
        Optimizer steps over which ``tau`` rises to 1.
    """

    def __init__(self, *online, base_momentum, total_steps):
        super().__init__(*copy.deepcopy(online))
        self.requires_grad_(False)
        self.base_momentum = base_momentum
        self.total_steps = total_steps
        self.steps_done = 0

    def momentum(self):
        """The momentum ``tau`` at the current step."""
        progress = min(self.steps_done / max(self.total_steps, 1), 1.0)
        return 1 - (1 - self.base_momentum) * (math.cos(math.pi * progress) + 1) / 2

    @torch.no_grad()
    def update(self, *online):
        """Move the weights towards those of ``online`` (the modules it copied), one step."""
        online_parameters = [parameter for module in online for parameter in module.parameters()]
        target_parameters = list(self.parameters())
        assert len(online_parameters) == len(target_parameters), "not the modules it copied"
        torch._foreach_lerp_(target_parameters, online_parameters, 1 - self.momentum())
        self.steps_done += 1
