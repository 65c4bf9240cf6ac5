"""MAE's light decoder: the pixels of every patch from the encoded visible ones."""

import torch
from torch import nn

from ..encoders.transformer import Block
from ..encoders.vit import init_transformer_weights, sincos_position_embedding


class PatchDecoder(nn.Module):
    """MAE's light decoder: mask tokens in, pixels of every patch out.

    Parameters
    ----------
    encoder_width : int
        Width of the encoder's tokens.
    grid : (int, int)
        Patch rows and columns of an image.
    patch_dim : int
        Pixels per patch (``channels * patch_h * patch_w``), the output width.
    width : int, default=64
        Token width inside the decoder.
    depth : int, default=1
        Transformer blocks of the decoder.
    n_heads : int, default=4
        Attention heads; must divide ``width``.
    """

    def __init__(self, encoder_width, grid, patch_dim, width=64, depth=1, n_heads=4):
        super().__init__()
        if width % n_heads:
            raise ValueError(f"n_heads={n_heads} must divide the decoder width {width}.")
        self.embed = nn.Linear(encoder_width, width)
        self.mask_token = nn.Parameter(torch.randn(1, 1, width) * 0.02)
        self.register_buffer("pos_embed", sincos_position_embedding(*grid, width))
        self.blocks = nn.ModuleList(Block(width, n_heads) for _ in range(depth))
        self.norm = nn.LayerNorm(width)
        self.predict = nn.Linear(width, patch_dim)
        self.apply(init_transformer_weights)

    def forward(self, encoded, visible):
        """Predict all patches from the encoded visible ones.

        Parameters
        ----------
        encoded : torch.Tensor of shape (batch, n_visible, encoder_width)
            Encoder outputs of the visible patch tokens (no ``[cls]`` token).
        visible : torch.Tensor of shape (batch, n_visible), int64
            Where those patches sit in the image.

        Returns
        -------
        patches : torch.Tensor of shape (batch, n_patches, patch_dim)
        """
        x = self.embed(encoded)  # (B, n_visible, W)
        batch, _, width = x.shape
        tokens = self.mask_token.to(x.dtype).expand(batch, len(self.pos_embed), width)  # (B, N, W)
        index = visible.unsqueeze(-1).expand(-1, -1, width)  # (B, n_visible, W)
        tokens = tokens.scatter(1, index, x) + self.pos_embed  # (B, N, W)
        for block in self.blocks:
            tokens = block(tokens)
        return self.predict(self.norm(tokens))  # (B, N, patch_dim)
