"""BYOL: an online network predicts a momentum target network on another view."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval

from ._views import ViewsSelfSupervised, document_views_estimator
from .heads import projection_head
from .tasks import BYOLTask


@document_views_estimator
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
    base_momentum : float, default=0.996
        Momentum of the target network at the first step (the paper's 0.996).
    projection_size : int, default=256
        Output width of the projection and prediction heads (the paper's 256).
    hidden_size : int, default=4096
        Hidden width of the projection and prediction heads (the paper's 4096).
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
    weight_decay : float, default=1.5e-6
        Weight decay (the paper's 1.5e-6).
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
    >>> model = BYOL(input_shape=(1, 8, 8), flip=False, hidden_size=64)
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
        input_shape=None,
        pixel_range=None,
        base_momentum=0.996,
        projection_size=256,
        hidden_size=4096,
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
        weight_decay=1.5e-6,
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
        self.base_momentum = base_momentum
        self.projection_size = projection_size
        self.hidden_size = hidden_size
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
        steps_per_epoch = max(1, len(X) // self.batch_size)
        return BYOLTask(
            encoder=encoder,
            projector=projection_head(width, self.hidden_size, self.projection_size),
            predictor=projection_head(self.projection_size, self.hidden_size, self.projection_size),
            make_views=self._two_views(encoder),
            view_encoder=encoder.network,
            base_momentum=self.base_momentum,
            total_steps=self.max_epochs * steps_per_epoch,
        )
