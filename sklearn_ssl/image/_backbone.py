"""What the image methods with a free encoder add: the input a pretrained backbone expects.

A torchvision or timm classification model, given as ``encoder`` with its
weights, loses its classifier (:func:`~sklearn_ssl.encoders.backbone.headless`)
and sees images as it was trained on: resized to ``resize``, gray images
repeated to its three channels, standardised with ImageNet's statistics (or
timm's configured ones). SimCLR, BYOL, VICReg, Barlow Twins and rotation
prediction then continue pretraining from those weights, and the fine-tuning
estimators fine-tune them.
"""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._parameters import SharedParameter, constraints
from ..encoders import Normalize
from ..encoders.backbone import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    RepeatChannels,
    Resize,
    backbone_statistics,
    input_channels,
    is_classification_backbone,
)

#: The input parameters of the image methods whose encoder is any module.
BACKBONE_PARAMETERS = {
    "resize": SharedParameter(
        "int, tuple of int or None",
        """\
Resize the images (after augmentation, bilinear) to ``(height, width)``,
or ``resize x resize``, before the encoder; a pretrained backbone works best
at the size it was trained at (224 for most ImageNet models, and a vision
Transformer needs it). None keeps the images' size.""",
        [Interval(Integral, 1, None, closed="left"), tuple, list, None],
        None,
    ),
    "normalize": SharedParameter(
        '{"auto", "data", "imagenet"} or (mean, std)',
        """\
Per-channel standardisation of the [0, 1] images before the encoder:
``"data"`` uses the training images' mean and standard deviation,
``"imagenet"`` ImageNet's (what torchvision's pretrained weights expect), a
``(mean, std)`` pair of per-channel sequences is taken as given. ``"auto"``
is ``"imagenet"`` for a torchvision or timm model (timm's own configured
values when it has them) and ``"data"`` otherwise.""",
        [StrOptions({"auto", "data", "imagenet"}), tuple, list],
        "auto",
    ),
}


class BackboneInput:
    """Mixin of the image methods with a free encoder: ``resize`` and ``normalize``.

    One-channel images are repeated to three channels when the encoder is a
    torchvision or timm model whose first convolution takes three (an RGB
    backbone); other modules get the images as they are.
    """

    _shared_parameters = BACKBONE_PARAMETERS
    _backbone_constraints = constraints(BACKBONE_PARAMETERS)

    def _input_layers(self, X, body):
        """Resize, channel repetition and standardisation in front of ``body``."""
        layers = []
        if self.resize is not None:
            layers.append(Resize(self._checked_resize()))
        channels = self.image_shape_[0]
        if channels == 1 and is_classification_backbone(body) and input_channels(body) == 3:
            layers.append(RepeatChannels(3))
            channels = 3
        mean, std = self._statistics(X, body)
        if len(mean) == 1 and channels > 1:
            mean, std = np.repeat(mean, channels), np.repeat(std, channels)
        if len(mean) != channels:
            raise ValueError(
                f"normalize gives {len(mean)} channel statistics, but the encoder receives "
                f"{channels}-channel images (image_shape_={self.image_shape_})."
            )
        return [*layers, Normalize(mean, std)]

    def _statistics(self, X, body):
        normalize = self.normalize
        if isinstance(normalize, str):
            if normalize == "auto":
                if is_classification_backbone(self.encoder):
                    return tuple(np.asarray(s, dtype=np.float64) for s in backbone_statistics(body))
                normalize = "data"
            if normalize == "imagenet":
                return np.asarray(IMAGENET_MEAN), np.asarray(IMAGENET_STD)
            return super()._statistics(X, body)
        try:
            mean, std = (np.asarray(values, dtype=np.float64).ravel() for values in normalize)
        except (TypeError, ValueError):
            mean = std = np.array([])
        if not (len(mean) == len(std) > 0 and np.all(std > 0)):
            raise ValueError(
                'normalize must be "auto", "data", "imagenet" or a (mean, std) pair of '
                f"per-channel sequences with std > 0, got {normalize!r}."
            )
        return mean, std

    def _checked_resize(self):
        size = (self.resize, self.resize) if isinstance(self.resize, Integral) else self.resize
        size = tuple(size)
        if len(size) != 2 or not all(isinstance(s, Integral) and s > 0 for s in size):
            raise ValueError(
                f"resize must be None, a positive int or (height, width), got {self.resize!r}."
            )
        return size
