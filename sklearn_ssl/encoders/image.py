"""The fitted image encoder: raw pixels -> [0, 1] -> normalised -> network."""

import torch
from torch import nn


class PixelScale(nn.Module):
    """Map raw pixel values to float images in [0, 1], channels first.

    Parameters
    ----------
    image_shape : tuple of int
        ``(channels, height, width)`` of one image.
    low, high : float
        Raw values mapped to 0 and 1 (0 and 255 for uint8 images).
    """

    def __init__(self, image_shape, low, high):
        super().__init__()
        self.image_shape = tuple(int(size) for size in image_shape)
        self.register_buffer("low", torch.tensor(float(low)))
        self.register_buffer("width", torch.tensor(float(high) - float(low)))

    def forward(self, X):
        x = X.reshape(len(X), *self.image_shape).float()  # (B, C, H, W), any raw dtype
        return (x - self.low) / self.width


class Normalize(nn.Module):
    """Standardise each channel with fixed statistics (buffers, never trained).

    Parameters
    ----------
    mean, std : array-like of shape (channels,)
    """

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32).reshape(-1, 1, 1))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32).reshape(-1, 1, 1))

    def forward(self, x):
        x = (x - self.mean) / self.std  # (B, C, H, W)
        if x.is_cuda:
            x = x.contiguous(memory_format=torch.channels_last)
        return x


class ImageEncoder(nn.Module):
    """Raw images in, embeddings out: the ``encoder_`` of every image method.

    Pretext tasks use the two halves separately: they augment the output of
    ``scale`` (images in [0, 1]) and embed the views with ``network``.

    Parameters
    ----------
    scale : PixelScale
        Raw pixels (uint8 or float; rows of ``C * H * W`` values or
        ``(B, C, H, W)``) to images in [0, 1].
    network : torch.nn.Module
        Images in [0, 1] to embeddings; starts with a :class:`Normalize`.
    """

    def __init__(self, scale, network):
        super().__init__()
        self.scale = scale
        self.network = network

    def forward(self, X):
        return self.network(self.scale(X))  # (B, n_components)
