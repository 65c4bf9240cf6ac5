"""Gaussian blur with a per-image width, and additive Gaussian noise."""

import torch
import torch.nn.functional as F


def gaussian_blur(images, sigma, radius):
    """Blur each image with its own Gaussian, as two depthwise 1-D convolutions.

    Parameters
    ----------
    images : torch.Tensor of shape (B, C, H, W)
    sigma : torch.Tensor of shape (B,)
        Standard deviation of each image's kernel, in pixels; a tiny sigma
        leaves the image unchanged.
    radius : int
        Half-width of the kernels (a Python int, so nothing waits on the device).

    Returns
    -------
    blurred : torch.Tensor of shape (B, C, H, W)
    """
    batch, channels, height, width = images.shape
    offsets = torch.arange(-radius, radius + 1, device=images.device, dtype=images.dtype)
    kernel = torch.exp(-0.5 * (offsets / sigma.view(-1, 1)) ** 2)  # (B, K)
    kernel = (kernel / kernel.sum(dim=1, keepdim=True)).repeat_interleave(channels, dim=0)
    x = images.reshape(1, batch * channels, height, width)  # one group per image channel
    x = F.pad(x, (radius, radius, radius, radius), mode="replicate")
    x = F.conv2d(x, kernel.view(batch * channels, 1, -1, 1), groups=batch * channels)
    x = F.conv2d(x, kernel.view(batch * channels, 1, 1, -1), groups=batch * channels)
    return x.reshape(batch, channels, height, width)


def gaussian_noise(images, std, generator=None):
    """Add independent Gaussian noise with standard deviation ``std`` to every pixel."""
    noise = torch.randn(images.shape, generator=generator, device=images.device)
    return images + std * noise  # (B, C, H, W)
