"""RotationPrediction: learn image features by telling rotations apart (RotNet)."""

from numbers import Integral

from sklearn.utils._param_validation import Interval
from torch import nn

from .._parameters import assign_parameters
from .._persistence import loadable
from ..augment import AugmentedView, ImageAugment
from ..heads import projection_head
from ..tasks import RotationTask
from ..tasks.rotation import N_ROTATIONS
from ._backbone import BackboneInput
from ._base import ImageSelfSupervised, checked_crop_scale


@loadable
class RotationPrediction(BackboneInput, ImageSelfSupervised):
    """Self-supervised learning by predicting image rotations (RotNet).

    Every training image is shown in its four right-angle rotations (0, 90,
    180 and 270 degrees) in the same batch (the encoder sees ``4 * batch_size``
    images per step), and a classification head on the
    encoder learns to tell which rotation it sees (Gidaris et al. 2018). To
    know which way is up, the encoder has to recognise the object's shape, and
    its output is the embedding. Images that are not square are rotated too:
    the quarter turns are encoded in a second pass, so the encoder must accept
    both orientations (the preset CNNs do).

    If low-level cues give the rotation away (an empty border on one side, as
    in the 8x8 digits), the task is solved without learning shape; a random
    resized crop per image (``crop_scale``, on by default) makes such cues
    unreliable.

    Parameters
    ----------
    head_size : int or None, default=256
        Hidden width of the rotation classifier (Linear, BatchNorm, ReLU,
        Linear); None is a linear classifier. The head is dropped after fit.
    crop_scale : tuple of float or None, default=(0.5, 1.0)
        ``(min, max)`` area fraction of a random resized crop applied to each
        image (its own crop) before rotating it; None trains on the images as
        they are, like the paper. On 8x8 digits and MNIST the crops turned a
        representation worse than raw pixels into one that beats them with
        few labels, because they hide low-level cues to the rotation.

    See Also
    --------
    MaskedAutoencoder : Learn image features by rebuilding masked patches.
    SimCLR : Contrastive learning between augmented views of each image.

    References
    ----------
    .. [1] S. Gidaris, P. Singh and N. Komodakis, "Unsupervised Representation
       Learning by Predicting Image Rotations", ICLR 2018.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn_ssl import RotationPrediction
    >>> X, _ = load_digits(return_X_y=True)
    >>> rotnet = RotationPrediction(n_components=16, max_epochs=1, random_state=0)
    >>> rotnet.fit(X[:200]).transform(X[:5]).shape
    (5, 16)
    """

    _parameter_constraints: dict = {
        **ImageSelfSupervised._parameter_constraints,
        **BackboneInput._backbone_constraints,
        "head_size": [Interval(Integral, 1, None, closed="left"), None],
        "crop_scale": ["array-like", None],
    }

    def __init__(
        self,
        n_components=128,
        *,
        head_size=256,
        crop_scale=(0.5, 1.0),
        # shared by the image methods (image/_base.py)
        input_shape=None, pixel_range=None, encoder="cnn",
        # shared by the image methods with a free encoder (image/_backbone.py)
        resize=None, normalize="auto",
        # shared by every method (base.py)
        max_epochs=100, batch_size=128, lr=1e-3, weight_decay=5e-4, optimizer="adamw",
        device="auto", data_on_device="auto", precision="auto", random_state=None, verbose=0,
        callbacks=None, n_iter_no_change=None, tol=1e-4, compile=False, n_jobs=None,
        score_criterion="rankme",
    ):  # fmt: skip
        assign_parameters(self, locals())

    def _task(self, encoder, width, X):
        if self.head_size is None:
            head = nn.Linear(width, N_ROTATIONS)
        else:
            head = projection_head(width, self.head_size, N_ROTATIONS)
        if self.crop_scale is None:
            return RotationTask(encoder, head)
        crop = ImageAugment(
            crop_scale=checked_crop_scale(self.crop_scale, allow_none=True),
            flip=False,
            jitter=0.0,
            grayscale=0.0,
        )
        return RotationTask(
            encoder, head, augment=AugmentedView(encoder.scale, crop), view_encoder=encoder.network
        )
