"""SimCLR: contrastive learning from two augmented views of each image."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval

from .._parameters import assign_parameters
from .._persistence import loadable
from ..heads import projection_head
from ..losses import NTXentLoss
from ._views import ViewsSelfSupervised


@loadable
class SimCLR(ViewsSelfSupervised):
    """A simple framework for contrastive learning of visual representations.

    Every image in a batch is augmented twice (random resized crop, flip,
    colour distortion, blur; each image gets its own random draw, on the
    training device). The encoder and a two-layer projection head are trained
    with the NT-Xent loss to pick each view's partner among the other views of
    the batch (Chen et al. 2020). The encoder's output is the embedding.

    Images come as flattened rows with ``input_shape``, or as 3-D / 4-D arrays;
    see :class:`~sklearn_ssl.image.ImageSelfSupervised` for the input rule and
    pixel ranges (uint8 0..255, or floats in ``pixel_range``).

    Parameters
    ----------
    temperature : float, default=0.5
        Temperature of the NT-Xent loss; 0.5 is the paper's CIFAR-10 setting.
    projection_size : int, default=128
        Output width of the projection head (the paper's 128).
    hidden_size : int or None, default=None
        Width of the projection head's hidden layer; None makes it as wide as
        the embeddings, as in the paper.

    See Also
    --------
    BYOL : Views without negatives, with a momentum target network.
    VICReg : Views with variance and covariance regularisation.
    BarlowTwins : Views with redundancy reduction.

    References
    ----------
    .. [1] T. Chen, S. Kornblith, M. Norouzi and G. Hinton, "A Simple Framework
       for Contrastive Learning of Visual Representations", ICML 2020.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn_ssl import SimCLR
    >>> X, _ = load_digits(return_X_y=True)
    >>> simclr = SimCLR(input_shape=(1, 8, 8), max_epochs=1, random_state=0)
    >>> simclr.fit(X[:300]).transform(X[:300]).shape
    (300, 128)
    """

    _parameter_constraints: dict = {
        **ViewsSelfSupervised._parameter_constraints,
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "projection_size": [Interval(Integral, 1, None, closed="left")],
        "hidden_size": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        n_components=128,
        *,
        temperature=0.5,
        projection_size=128,
        hidden_size=None,
        # shared by the image methods (image/_base.py)
        input_shape=None, pixel_range=None, encoder="cnn",
        # shared by the image methods with a free encoder (image/_backbone.py)
        resize=None, normalize="auto",
        # shared by the view methods (image/_views.py)
        augmentation="auto", crop_scale=None, flip=None, rotation=None, elastic=None, jitter=None,
        grayscale=None, blur=None, noise=None,
        # shared by every method (base.py)
        max_epochs=100, batch_size=256, lr=1e-3, weight_decay=1e-6, optimizer="adamw",
        device="auto", data_on_device="auto", precision="auto", random_state=None, verbose=0,
        callbacks=None, n_iter_no_change=None, tol=1e-4, compile=False, n_jobs=None,
        score_criterion="uniformity",
    ):  # fmt: skip
        assign_parameters(self, locals())

    def _projector(self, width):
        hidden = width if self.hidden_size is None else self.hidden_size
        return projection_head(width, hidden, self.projection_size)

    def _loss(self):
        return NTXentLoss(self.temperature, gather_distributed=True)
