"""Colour jitter and random grayscale with one draw per image.

Brightness and contrast apply to images with any number of channels;
saturation, hue and grayscale only to RGB images. Saturation, hue and
grayscale are linear maps of the RGB values, so they are composed into one
3x3 matrix per image and applied with a single batched product.
"""

import math

import torch
from torch import nn

#: ITU-R BT.601 luma weights.
LUMA = (0.299, 0.587, 0.114)
#: RGB -> YIQ; a hue shift is a rotation of the (I, Q) chroma plane.
RGB_TO_YIQ = ((0.299, 0.587, 0.114), (0.596, -0.274, -0.322), (0.211, -0.523, 0.312))


class ColorJitter(nn.Module):
    """SimCLR's colour distortion (Chen et al. 2020) with per-image draws.

    With probability ``p_jitter`` an image gets brightness, contrast and
    saturation factors uniform in ``[1 - 0.8 s, 1 + 0.8 s]`` and a hue shift
    uniform in ``[-0.2 s, 0.2 s]`` turns (``s = strength``; the hue is rotated
    in YIQ space, a linear approximation of an HSV hue shift); then, with
    probability ``p_gray``, an RGB image is turned to grayscale.

    Parameters
    ----------
    strength : float
        The colour distortion strength ``s``; 0 leaves colours alone.
    p_jitter, p_gray : float
        Probabilities of jittering and of grayscale conversion, per image.
    """

    def __init__(self, strength, p_jitter=0.8, p_gray=0.2):
        super().__init__()
        self.strength = strength
        self.p_jitter = p_jitter
        self.p_gray = p_gray
        to_yiq = torch.tensor(RGB_TO_YIQ, dtype=torch.float64)
        self.register_buffer("luma", torch.tensor(LUMA).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("to_yiq", to_yiq.float(), persistent=False)
        self.register_buffer("from_yiq", torch.linalg.inv(to_yiq).float(), persistent=False)

    def forward(self, images, generator=None):
        """Distort ``images`` (B, C, H, W) in [0, 1]; returns the same shape."""
        batch, channels = images.shape[:2]

        def uniform(low, high):
            return low + (high - low) * torch.rand(batch, generator=generator, device=images.device)

        jittered = uniform(0.0, 1.0) < self.p_jitter  # (B,)
        s = self.strength * jittered  # (B,) zero where not jittered
        brightness = (1 + 0.8 * s * uniform(-1.0, 1.0)).clamp(min=0).view(-1, 1, 1, 1)
        contrast = (1 + 0.8 * s * uniform(-1.0, 1.0)).clamp(min=0).view(-1, 1, 1, 1)
        images = (images * brightness).clamp(0, 1)
        mean = self._gray(images).mean(dim=(1, 2, 3), keepdim=True)  # (B, 1, 1, 1)
        images = ((images - mean) * contrast + mean).clamp(0, 1)
        if channels != 3:
            return images
        saturation = (1 + 0.8 * s * uniform(-1.0, 1.0)).clamp(min=0)  # (B,)
        hue = 0.2 * s * uniform(-1.0, 1.0)  # (B,) turns
        gray = uniform(0.0, 1.0) < self.p_gray  # (B,)
        matrix = self._hue_matrix(hue) @ self._saturation_matrix(saturation)  # (B, 3, 3)
        to_gray = self._saturation_matrix(torch.zeros_like(hue))
        matrix = torch.where(gray.view(-1, 1, 1), to_gray, matrix)
        return torch.einsum("bij,bjhw->bihw", matrix, images).clamp(0, 1)

    def _gray(self, images):
        if images.shape[1] != 3:
            return images.mean(dim=1, keepdim=True)  # (B, 1, H, W)
        return (images * self.luma).sum(dim=1, keepdim=True)  # (B, 1, H, W)

    def _saturation_matrix(self, factor):
        """``factor * I + (1 - factor) * G``, G mapping RGB to gray. (B,) -> (B, 3, 3)."""
        gray = self.luma.view(1, 3).expand(3, 3)  # every output channel = luma
        f = factor.view(-1, 1, 1)
        return f * torch.eye(3, device=factor.device) + (1 - f) * gray

    def _hue_matrix(self, turns):
        """Rotation of the YIQ chroma plane by ``turns`` full turns. (B,) -> (B, 3, 3)."""
        angle = 2 * math.pi * turns
        cos, sin = angle.cos(), angle.sin()
        one, zero = torch.ones_like(cos), torch.zeros_like(cos)
        rotation = torch.stack(
            [
                torch.stack([one, zero, zero], dim=1),
                torch.stack([zero, cos, -sin], dim=1),
                torch.stack([zero, sin, cos], dim=1),
            ],
            dim=1,
        )  # (B, 3, 3)
        return self.from_yiq @ rotation @ self.to_yiq
