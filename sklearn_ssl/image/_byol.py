"""BYOL: an online network predicts a momentum target network on another view."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval

from .._engine import n_batches
from .._parameters import assign_parameters
from .._persistence import loadable
from ..heads import projection_head
from ..tasks import BYOLTask
from ._views import ViewsSelfSupervised


@loadable
class BYOL(ViewsSelfSupervised):
    """Bootstrap Your Own Latent: self-supervised learning without negatives.

    Every image in a batch is augmented twice (each image gets its own random
    draw, on the training device). An online network (encoder, projection
    head, prediction head) predicts the projection that a target network
    gives the other view; the target is an exponential moving average of the
    online encoder and projector, with a momentum that rises from
    ``base_momentum`` to 1 along a cosine schedule over the ``max_epochs``
    planned epochs (Grill et al. 2020), and stays at 1 (a frozen target) for
    ``partial_fit`` calls beyond them. The loss is the negative cosine
    similarity, summed over both directions. The online encoder's output is
    the embedding. Both views are blurred with the same probability ``blur``
    (the paper uses 1.0 and 0.1).

    Images come as flattened rows with ``input_shape``, or as 3-D / 4-D arrays;
    see :class:`~sklearn_ssl.image.ImageSelfSupervised` for the input rule and
    pixel ranges (uint8 0..255, or floats in ``pixel_range``).

    Parameters
    ----------
    base_momentum : float, default=0.996
        Momentum of the target network at the first step (the paper's 0.996).
    projection_size : int, default=256
        Output width of the projection and prediction heads (the paper's 256).
    hidden_size : int, default=4096
        Hidden width of the projection and prediction heads (the paper's 4096).

    See Also
    --------
    SimCLR : Contrastive views with negatives from the batch.
    VICReg : Views with variance and covariance regularisation.
    BarlowTwins : Views with redundancy reduction.

    References
    ----------
    .. [1] J.-B. Grill, F. Strub, F. Altche et al., "Bootstrap Your Own Latent:
       A New Approach to Self-Supervised Learning", NeurIPS 2020.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn_ssl import BYOL
    >>> X, _ = load_digits(return_X_y=True)
    >>> model = BYOL(input_shape=(1, 8, 8), hidden_size=64)
    >>> model = model.set_params(max_epochs=1, random_state=0)
    >>> model.fit(X[:300]).transform(X[:300]).shape
    (300, 128)
    """

    _parameter_constraints: dict = {
        **ViewsSelfSupervised._parameter_constraints,
        "base_momentum": [Interval(Real, 0, 1, closed="both")],
        "projection_size": [Interval(Integral, 1, None, closed="left")],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        n_components=128,
        *,
        base_momentum=0.996,
        projection_size=256,
        hidden_size=4096,
        # shared by the image methods (image/_base.py)
        input_shape=None, pixel_range=None, encoder="cnn",
        # shared by the image methods with a free encoder (image/_backbone.py)
        resize=None, normalize="auto",
        # shared by the view methods (image/_views.py)
        augmentation="auto", crop_scale=None, flip=None, rotation=None, elastic=None, jitter=None,
        grayscale=None, blur=None, noise=None,
        # shared by every method (base.py)
        max_epochs=100, batch_size=256, lr=1e-3, weight_decay=1.5e-6, optimizer="adamw",
        device="auto", data_on_device="auto", precision="auto", random_state=None, verbose=0,
        callbacks=None, n_iter_no_change=None, tol=1e-4, compile=False, n_jobs=None,
        score_criterion="uniformity",
    ):  # fmt: skip
        assign_parameters(self, locals())

    def _task(self, encoder, width, X):
        steps_per_epoch = n_batches(len(X), self.batch_size)
        return BYOLTask(
            encoder=encoder,
            projector=projection_head(width, self.hidden_size, self.projection_size),
            predictor=projection_head(self.projection_size, self.hidden_size, self.projection_size),
            make_views=self._views(encoder),
            view_encoder=encoder.network,
            base_momentum=self.base_momentum,
            total_steps=self.max_epochs * steps_per_epoch,
        )
