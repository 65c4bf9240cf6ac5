"""Masked autoencoding of images: hide most patches, rebuild them from the rest.

He, Chen, Xie, Li, Dollár and Girshick, "Masked Autoencoders Are Scalable
Vision Learners", CVPR 2022. Every image loses a random ``mask_ratio`` of its
patches (a different set per image); the ViT encoder sees only the visible
patch tokens, and a light transformer decoder gets the encoded visible tokens
plus a shared, learned mask token in every masked position and predicts the
pixels of all patches. The loss scores only the masked patches.
"""

import torch
from torch import nn

from ..encoders.vit import Block, init_transformer_weights, patchify, sincos_position_embedding
from ..losses import masked_patch_loss
from .base import PretextTask


def n_masked_patches(n_patches, mask_ratio):
    """How many of ``n_patches`` to mask: ``round(mask_ratio * n_patches)``.

    At least one patch is masked and at least one stays visible.

    Raises
    ------
    ValueError
        If there are fewer than two patches, so that nothing can be both hidden and shown.
    """
    if n_patches < 2:
        raise ValueError(
            f"Masked autoencoding needs at least 2 patches per image, got {n_patches}; "
            "use a smaller patch_size."
        )
    return min(max(round(mask_ratio * n_patches), 1), n_patches - 1)


def random_patch_mask(batch, n_patches, mask_ratio, generator=None, device=None):
    """Choose, independently for every image, which patches to hide.

    Parameters
    ----------
    batch, n_patches : int
        Images in the batch and patches per image.
    mask_ratio : float
        Fraction of each image's patches to mask (see :func:`n_masked_patches`).
    generator : torch.Generator, optional
        Source of randomness, on ``device``.
    device : torch.device, optional
        Where the indices are made.

    Returns
    -------
    visible : torch.Tensor of shape (batch, n_visible), int64
        Indices of the visible patches of each image, in increasing order.
    mask : torch.Tensor of shape (batch, n_patches), bool
        True for the masked patches.
    """
    n_visible = n_patches - n_masked_patches(n_patches, mask_ratio)
    noise = torch.rand(batch, n_patches, generator=generator, device=device)  # (B, N)
    visible = noise.argsort(dim=1)[:, :n_visible].sort(dim=1).values  # (B, n_visible)
    mask = torch.ones(batch, n_patches, dtype=torch.bool, device=device)  # (B, N)
    mask.scatter_(1, visible, False)
    return visible, mask


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


class MaskedImageTask(PretextTask):
    """MAE's pretext task on a batch of images.

    Parameters
    ----------
    encoder : torch.nn.Module
        The full encoder, raw batch to embeddings (what ``transform`` uses).
    prepare : torch.nn.Module
        Maps a raw training batch to float images (batch, channels, height,
        width) on the scale the encoder works on; pixels are predicted on it.
    vit : sklearn_ssl.encoders.VisionTransformer
        The transformer inside ``encoder``, called step by step so that it
        encodes only the visible patches.
    decoder : PatchDecoder
        Predicts every patch from the encoded visible patches.
    mask_ratio : float, default=0.75
        Fraction of the patches of each image that is hidden (the paper's 0.75).
    normalize_target : bool, default=True
        Score against per-patch normalised pixels.
    """

    def __init__(self, encoder, prepare, vit, decoder, mask_ratio=0.75, normalize_target=True):
        super().__init__(encoder)
        self.prepare = prepare
        self.vit = vit
        self.decoder = decoder
        self.mask_ratio = mask_ratio
        self.normalize_target = normalize_target

    def forward(self, X, generator=None):
        images = self.prepare(X)  # (B, C, H, W)
        tokens = self.vit.embed(images)  # (B, N, D)
        batch, n_patches, width = tokens.shape
        visible, mask = random_patch_mask(
            batch, n_patches, self.mask_ratio, generator=generator, device=tokens.device
        )  # (B, n_visible), (B, N)
        kept = tokens.gather(1, visible.unsqueeze(-1).expand(-1, -1, width))  # (B, n_visible, D)
        encoded = self.vit.encode(kept)[:, self.vit.n_prefix_tokens :]  # (B, n_visible, D)
        predicted = self.decoder(encoded, visible)  # (B, N, patch_dim)
        target = patchify(images, self.vit.patch_size)  # (B, N, patch_dim)
        loss = masked_patch_loss(predicted, target, mask, self.normalize_target)
        return {"loss": loss}
