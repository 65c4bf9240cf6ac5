"""VICReg: views with variance, invariance and covariance regularisation."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval

from ._views import ViewsSelfSupervised, document_views_estimator
from .heads import expander_head
from .losses import VICRegLoss
from .tasks import SiameseTask


@document_views_estimator
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
    see :class:`~sklearn_ssl._image.ImageSelfSupervised` for the input rule and
    pixel ranges (uint8 0..255, or floats in ``pixel_range``).

    Parameters
    ----------
    n_components : int, default=128
        Width of the embeddings.
    input_shape : tuple of int or None, default=None
        ``(channels, height, width)`` of the images; needed for flattened
        colour or non-square images.
    pixel_range : tuple of float or None, default=None
        ``(low, high)`` range of float pixel values; None means 0..255 for
        uint8 images and the training images' minimum and maximum for floats.
    invariance_weight : float, default=25.0
        Weight of the invariance (mean squared error) term, the paper's lambda.
    variance_weight : float, default=25.0
        Weight of the variance hinge, the paper's mu.
    covariance_weight : float, default=1.0
        Weight of the covariance term, the paper's nu.
    projection_size : int, default=2048
        Width of the expander's three layers (the paper's 8192 suits
        ResNet-50 on ImageNet; 2048 suits the small encoders here).
    <view parameters>
    encoder : {"cnn", "resnet18"} or torch.nn.Module, default="cnn"
        ``"cnn"`` is a small ResNet (widths 32-64-128) for 8x8 to 64x64 images;
        ``"resnet18"`` is ResNet-18 for CIFAR (3x3 stem, no max-pool). A module
        receives standardised float ``(batch, C, H, W)`` images and its output
        width becomes ``n_components_``.
    max_epochs : int, default=100
        Passes over the data.
    batch_size : int, default=256
        Images per batch.
    lr : float, default=1e-3
        Learning rate (the paper's LARS is replaced by AdamW).
    weight_decay : float, default=1e-6
        Weight decay (the paper's 1e-6).
    optimizer : {"adamw", "adam", "sgd"} or torch optimizer class, default="adamw"
        The optimizer.
    device : str or torch.device, default="auto"
        ``"auto"`` trains on CUDA when available, else on the CPU.
    data_on_device : {"auto", True, False}, default="auto"
        Keep the training data on the device (True) or stream batches from
        host memory (False; for an ``np.memmap`` larger than memory).
        ``"auto"`` streams memory-mapped data and data over half the
        device's free memory.
    precision : {"auto", "float32", "bfloat16"}, default="auto"
        bfloat16 autocast on CUDA and float32 on CPU for ``"auto"``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, batch order and augmentation.
    verbose : int, default=0
        1 shows a progress bar over epochs.
    callbacks : list of skorch callbacks or None, default=None
        Extra callbacks for the skorch engine.
    n_iter_no_change : int or None, default=None
        Stop early when the loss has not improved by ``tol`` for this many epochs.
    tol : float, default=1e-4
        Smallest loss improvement that counts for early stopping.

    Attributes
    ----------
    <view attributes>

    See Also
    --------
    SimCLR : Contrastive views with negatives from the batch.
    VICReg : Views without negatives, with a momentum target network.
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
    >>> model = VICReg(input_shape=(1, 8, 8), flip=False, projection_size=64)
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
        input_shape=None,
        pixel_range=None,
        invariance_weight=25.0,
        variance_weight=25.0,
        covariance_weight=1.0,
        projection_size=2048,
        crop_scale=(0.08, 1.0),
        flip=True,
        rotation=0.0,
        elastic=0.0,
        jitter=0.5,
        grayscale=0.2,
        blur=0.5,
        noise=0.0,
        encoder="cnn",
        max_epochs=100,
        batch_size=256,
        lr=1e-3,
        weight_decay=1e-6,
        optimizer="adamw",
        device="auto",
        data_on_device="auto",
        precision="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        n_iter_no_change=None,
        tol=1e-4,
    ):
        super().__init__(
            n_components=n_components,
            encoder=encoder,
            max_epochs=max_epochs,
            batch_size=batch_size,
            lr=lr,
            weight_decay=weight_decay,
            optimizer=optimizer,
            device=device,
            data_on_device=data_on_device,
            precision=precision,
            random_state=random_state,
            verbose=verbose,
            callbacks=callbacks,
            n_iter_no_change=n_iter_no_change,
            tol=tol,
        )
        self.input_shape = input_shape
        self.pixel_range = pixel_range
        self.input_shape = input_shape
        self.pixel_range = pixel_range
        self.invariance_weight = invariance_weight
        self.variance_weight = variance_weight
        self.covariance_weight = covariance_weight
        self.projection_size = projection_size
        self.crop_scale = crop_scale
        self.flip = flip
        self.rotation = rotation
        self.elastic = elastic
        self.jitter = jitter
        self.grayscale = grayscale
        self.blur = blur
        self.noise = noise

    def _build_task(self, X):
        encoder = self._build_encoder(X)
        width = self._embedding_width(encoder, X, "cpu")
        return SiameseTask(
            encoder=encoder,
            projector=expander_head(width, self.projection_size),
            make_views=self._two_views(encoder),
            loss=VICRegLoss(self.invariance_weight, self.variance_weight, self.covariance_weight),
            view_encoder=encoder.network,
        )
