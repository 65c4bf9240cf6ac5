"""A transformer over patches of a series, one state per patch.

Each series is cut into non-overlapping patches of ``patch_size`` timestamps
(the last one padded), as in PatchTST (Nie et al., ICLR 2023). A patch's
values and its mask of observed timestamps are embedded by one linear layer,
hidden patches are replaced by a learned mask token, fixed sine-cosine
position embeddings are added and pre-norm transformer blocks mix the patch
tokens. Patches with no observed timestamp (padding, missing runs) are left
out of attention, so padding a series changes none of its states.
"""

import math

import torch
from torch import nn

from .sequence import SequenceNetwork
from .transformer import Block
from .vit import init_transformer_weights


def patchify_series(x, patch_size):
    """Cut series into flattened patches along time, padding the end with zeros.

    Parameters
    ----------
    x : torch.Tensor of shape (batch, n_channels, n_timepoints)
    patch_size : int

    Returns
    -------
    patches : torch.Tensor of shape (batch, n_patches, patch_size * n_channels)
        ``n_patches = ceil(n_timepoints / patch_size)``; timestamp-major within a patch.
    """
    batch, channels, length = x.shape
    n_patches = -(-length // patch_size)
    x = nn.functional.pad(x, (0, n_patches * patch_size - length))  # (B, C, L * P)
    x = x.reshape(batch, channels, n_patches, patch_size).permute(0, 2, 3, 1)  # (B, L, P, C)
    return x.reshape(batch, n_patches, patch_size * channels)


def sincos_positions(n_positions, width, device=None):
    """Fixed 1-D sine-cosine position embeddings (Vaswani et al. 2017), any length.

    Returns
    -------
    embedding : torch.Tensor of shape (n_positions, width)
    """
    half = math.ceil(width / 2)
    omega = 1.0 / 10000 ** (torch.arange(half, dtype=torch.float64, device=device) / half)
    angles = torch.arange(n_positions, dtype=torch.float64, device=device)[:, None] * omega
    return torch.cat([angles.sin(), angles.cos()], dim=1)[:, :width].float()  # (N, width)


class PatchTransformerNetwork(SequenceNetwork):
    """Transformer sequence network over patches of the series.

    Parameters
    ----------
    n_channels : int
        Channels of the input series.
    patch_size : int
        Timestamps per patch.
    width : int
        Token width.
    depth : int
        Transformer blocks.
    n_heads : int
        Attention heads; must divide ``width``.
    dropout : float, default=0.0
        Dropout of the blocks in training.
    n_outputs : int or None, default=None
        Width of the states: a linear layer maps the tokens to it where it
        differs from ``width``; None keeps ``width``.
    """

    def __init__(self, n_channels, patch_size, width, depth, n_heads, dropout=0.0, n_outputs=None):
        super().__init__()
        self.step = patch_size
        self.embed = nn.Linear((n_channels + 1) * patch_size, width)
        self.mask_token = nn.Parameter(torch.zeros(width))
        self.blocks = nn.ModuleList(Block(width, n_heads, dropout=dropout) for _ in range(depth))
        self.norm = nn.LayerNorm(width)
        if n_outputs not in (None, width):
            self.output = nn.Linear(width, n_outputs)
        self.apply(init_transformer_weights)
        nn.init.normal_(self.mask_token, std=0.02)

    def forward(self, values, observed, hidden=None):
        """States ``(batch, n_patches, n_outputs)`` of every patch and the patches
        with an observed timestamp (see :meth:`SequenceNetwork.forward`); a
        patch with a hidden timestamp is replaced by the mask token."""
        flags = observed.unsqueeze(1).to(values.dtype)  # (B, 1, T)
        patches = patchify_series(torch.cat([values, flags], dim=1), self.step)  # (B, L, P(C+1))
        valid = patchify_series(flags, self.step).amax(dim=-1) > 0  # (B, L)
        tokens = self.embed(patches)  # (B, L, D)
        if hidden is not None:
            hidden_patches = patchify_series(hidden.unsqueeze(1).float(), self.step).amax(-1) > 0
            tokens = torch.where(
                hidden_patches.unsqueeze(-1), self.mask_token.to(tokens.dtype), tokens
            )
        tokens = tokens + sincos_positions(tokens.shape[1], tokens.shape[2], tokens.device)
        attend = valid | ~valid.any(dim=1, keepdim=True)  # a series with none attends to all
        for block in self.blocks:
            tokens = block(tokens, attend[:, None, None, :])  # (B, L, D)
        states = self.norm(tokens)  # (B, L, D)
        if hasattr(self, "output"):
            states = self.output(states)  # (B, L, n_outputs)
        return states, valid
