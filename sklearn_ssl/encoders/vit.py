"""A small Vision Transformer (Dosovitskiy et al. 2021) that can encode a subset of patches.

The image is cut into non-overlapping patches, each patch is embedded by a
linear layer and given a position embedding, and pre-norm transformer blocks
mix the patch tokens. The embedding of the image is the mean of the final
patch tokens, or a learned ``[cls]`` token.

The three steps are separate methods (:meth:`VisionTransformer.embed`,
:meth:`~VisionTransformer.encode`, :meth:`~VisionTransformer.pool`) so that a
masked autoencoder (He et al. 2022) can drop the masked patch tokens between
embedding and encoding: the encoder then only ever runs on the visible patches.
"""

import math

import torch
from torch import nn

from .transformer import Block


def as_pair(size):
    """``(size, size)`` for an int, the pair itself for a pair."""
    return (int(size), int(size)) if isinstance(size, int) else tuple(int(s) for s in size)


def patchify(images, patch_size):
    """Cut images into flattened, non-overlapping patches in row-major order.

    Parameters
    ----------
    images : torch.Tensor of shape (batch, channels, height, width)
    patch_size : int or (int, int)
        Patch height and width; they must divide the image height and width.

    Returns
    -------
    patches : torch.Tensor of shape (batch, n_patches, patch_h * patch_w * channels)
    """
    batch, channels, height, width = images.shape
    patch_h, patch_w = as_pair(patch_size)
    grid_h, grid_w = height // patch_h, width // patch_w
    x = images.reshape(batch, channels, grid_h, patch_h, grid_w, patch_w)
    x = x.permute(0, 2, 4, 3, 5, 1)  # (B, grid_h, grid_w, patch_h, patch_w, C)
    return x.reshape(batch, grid_h * grid_w, patch_h * patch_w * channels)


def sincos_position_embedding(grid_h, grid_w, width):
    """Fixed 2-D sine-cosine position embeddings (He et al. 2022, after Vaswani et al. 2017).

    Half of the channels encode the patch row and half the column, each with
    sines and cosines of geometrically spaced frequencies.

    Returns
    -------
    embedding : torch.Tensor of shape (grid_h * grid_w, width)
    """
    quarter = math.ceil(width / 4)
    omega = 1.0 / 10000 ** (torch.arange(quarter, dtype=torch.float64) / quarter)  # (Q,)
    rows, cols = torch.meshgrid(
        torch.arange(grid_h, dtype=torch.float64),
        torch.arange(grid_w, dtype=torch.float64),
        indexing="ij",
    )
    angles_r = rows.reshape(-1, 1) * omega  # (N, Q)
    angles_c = cols.reshape(-1, 1) * omega  # (N, Q)
    embedding = torch.cat(
        [angles_r.sin(), angles_r.cos(), angles_c.sin(), angles_c.cos()], dim=1
    )  # (N, 4Q)
    return embedding[:, :width].float()


def init_transformer_weights(module):
    """Xavier-uniform linear layers with zero bias, as in MAE's reference setup."""
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
        if module.bias is not None:
            nn.init.zeros_(module.bias)


class VisionTransformer(nn.Module):
    """A small ViT mapping float images to embeddings of width ``width``.

    Parameters
    ----------
    input_shape : (int, int, int)
        ``(channels, height, width)`` of the images.
    patch_size : int or (int, int)
        Patch height and width; must divide the image height and width.
    width : int, default=128
        Token width, which is also the embedding width.
    depth : int, default=4
        Number of transformer blocks.
    n_heads : int, default=4
        Attention heads per block; must divide ``width``.
    mlp_ratio : float, default=4.0
        Hidden width of the blocks' MLPs as a multiple of ``width``.
    position_embedding : {"sincos", "learned"}, default="sincos"
        Fixed 2-D sine-cosine embeddings (MAE's choice) or learned ones.
    pool : {"mean", "cls"}, default="mean"
        Embed an image by the mean of its final patch tokens or by a ``[cls]`` token.
    """

    def __init__(
        self,
        input_shape,
        patch_size,
        width=128,
        depth=4,
        n_heads=4,
        mlp_ratio=4.0,
        position_embedding="sincos",
        pool="mean",
    ):
        super().__init__()
        channels, height, img_width = input_shape
        self.patch_size = as_pair(patch_size)
        patch_h, patch_w = self.patch_size
        if height % patch_h or img_width % patch_w:
            raise ValueError(
                f"patch_size={patch_size!r} must divide the image height and width, "
                f"got images of {height}x{img_width}."
            )
        if width % n_heads:
            raise ValueError(f"n_heads={n_heads} must divide the token width {width}.")
        if pool not in ("mean", "cls"):
            raise ValueError(f"pool must be 'mean' or 'cls', got {pool!r}.")
        self.grid = (height // patch_h, img_width // patch_w)
        self.n_patches = self.grid[0] * self.grid[1]
        self.width = width
        self.pool_kind = pool
        self.patch_embed = nn.Linear(channels * patch_h * patch_w, width)
        if position_embedding == "sincos":
            self.register_buffer("pos_embed", sincos_position_embedding(*self.grid, width))
        elif position_embedding == "learned":
            self.pos_embed = nn.Parameter(torch.randn(self.n_patches, width) * 0.02)
        else:
            raise ValueError(
                f"position_embedding must be 'sincos' or 'learned', got {position_embedding!r}."
            )
        self.cls_token = nn.Parameter(torch.randn(1, 1, width) * 0.02) if pool == "cls" else None
        self.blocks = nn.ModuleList(Block(width, n_heads, mlp_ratio) for _ in range(depth))
        self.norm = nn.LayerNorm(width)
        self.apply(init_transformer_weights)

    @property
    def n_prefix_tokens(self):
        """Tokens :meth:`encode` puts before the patch tokens (1 with a ``[cls]`` token)."""
        return int(self.cls_token is not None)

    def embed(self, images):
        """Patch tokens with their position embeddings: (batch, n_patches, width)."""
        patches = patchify(images, self.patch_size)  # (B, N, patch_dim)
        return self.patch_embed(patches) + self.pos_embed  # (B, N, D)

    def encode(self, tokens):
        """Run the blocks over any subset of patch tokens (batch, n, width).

        Returns the normalised tokens, the ``[cls]`` token first when there is one.
        """
        if self.cls_token is not None:
            cls = self.cls_token.expand(len(tokens), -1, -1)  # (B, 1, D)
            tokens = torch.cat([cls, tokens], dim=1)  # (B, 1 + n, D)
        for block in self.blocks:
            tokens = block(tokens)
        return self.norm(tokens)  # (B, prefix + n, D)

    def pool(self, encoded):
        """One embedding per image from the output of :meth:`encode`: (batch, width)."""
        if self.pool_kind == "cls":
            return encoded[:, 0]  # (B, D)
        return encoded[:, self.n_prefix_tokens :].mean(dim=1)  # (B, D)

    def forward(self, images):
        return self.pool(self.encode(self.embed(images)))  # (B, D)
