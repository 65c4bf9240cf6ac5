"""Masked autoencoding of images: hide most patches, rebuild them from the rest.

He, Chen, Xie, Li, Dollár and Girshick, "Masked Autoencoders Are Scalable
Vision Learners", CVPR 2022. Every image loses a random ``mask_ratio`` of its
patches (a different set per image); the ViT encoder sees only the visible
patch tokens, and a light transformer decoder gets the encoded visible tokens
plus a shared, learned mask token in every masked position and predicts the
pixels of all patches. The loss scores only the masked patches.
"""

from ..augment.patches import random_patch_mask
from ..encoders.vit import patchify
from ..losses import masked_patch_loss
from .base import PretextTask


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
