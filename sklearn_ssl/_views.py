"""What the augmentation-view methods share: their augmentation parameters."""

from numbers import Real

from sklearn.utils._param_validation import Interval

from ._image import ImageSelfSupervised
from .augment import ImageAugment, TwoViews

#: The docs the views estimators' docstrings share: :func:`document_views_estimator`
#: puts them where ``<view parameters>`` and ``<view attributes>`` stand.
VIEW_PARAMETERS_DOC = """    crop_scale : tuple of float, default=(0.08, 1.0)
        ``(min, max)`` fraction of the image area a random crop covers.
    flip : bool, default=True
        Mirror half of the views left-right; turn off for digits and text.
    rotation : float, default=0.0
        Largest random rotation, in degrees.
    elastic : float, default=0.0
        Standard deviation of a smooth elastic warp, in pixels; 0 is off.
    jitter : float, default=0.5
        Colour distortion strength ``s`` (SimCLR's: 0.5 on CIFAR-10, 1.0 on
        ImageNet), applied to 80% of the views; on single-channel images only
        brightness and contrast change.
    grayscale : float, default=0.2
        Probability of turning an RGB view to grayscale.
    blur : float, default=0.5
        Probability of a Gaussian blur, with sigma scaled to the image side
        (0.1 to 2.0 pixels at 224 pixels, so hardly any blur at 32 pixels).
    noise : float, default=0.0
        Standard deviation of Gaussian noise added to the views (pixels in [0, 1]).
"""

VIEW_ATTRIBUTES_DOC = """    encoder_ : sklearn_ssl.encoders.ImageEncoder
        The trained encoder: maps raw images (uint8 or float) to embeddings.
    net_ : sklearn_ssl._engine.PretextNet
        The skorch net that trained the pretext task.
    history_ : skorch.History
        Per-epoch pretext loss (``history_[:, "train_loss"]``) and timings.
    image_shape_ : tuple of int
        ``(channels, height, width)`` of the training images.
    pixel_range_ : tuple of float
        Raw pixel values mapped to 0 and 1 before augmentation.
    n_components_ : int
        Width of the embeddings.
    n_iter_ : int
        Epochs trained.
    n_features_in_ : int
        Number of values per (flattened) image seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string feature names.
"""


def document_views_estimator(cls):
    """Class decorator: fill in the shared docs of the view parameters and attributes."""
    if cls.__doc__:  # None under python -OO
        cls.__doc__ = cls.__doc__.replace("    <view parameters>\n", VIEW_PARAMETERS_DOC).replace(
            "    <view attributes>\n", VIEW_ATTRIBUTES_DOC
        )
    return cls


class ViewsSelfSupervised(ImageSelfSupervised):
    """Base class of SimCLR, BYOL, VICReg and Barlow Twins.

    Every augmentation strength is a flat estimator parameter, so
    ``GridSearchCV`` can tune it; :class:`~sklearn_ssl.augment.ImageAugment`
    documents each one.
    """

    _parameter_constraints: dict = {
        **ImageSelfSupervised._parameter_constraints,
        "crop_scale": ["array-like"],
        "flip": ["boolean"],
        "rotation": [Interval(Real, 0, 180, closed="both")],
        "elastic": [Interval(Real, 0, None, closed="left")],
        "jitter": [Interval(Real, 0, None, closed="left")],
        "grayscale": [Interval(Real, 0, 1, closed="both")],
        "blur": [Interval(Real, 0, 1, closed="both")],
        "noise": [Interval(Real, 0, None, closed="left")],
    }

    def _augment(self):
        """The :class:`~sklearn_ssl.augment.ImageAugment` of these parameters."""
        crop_scale = tuple(float(s) for s in self.crop_scale)
        if len(crop_scale) != 2 or not 0 < crop_scale[0] <= crop_scale[1] <= 1:
            raise ValueError(
                f"crop_scale must be (min, max) with 0 < min <= max <= 1, got {self.crop_scale!r}."
            )
        return ImageAugment(
            crop_scale=crop_scale,
            flip=self.flip,
            rotation=self.rotation,
            elastic=self.elastic,
            jitter=self.jitter,
            grayscale=self.grayscale,
            blur=self.blur,
            noise=self.noise,
        )

    def _two_views(self, encoder):
        """Two independently augmented views of raw images, through ``encoder.scale``."""
        augment = self._augment()
        return TwoViews(encoder.scale, augment, augment)

    def _augment_for_finetuning(self, X_batch, generator):
        """One augmented view per image, in the raw pixel range ``encoder_`` takes."""
        scale = self.encoder_.scale
        view = self._augment()(scale(X_batch), generator)  # (B, C, H, W) in [0, 1]
        return view * scale.width + scale.low  # (B, C, H, W), raw range
