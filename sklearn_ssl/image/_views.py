"""What the augmentation-view methods (SimCLR, BYOL, VICReg, Barlow Twins) share."""

from numbers import Real

from sklearn.utils._param_validation import Interval

from .._parameters import SharedParameter, constraints
from ..augment import ImageAugment, Views
from ..tasks import SiameseTask
from ._backbone import BackboneInput
from ._base import ImageSelfSupervised, checked_crop_scale

#: The augmentation parameters of every view method.
VIEW_PARAMETERS = {
    "crop_scale": SharedParameter(
        "tuple of float",
        "``(min, max)`` fraction of the image area a random crop covers.",
        ["array-like"],
        (0.08, 1.0),
    ),
    "flip": SharedParameter(
        "bool",
        "Mirror half of the views left-right; turn off for digits and text.",
        ["boolean"],
        True,
    ),
    "rotation": SharedParameter(
        "float",
        "Largest random rotation, in degrees.",
        [Interval(Real, 0, 180, closed="both")],
        0.0,
    ),
    "elastic": SharedParameter(
        "float",
        "Standard deviation of a smooth elastic warp, in pixels; 0 is off.",
        [Interval(Real, 0, None, closed="left")],
        0.0,
    ),
    "jitter": SharedParameter(
        "float",
        """\
Colour distortion strength ``s`` (SimCLR's: 0.5 on CIFAR-10, 1.0 on
ImageNet), applied to 80% of the views; on single-channel images only
brightness and contrast change.""",
        [Interval(Real, 0, None, closed="left")],
        0.5,
    ),
    "grayscale": SharedParameter(
        "float",
        "Probability of turning an RGB view to grayscale.",
        [Interval(Real, 0, 1, closed="both")],
        0.2,
    ),
    "blur": SharedParameter(
        "float",
        """\
Probability of a Gaussian blur, with sigma scaled to the image side (0.1 to
2.0 pixels at 224 pixels, so hardly any blur at 32 pixels).""",
        [Interval(Real, 0, 1, closed="both")],
        0.5,
    ),
    "noise": SharedParameter(
        "float",
        "Standard deviation of Gaussian noise added to the views (pixels in [0, 1]).",
        [Interval(Real, 0, None, closed="left")],
        0.0,
    ),
}


class ViewsSelfSupervised(BackboneInput, ImageSelfSupervised):
    """Base class of SimCLR, BYOL, VICReg and Barlow Twins.

    Every augmentation strength is a flat estimator parameter, so
    ``GridSearchCV`` can tune it; :class:`~sklearn_ssl.augment.ImageAugment`
    applies them, with a separate draw for every image.
    """

    _shared_parameters = VIEW_PARAMETERS
    _parameter_constraints: dict = {
        **ImageSelfSupervised._parameter_constraints,
        **BackboneInput._backbone_constraints,
        **constraints(VIEW_PARAMETERS),
    }

    def _projector(self, width):
        """The head between embeddings of width ``width`` and the loss."""
        raise NotImplementedError

    def _loss(self):
        """The loss that compares two views' projections."""
        raise NotImplementedError

    def _task(self, encoder, width, X):
        """Views of every image, encoded and projected, compared by ``_loss``."""
        return SiameseTask(
            encoder=encoder,
            projector=self._projector(width),
            make_views=self._views(encoder),
            loss=self._loss(),
            view_encoder=encoder.network,
        )

    def _augment(self):
        """The :class:`~sklearn_ssl.augment.ImageAugment` of these parameters."""
        return ImageAugment(
            crop_scale=checked_crop_scale(self.crop_scale),
            flip=self.flip,
            rotation=self.rotation,
            elastic=self.elastic,
            jitter=self.jitter,
            grayscale=self.grayscale,
            blur=self.blur,
            noise=self.noise,
        )

    def _views(self, encoder, n_views=2):
        """``n_views`` independently augmented views of raw images, through ``encoder.scale``."""
        return Views(encoder.scale, *[self._augment()] * n_views)

    def _augment_for_finetuning(self, X_batch, generator):
        """One augmented view per image, in the raw pixel range ``encoder_`` takes."""
        scale = self.encoder_.scale
        view = self._augment()(scale(X_batch), generator)  # (B, C, H, W) in [0, 1]
        return view * scale.width + scale.low  # (B, C, H, W), raw range
