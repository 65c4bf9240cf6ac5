"""What the augmentation-view methods share: their augmentation parameters."""

from numbers import Real

from sklearn.utils._param_validation import Interval

from ._image import ImageSelfSupervised
from .augment import ImageAugment, TwoViews


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
