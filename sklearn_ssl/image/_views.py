"""What the augmentation-view methods (SimCLR, BYOL, VICReg, Barlow Twins) share."""

import textwrap
from dataclasses import replace
from numbers import Real

from sklearn.utils._param_validation import Interval, StrOptions

from .._parameters import SharedAttribute, SharedParameter, constraints
from ..augment import ImageAugment, Views
from ..base import TRAINING_PARAMETERS
from ..tasks import SiameseTask
from ._backbone import BackboneInput
from ._base import ImageSelfSupervised, checked_crop_scale
from ._recipes import RECIPES, SMALL_SIDE, resolve_augmentation


def _described(text, name):
    """``text`` and what None means for parameter ``name`` (each recipe's value), wrapped."""
    natural, small_gray = RECIPES["natural"][name], RECIPES["small_gray"][name]
    return textwrap.fill(
        f"{' '.join(text.split())} None takes the value of the ``augmentation`` recipe: "
        f'{natural!r} in "natural", {small_gray!r} in "small_gray".',
        76,
    )


#: The augmentation parameters of every view method; None takes the recipe's value.
AUGMENTATION_PARAMETERS = {
    "crop_scale": SharedParameter(
        "tuple of float or None",
        _described("``(min, max)`` fraction of the image area a random crop covers.", "crop_scale"),
        ["array-like", None],
        None,
    ),
    "flip": SharedParameter(
        "bool or None",
        _described("Mirror half of the views left-right.", "flip"),
        ["boolean", None],
        None,
    ),
    "rotation": SharedParameter(
        "float or None",
        _described("Largest random rotation, in degrees.", "rotation"),
        [Interval(Real, 0, 180, closed="both"), None],
        None,
    ),
    "elastic": SharedParameter(
        "float or None",
        _described("Standard deviation of a smooth elastic warp, in pixels; 0 is off.", "elastic"),
        [Interval(Real, 0, None, closed="left"), None],
        None,
    ),
    "jitter": SharedParameter(
        "float or None",
        _described(
            """Colour distortion strength ``s`` (SimCLR's: 0.5 on CIFAR-10, 1.0 on
            ImageNet), applied to 80% of the views; on single-channel images only
            brightness and contrast change.""",
            "jitter",
        ),
        [Interval(Real, 0, None, closed="left"), None],
        None,
    ),
    "grayscale": SharedParameter(
        "float or None",
        _described("Probability of turning an RGB view to grayscale.", "grayscale"),
        [Interval(Real, 0, 1, closed="both"), None],
        None,
    ),
    "blur": SharedParameter(
        "float or None",
        _described(
            """Probability of a Gaussian blur, with sigma scaled to the image side
            (0.1 to 2.0 pixels at 224 pixels, so hardly any blur at 32 pixels).""",
            "blur",
        ),
        [Interval(Real, 0, 1, closed="both"), None],
        None,
    ),
    "noise": SharedParameter(
        "float or None",
        _described(
            "Standard deviation of Gaussian noise added to the views (pixels in [0, 1]).", "noise"
        ),
        [Interval(Real, 0, None, closed="left"), None],
        None,
    ),
}

#: The parameters of every view method: the recipe, then each augmentation, and
#: ``score`` by uniformity, the criterion that ranked these methods' settings
#: like the labels did in the label-free selection benchmark.
VIEW_PARAMETERS = {
    "score_criterion": replace(TRAINING_PARAMETERS["score_criterion"], default="uniformity"),
    "augmentation": SharedParameter(
        '{"auto", "natural", "small_gray"}',
        f"""\
The recipe of the augmentation parameters left at None. ``"natural"`` is
SimCLR's for photographs (crops down to 8% of the area, flips, colour
jitter, grayscale, blur); ``"small_gray"`` suits digits and other small
single-channel images (milder crops, no flips, small rotations, brightness
and contrast jitter, noise). ``"auto"`` takes ``"small_gray"`` for
single-channel images at most {SMALL_SIDE} pixels a side and ``"natural"``
otherwise. The values used are in ``augmentation_`` after fit.""",
        [StrOptions({"auto", *RECIPES})],
        "auto",
    ),
    **AUGMENTATION_PARAMETERS,
}

#: The fitted attributes of every view method.
VIEW_ATTRIBUTES = {
    "augmentation_": SharedAttribute(
        "dict",
        """\
The augmentation the views were drawn with: ``"recipe"`` (the recipe
``augmentation`` resolved to) and the value of every augmentation parameter,
explicit or the recipe's.""",
    ),
}


class ViewsSelfSupervised(BackboneInput, ImageSelfSupervised):
    """Base class of SimCLR, BYOL, VICReg and Barlow Twins.

    Every augmentation strength is a flat estimator parameter, so
    ``GridSearchCV`` can tune it; those left at None take the value of the
    ``augmentation`` recipe, chosen from the training images' shape by
    default. :class:`~sklearn_ssl.augment.ImageAugment` applies them, with a
    separate draw for every image.
    """

    _shared_parameters = VIEW_PARAMETERS
    _shared_attributes = VIEW_ATTRIBUTES
    _parameter_constraints: dict = {
        **ImageSelfSupervised._parameter_constraints,
        **BackboneInput._backbone_constraints,
        **constraints(VIEW_PARAMETERS),
    }
    # files and pickles from before the recipes were trained with the natural one,
    # and scored by RankMe
    _values_for_older_files = {"augmentation": "natural", "score_criterion": "rankme"}

    def _projector(self, width):
        """The head between embeddings of width ``width`` and the loss."""
        raise NotImplementedError

    def _loss(self):
        """The loss that compares two views' projections."""
        raise NotImplementedError

    def _build_task(self, X):
        """The task, with ``augmentation_`` resolved from the parameters and the image shape."""
        augmentation = resolve_augmentation(
            self.augmentation,
            self.image_shape_,
            {name: getattr(self, name) for name in AUGMENTATION_PARAMETERS},
        )
        self.augmentation_ = {
            **augmentation,
            "crop_scale": checked_crop_scale(augmentation["crop_scale"]),
        }
        return super()._build_task(X)

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
        """The :class:`~sklearn_ssl.augment.ImageAugment` of ``augmentation_``."""
        return ImageAugment(**{name: self.augmentation_[name] for name in AUGMENTATION_PARAMETERS})

    def _views(self, encoder, n_views=2):
        """``n_views`` independently augmented views of raw images, through ``encoder.scale``."""
        return Views(encoder.scale, *[self._augment()] * n_views)

    def _augment_rows(self, X_batch, generator):
        """One augmented view per image, in the raw pixel range ``encoder_`` takes."""
        scale = self.encoder_.scale
        view = self._augment()(scale(X_batch), generator)  # (B, C, H, W) in [0, 1]
        return view * scale.width + scale.low  # (B, C, H, W), raw range
