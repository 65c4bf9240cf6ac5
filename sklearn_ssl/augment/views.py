"""Augmented views of raw images: scale the pixels to [0, 1] once, then augment.

The image methods keep their encoder's pixel scaling
(:class:`~sklearn_ssl.encoders.PixelScale`) apart from the network, so that
views are drawn from images in [0, 1] and embedded by ``encoder.network``.
"""

import warnings

from torch import nn


class AugmentedView(nn.Module):
    """One augmented view of each raw image: ``augment(scale(X))``.

    Parameters
    ----------
    scale : torch.nn.Module
        Raw images to float images in [0, 1] (the encoder's ``PixelScale``).
    augment : torch.nn.Module
        ``augment(images, generator) -> images``, e.g. an
        :class:`~sklearn_ssl.augment.ImageAugment`.
    """

    def __init__(self, scale, augment):
        super().__init__()
        self.scale = scale
        self.augment = augment

    def forward(self, X, generator=None):
        return self.augment(self.scale(X), generator)  # (B, C, H, W) in [0, 1]


class Views(nn.Module):
    """Several augmented views of each raw image, for the joint-embedding methods.

    Parameters
    ----------
    scale : torch.nn.Module
        Raw images to float images in [0, 1] (the encoder's ``PixelScale``).
    *augments : torch.nn.Module
        One augmentation per view, at least two; when they are all the same
        module, every view comes from one call on the repeated batch.
    """

    def __init__(self, scale, *augments):
        super().__init__()
        if len(augments) < 2:
            raise ValueError(f"Views needs at least 2 augmentations, got {len(augments)}.")
        self.scale = scale
        self.augments = nn.ModuleList(augments)

    def forward(self, X, generator=None):
        """The views of ``X``: a tuple of ``len(augments)`` tensors (B, C, H, W)."""
        images = self.scale(X)  # (B, C, H, W) in [0, 1]
        n_views = len(self.augments)
        first = self.augments[0]
        if all(augment is first for augment in self.augments):  # one pass: fewer launches
            return first(images.repeat(n_views, 1, 1, 1), generator).chunk(n_views)
        return tuple(augment(images, generator) for augment in self.augments)


class TwoViews(Views):
    """Deprecated alias of :class:`Views` with two augmentations.

    .. deprecated:: 0.2
        Use ``Views(scale, augment_a, augment_b)``; ``TwoViews`` goes in 0.3.
    """

    def __init__(self, scale, augment_a, augment_b):
        warnings.warn(
            "TwoViews is deprecated since 0.2 and will be removed in 0.3; use "
            "Views(scale, augment_a, augment_b).",
            FutureWarning,
            stacklevel=2,
        )
        super().__init__(scale, augment_a, augment_b)
