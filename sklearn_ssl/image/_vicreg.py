"""VICReg: views with variance, invariance and covariance regularisation."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval

from .._parameters import assign_parameters
from .._persistence import loadable
from ..heads import expander_head
from ..losses import VICRegLoss
from ._views import ViewsSelfSupervised


@loadable
class VICReg(ViewsSelfSupervised):
    """Variance-invariance-covariance regularisation of two augmented views.

    Every image in a batch is augmented twice (each image gets its own random
    draw, on the training device). The encoder and a three-layer expander are
    trained so that the two views' projections agree (invariance), every
    projected dimension keeps a standard deviation of at least 1 over the
    batch (variance) and the dimensions are decorrelated (covariance)
    (Bardes et al. 2022); no negatives, no momentum network. The encoder's
    output is the embedding.

    Images come as flattened rows with ``input_shape``, or as 3-D / 4-D arrays;
    see :class:`~sklearn_ssl.image.ImageSelfSupervised` for the input rule and
    pixel ranges (uint8 0..255, or floats in ``pixel_range``).

    Parameters
    ----------
    invariance_weight : float, default=25.0
        Weight of the invariance (mean squared error) term, the paper's lambda.
    variance_weight : float, default=25.0
        Weight of the variance hinge, the paper's mu.
    covariance_weight : float, default=1.0
        Weight of the covariance term, the paper's nu.
    projection_size : int, default=2048
        Width of the expander's three layers (the paper's 8192 suits
        ResNet-50 on ImageNet; 2048 suits the small encoders here).

    See Also
    --------
    SimCLR : Contrastive views with negatives from the batch.
    BYOL : Views without negatives, with a momentum target network.
    BarlowTwins : Views with redundancy reduction.

    References
    ----------
    .. [1] A. Bardes, J. Ponce and Y. LeCun, "VICReg: Variance-Invariance-Covariance
       Regularization for Self-Supervised Learning", ICLR 2022.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn_ssl import VICReg
    >>> X, _ = load_digits(return_X_y=True)
    >>> model = VICReg(input_shape=(1, 8, 8), projection_size=64)
    >>> model = model.set_params(max_epochs=1, random_state=0)
    >>> model.fit(X[:300]).transform(X[:300]).shape
    (300, 128)
    """

    _parameter_constraints: dict = {
        **ViewsSelfSupervised._parameter_constraints,
        "invariance_weight": [Interval(Real, 0, None, closed="left")],
        "variance_weight": [Interval(Real, 0, None, closed="left")],
        "covariance_weight": [Interval(Real, 0, None, closed="left")],
        "projection_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        n_components=128,
        *,
        invariance_weight=25.0,
        variance_weight=25.0,
        covariance_weight=1.0,
        projection_size=2048,
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
        return expander_head(width, self.projection_size)

    def _loss(self):
        return VICRegLoss(
            self.invariance_weight,
            self.variance_weight,
            self.covariance_weight,
            gather_distributed=True,
        )
