"""The input rule of images and what the image methods share: pixel scaling, encoders."""

import math
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import validate_data
from torch import nn

from .._engine import resolve_device
from .._input_advice import explain_invalid_input
from .._parameters import SharedAttribute, SharedParameter, constraints
from ..base import SelfSupervisedTransformer
from ..encoders import ImageEncoder, Normalize, PixelScale, resnet18_cifar, small_resnet
from ..encoders.backbone import headless, is_classification_backbone
from ..exceptions import ImageShapeWarning

#: Channel counts that identify the channel axis of a 4-D array.
CHANNEL_COUNTS = (1, 3, 4)

ENCODER_PRESETS = {"cnn": small_resnet, "resnet18": resnet18_cifar}

#: The parameters of every image method.
IMAGE_PARAMETERS = {
    "input_shape": SharedParameter(
        "tuple of int or None",
        """\
``(channels, height, width)`` of the images; needed for flattened colour or
non-square images (see :class:`~sklearn_ssl.image.ImageSelfSupervised` for
the input rule without it).""",
        ["array-like", None],
        None,
    ),
    "pixel_range": SharedParameter(
        "tuple of float or None",
        """\
``(low, high)`` range of float pixel values; None means 0..255 for uint8
images and the training images' minimum and maximum for floats.""",
        ["array-like", None],
        None,
    ),
    "encoder": SharedParameter(
        '{"cnn", "resnet18"} or torch.nn.Module',
        """\
``"cnn"`` is a small ResNet (widths 32-64-128) for 8x8 to 64x64 images;
``"resnet18"`` is ResNet-18 for CIFAR (3x3 stem, no max-pool). A module
receives standardised float ``(batch, C, H, W)`` images and its output width
becomes ``n_components_``. A torchvision or timm classification model, with
its pretrained weights, loses its classifier and embeds with its pooled
features; ``fit`` continues its training from those weights (see
``resize`` and ``normalize`` for the input it expects).""",
        [StrOptions(set(ENCODER_PRESETS)), nn.Module],
        "cnn",
    ),
}

#: The fitted attributes of every image method.
IMAGE_ATTRIBUTES = {
    "encoder_": SharedAttribute(
        "sklearn_ssl.encoders.ImageEncoder",
        """\
The trained encoder: maps raw images (uint8 or float, flattened rows or
``(batch, C, H, W)``) to embeddings.""",
    ),
    "image_shape_": SharedAttribute(
        "tuple of int", "``(channels, height, width)`` of the training images."
    ),
    "pixel_range_": SharedAttribute(
        "tuple of float", "Raw pixel values mapped to 0 and 1 before augmentation."
    ),
    "n_features_in_": SharedAttribute(
        "int", "Number of values per (flattened) image, ``C * H * W``, seen during fit."
    ),
    "feature_names_in_": SharedAttribute(
        "ndarray of shape (n_features_in_,)",
        "Names of features seen during fit, when X has string feature names.",
    ),
}


class ImageSelfSupervised(SelfSupervisedTransformer):
    """Base class of the methods for images.

    **Input rule.** ``X`` holds images in one of these forms:

    * 2-D ``(n_samples, C * H * W)``: flattened channels-first images, the
      form scikit-learn pipelines pass around. ``input_shape=(C, H, W)`` says
      how to unflatten them. Without ``input_shape``, a row of ``n_features``
      values is a single-channel square image when ``n_features`` is a
      perfect square (64 -> ``(1, 8, 8)``) and a single-row image
      ``(1, 1, n_features)`` otherwise; colour or non-square images need
      ``input_shape``.
    * 3-D ``(n_samples, H, W)``: single-channel images.
    * 4-D: channels-last ``(n_samples, H, W, C)`` when the last axis has 1, 3
      or 4 entries and axis 1 does not, channels-first ``(n_samples, C, H, W)``
      when axis 1 has 1, 3 or 4 entries and the last axis does not. Anything
      else is ambiguous and raises unless ``input_shape`` (or, after fit, the
      fitted ``image_shape_``) settles it.

    **Pixel values.** uint8 images are taken as 0..255 and stay uint8 on the
    device until augmented (4x less memory than float32). Float images are
    taken as they are: ``pixel_range=(low, high)`` declares their range, and
    by default it is the minimum and maximum of the training images. Values
    more than half that range outside it raise an error (as do NaN and
    infinity), in ``fit`` and in ``transform``. Other dtypes become float64.

    The fitted ``encoder_`` is an :class:`~sklearn_ssl.encoders.ImageEncoder`:
    it maps raw images (uint8 or float, ``(batch, C, H, W)`` or flattened
    rows) to [0, 1] with ``pixel_range_``, standardises each channel with the
    training images' statistics, then applies the network. A user module
    given as ``encoder`` receives those standardised ``(batch, C, H, W)``
    float images. ``transform`` returns float32 for uint8 input and keeps the
    dtype of float input.
    """

    _shared_parameters = IMAGE_PARAMETERS
    _shared_attributes = IMAGE_ATTRIBUTES
    _parameter_constraints: dict = {
        **SelfSupervisedTransformer._parameter_constraints,
        **constraints(IMAGE_PARAMETERS),
    }

    #: The encoder presets, by name; methods with other presets extend it.
    _encoder_presets = ENCODER_PRESETS

    # -- input -----------------------------------------------------------------

    def _validate_input(self, X, reset):
        with explain_invalid_input(self):
            ndim = getattr(X, "ndim", None)
            if ndim is None and isinstance(X, list | tuple):
                ndim = np.ndim(X)
            image_shape = None
            if ndim in (3, 4):
                X, image_shape = self._flatten_images(np.asarray(X), reset)
            X = validate_data(self, X, reset=reset, dtype=[np.float64, np.float32, np.uint8])
        if reset:
            self.image_shape_ = self._resolve_image_shape(X.shape[1], image_shape)
            self.pixel_range_ = self._resolve_pixel_range(X)
        self._check_pixel_values(X)
        return X

    def _flatten_images(self, X, reset):
        """Channels-first flattened rows of a 3-D or 4-D image array."""
        known = self._known_image_shape(reset)
        source = "input_shape" if reset else "the fitted image_shape_"
        shape = X.shape[1:]
        if X.ndim == 3:
            layout = "single"
        elif known is not None:
            channels, height, width = known
            if shape == (channels, height, width):
                layout = "first"
            elif shape == (height, width, channels):
                layout = "last"
            else:
                raise ValueError(
                    f"X holds images of shape {shape}, which is neither (C, H, W) nor "
                    f"(H, W, C) for {source} (C, H, W) = {known}."
                )
        elif shape[2] in CHANNEL_COUNTS and shape[0] not in CHANNEL_COUNTS:
            layout = "last"
        elif shape[0] in CHANNEL_COUNTS and shape[2] not in CHANNEL_COUNTS:
            layout = "first"
        else:
            raise ValueError(
                f"Cannot tell the channel axis of images of shape {shape}: set "
                "input_shape=(channels, height, width) to say which layout X has."
            )
        if layout == "single":
            X = X[:, None]  # (n, 1, H, W)
        elif layout == "last":
            X = X.transpose(0, 3, 1, 2)  # (n, C, H, W)
        image_shape = X.shape[1:]
        if known is not None and image_shape != known:
            raise ValueError(
                f"X holds images of shape (C, H, W) = {image_shape}, but {source} is {known}."
            )
        return X.reshape(len(X), -1), image_shape

    def _known_image_shape(self, reset):
        if not reset:
            return self.image_shape_
        return None if self.input_shape is None else self._checked_input_shape()

    def _checked_input_shape(self):
        shape = tuple(np.ravel(self.input_shape).tolist())
        if len(shape) != 3 or not all(isinstance(s, Integral) and s > 0 for s in shape):
            raise ValueError(
                "input_shape must be None or (channels, height, width) with positive "
                f"integers, got {self.input_shape!r}."
            )
        return shape

    def _resolve_image_shape(self, n_features, image_shape):
        """The (C, H, W) of the training images, by the documented rule."""
        if image_shape is not None:
            return tuple(int(size) for size in image_shape)
        if self.input_shape is not None:
            shape = self._checked_input_shape()
            if math.prod(shape) != n_features:
                raise ValueError(
                    f"X has {n_features} features per row, but input_shape={shape} "
                    f"needs {math.prod(shape)} (channels * height * width)."
                )
            return shape
        side = math.isqrt(n_features)
        if side * side == n_features:
            return (1, side, side)
        warnings.warn(
            f"{type(self).__name__} reads each row of X, {n_features} values, as an image one "
            f"pixel high, (1, 1, {n_features}), because input_shape is None and "
            f"{n_features} is not a square number. If the rows are images, pass "
            "input_shape=(channels, height, width); if X is a table, use a table method "
            "(SCARF, VIME).",
            ImageShapeWarning,
            stacklevel=5,  # the caller of fit
        )
        return (1, 1, n_features)

    def _resolve_pixel_range(self, X):
        if self.pixel_range is not None:
            bounds = np.ravel(self.pixel_range).tolist()
            if not (
                len(bounds) == 2
                and all(isinstance(bound, Real) for bound in bounds)
                and bounds[0] < bounds[1]
            ):
                raise ValueError(
                    f"pixel_range must be None or (low, high) with low < high, got "
                    f"{self.pixel_range!r}."
                )
            low, high = bounds
            return float(low), float(high)
        if X.dtype == np.uint8:
            return 0.0, 255.0
        low, high = float(X.min()), float(X.max())
        if np.abs([low, high]).max() > np.finfo(np.float32).max:
            raise ValueError(
                f"X has pixel values of magnitude up to {np.abs([low, high]).max():.3g}, "
                "beyond the float32 range the encoder computes in; rescale X first."
            )
        if not np.float32(high) - np.float32(low) > np.finfo(np.float32).tiny:
            # constant images (in the float32 the encoder computes in): any positive
            # width maps them to 0; take one that survives rounding
            high = low + max(1.0, abs(low))
        return low, high

    def _check_pixel_values(self, X):
        """Raise for values far (over half the range) outside ``pixel_range_``."""
        if X.size == 0:
            return
        low, high = self.pixel_range_
        margin = 0.5 * (high - low)
        x_min, x_max = float(X.min()), float(X.max())
        if x_min < low - margin or x_max > high + margin:
            source = "pixel_range" if self.pixel_range is not None else "the training images"
            raise ValueError(
                f"X has pixel values in [{x_min:.4g}, {x_max:.4g}], far outside the range "
                f"[{low:.4g}, {high:.4g}] of {source}; rescale X like the training "
                "images, or set pixel_range=(low, high)."
            )

    def _as_tensor(self, X, device):
        """Images ``(n, C, H, W)`` on ``device``: uint8 stays uint8, floats are float32."""
        dtype = torch.uint8 if X.dtype == np.uint8 else torch.float32
        array = np.asarray(X)
        if not array.flags.writeable:  # e.g. a read-only memmap: torch wants its own copy
            array = array.copy()
        images = torch.as_tensor(array, dtype=dtype)
        return images.reshape(len(X), *self.image_shape_).to(device)

    # -- encoder ---------------------------------------------------------------

    def _build_encoder(self, X):
        """The :class:`ImageEncoder` for training images ``X``: scaling + network.

        A torchvision or timm classification model loses its classifier first.
        """
        scale = PixelScale(self.image_shape_, *self.pixel_range_)
        body = self._user_encoder()
        if body is None:
            body = self._encoder_presets[self.encoder](self.image_shape_[0], self.n_components)
        elif is_classification_backbone(body):
            body = headless(body)
        encoder = ImageEncoder(scale, nn.Sequential(*self._input_layers(X, body), body))
        self._check_encoder_takes_images(encoder, X)
        # no CUDA here (a CUDA model loaded on the CPU): channels_last would not pay off
        if torch.cuda.is_available() and resolve_device(self.device).type == "cuda":
            encoder = encoder.to(memory_format=torch.channels_last)
        return encoder

    def _input_layers(self, X, body):
        """The layers between the [0, 1] images and ``body``: a standardisation."""
        return [Normalize(*self._statistics(X, body))]

    def _statistics(self, X, body):
        """Per-channel ``(mean, std)`` of the standardisation: the training images'."""
        return _channel_statistics(X, self.image_shape_, *self.pixel_range_)

    def _check_encoder_takes_images(self, encoder, X):
        encoder.eval()
        try:
            with torch.inference_mode():
                out = encoder(self._as_tensor(X[:2], "cpu"))
        except (RuntimeError, AssertionError) as exc:  # torchvision's ViT asserts its size
            hint = ""
            if "resize" in self.get_params():
                hint = " (a pretrained model may need the size it was trained at: resize=224)"
            raise ValueError(
                f"encoder cannot take images of shape (C, H, W) = {self.image_shape_}{hint}: {exc}"
            ) from exc
        finally:
            encoder.train()
        if out.ndim != 2:
            raise ValueError(
                f"encoder must map a batch of images to (batch, width) embeddings; it "
                f"returned shape {tuple(out.shape)}."
            )


def checked_crop_scale(crop_scale, allow_none=False):
    """``crop_scale`` as a ``(min, max)`` pair of floats with ``0 < min <= max <= 1``."""
    pair = tuple(float(s) for s in crop_scale)
    if len(pair) != 2 or not 0 < pair[0] <= pair[1] <= 1:
        expected = "None or (min, max)" if allow_none else "(min, max)"
        raise ValueError(
            f"crop_scale must be {expected} with 0 < min <= max <= 1, got {crop_scale!r}."
        )
    return pair


def _channel_statistics(X, image_shape, low, high, chunk=4096):
    """Per-channel mean and std of the images in [0, 1], in chunks of rows."""
    channels = image_shape[0]
    total = np.zeros(channels)
    total_sq = np.zeros(channels)
    for start in range(0, len(X), chunk):
        x = (X[start : start + chunk].reshape(-1, channels, math.prod(image_shape[1:])) - low) / (
            high - low
        )  # (chunk, C, H * W) float64
        total += x.sum(axis=(0, 2))
        total_sq += np.square(x).sum(axis=(0, 2))
    count = len(X) * math.prod(image_shape[1:])
    mean = total / count
    std = np.sqrt(np.maximum(total_sq / count - mean**2, 0.0))
    std[~(std > 1e-6)] = 1.0  # constant channels stay at zero
    return mean, std
