"""Batched image augmentation on the training device, one random draw per image.

A whole batch is augmented at once, on the device that holds it, and every
image gets its own crop, flip, rotation, warp, colour change, blur and noise
(drawing one set of parameters per batch is a known trap). Everything runs in
float32 even under bfloat16 autocast, and draws only from the ``generator``
argument, so ``random_state`` reproduces training.
"""

import math

import torch
from torch import nn

from .color import ColorJitter
from .filters import gaussian_blur, gaussian_noise
from .geometric import elastic_displacement, random_affine_theta, resample

#: SimCLR's blur widths for 224-pixel images; scaled to the image side here.
BLUR_SIGMA_224 = (0.1, 2.0)


class ImageAugment(nn.Module):
    """Random views of a batch of images in [0, 1].

    In order: random resized crop with flip, rotation and elastic warp (one
    resampling), colour jitter and grayscale, Gaussian blur, Gaussian noise,
    then clipping to [0, 1].

    Parameters
    ----------
    crop_scale : tuple of float, default=(0.08, 1.0)
        ``(min, max)`` fraction of the image area a crop covers.
    flip : bool, default=True
        Mirror half of the images left-right.
    rotation : float, default=0.0
        Largest rotation, in degrees.
    elastic : float, default=0.0
        Standard deviation of the elastic warp, in pixels; 0 is off.
    jitter : float, default=0.5
        Colour distortion strength (see :class:`ColorJitter`); 0 is off.
    grayscale : float, default=0.2
        Probability of grayscale conversion (RGB images only).
    blur : float, default=0.0
        Probability of a Gaussian blur, with SimCLR's sigma in [0.1, 2.0]
        pixels at 224 pixels, scaled to the image side.
    noise : float, default=0.0
        Standard deviation of additive Gaussian noise (images are in [0, 1]).
    ratio : tuple of float, default=(3/4, 4/3)
        Range of the crops' aspect ratio.
    """

    def __init__(
        self,
        crop_scale=(0.08, 1.0),
        flip=True,
        rotation=0.0,
        elastic=0.0,
        jitter=0.5,
        grayscale=0.2,
        blur=0.0,
        noise=0.0,
        ratio=(3 / 4, 4 / 3),
    ):
        super().__init__()
        self.crop_scale = tuple(crop_scale)
        self.flip = flip
        self.rotation = rotation
        self.elastic = elastic
        self.blur = blur
        self.noise = noise
        self.ratio = tuple(ratio)
        self.color = ColorJitter(jitter, p_gray=grayscale)

    def forward(self, images, generator=None):
        """Augment ``images`` (B, C, H, W) in [0, 1]; returns float32 (B, C, H, W)."""
        with torch.autocast(images.device.type, enabled=False):
            x = images.float()
            batch, channels, height, width = x.shape
            theta = random_affine_theta(
                batch,
                height,
                width,
                self.crop_scale,
                self.ratio,
                self.flip,
                self.rotation,
                generator=generator,
                device=x.device,
            )
            warp = None
            if self.elastic > 0:
                warp = elastic_displacement(
                    batch, height, width, self.elastic, generator=generator, device=x.device
                )
            x = resample(x, theta, warp)  # (B, C, H, W)
            if self.color.strength > 0 or (channels == 3 and self.color.p_gray > 0):
                x = self.color(x, generator)
            if self.blur > 0:
                x = self._blur(x, generator)
            if self.noise > 0:
                x = gaussian_noise(x, self.noise, generator)
            return x.clamp(0, 1)

    def _blur(self, x, generator):
        batch = len(x)
        side = min(x.shape[-2:]) / 224
        low, high = BLUR_SIGMA_224[0] * side, BLUR_SIGMA_224[1] * side
        rand = torch.rand(2, batch, generator=generator, device=x.device)  # (2, B)
        sigma = torch.where(rand[0] < self.blur, low + (high - low) * rand[1], 1e-3)  # (B,)
        return gaussian_blur(x, sigma, radius=max(1, math.ceil(3 * high)))
