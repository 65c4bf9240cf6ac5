"""RotationPrediction: learn image features by telling rotations apart (RotNet)."""

from numbers import Integral

from sklearn.utils._param_validation import Interval
from torch import nn

from ._image import ImageSelfSupervised
from .augment import ImageAugment
from .tasks import RotationTask
from .tasks.rotation import N_ROTATIONS


class RotationPrediction(ImageSelfSupervised):
    """Self-supervised learning by predicting image rotations (RotNet).

    Every training image is shown in its four right-angle rotations (0, 90,
    180 and 270 degrees) in the same batch, and a classification head on the
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
    n_components : int, default=128
        Width of the embeddings.
    input_shape : tuple of int or None, default=None
        ``(channels, height, width)`` of the images; see
        :class:`~sklearn_ssl._image.ImageSelfSupervised` for the input rule
        that applies without it.
    pixel_range : tuple of float or None, default=None
        ``(low, high)`` of float pixel values; None means 0..255 for uint8
        images and the training minimum and maximum for floats.
    head_size : int or None, default=256
        Hidden width of the rotation classifier (Linear, BatchNorm, ReLU,
        Linear); None is a linear classifier. The head is dropped after fit.
    crop_scale : tuple of float or None, default=(0.5, 1.0)
        ``(min, max)`` area fraction of a random resized crop applied to each
        image (its own crop) before rotating it; None trains on the images as
        they are, like the paper. On 8x8 digits and MNIST the crops turned a
        representation worse than raw pixels into one that beats them with
        few labels, because they hide low-level cues to the rotation.
    encoder : {"cnn", "resnet18"} or torch.nn.Module, default="cnn"
        The small residual CNN, the ResNet-18 for 32x32 images, or any module
        mapping standardised ``(batch, C, H, W)`` float images to ``(batch, width)``.
    max_epochs : int, default=100
        Passes over the data.
    batch_size : int, default=128
        Images per batch; each is used in all four rotations, so the encoder
        sees ``4 * batch_size`` images per step.
    lr : float, default=1e-3
        Learning rate.
    weight_decay : float, default=5e-4
        Weight decay (the paper's value).
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
        Seeds weight initialisation, batch order and crops.
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
    encoder_ : sklearn_ssl.encoders.ImageEncoder
        The trained encoder: maps raw images (uint8 or float, flattened rows or
        ``(batch, C, H, W)``) to embeddings.
    net_ : sklearn_ssl._engine.PretextNet
        The skorch net that trained the pretext task.
    history_ : skorch.History
        Per-epoch pretext loss (``history_[:, "train_loss"]``) and timings.
    image_shape_ : tuple of int
        ``(channels, height, width)`` of the training images.
    pixel_range_ : tuple of float
        Raw pixel values mapped to 0 and 1.
    n_components_ : int
        Width of the embeddings.
    n_iter_ : int
        Epochs trained.
    n_features_in_ : int
        Number of values per image (``C * H * W``) seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string feature names.

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
        "head_size": [Interval(Integral, 1, None, closed="left"), None],
        "crop_scale": ["array-like", None],
    }

    def __init__(
        self,
        n_components=128,
        *,
        input_shape=None,
        pixel_range=None,
        head_size=256,
        crop_scale=(0.5, 1.0),
        encoder="cnn",
        max_epochs=100,
        batch_size=128,
        lr=1e-3,
        weight_decay=5e-4,
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
        self.head_size = head_size
        self.crop_scale = crop_scale

    def _build_task(self, X):
        encoder = self._build_encoder(X)
        width = self._embedding_width(encoder, X, "cpu")
        if self.head_size is None:
            head = nn.Linear(width, N_ROTATIONS)
        else:
            head = nn.Sequential(
                nn.Linear(width, self.head_size),
                nn.BatchNorm1d(self.head_size),
                nn.ReLU(),
                nn.Linear(self.head_size, N_ROTATIONS),
            )
        if self.crop_scale is None:
            return RotationTask(encoder, head)
        return RotationTask(
            encoder,
            head,
            augment=ScaleAndCrop(encoder.scale, self._crop()),
            view_encoder=encoder.network,
        )

    def _crop(self):
        crop_scale = tuple(float(s) for s in self.crop_scale)
        if len(crop_scale) != 2 or not 0 < crop_scale[0] <= crop_scale[1] <= 1:
            raise ValueError(
                "crop_scale must be None or (min, max) with 0 < min <= max <= 1, got "
                f"{self.crop_scale!r}."
            )
        return ImageAugment(
            crop_scale=crop_scale, flip=False, jitter=0.0, grayscale=0.0, blur=0.0, noise=0.0
        )


class ScaleAndCrop(nn.Module):
    """Raw images to [0, 1], then a random resized crop per image.

    Parameters
    ----------
    scale : sklearn_ssl.encoders.PixelScale
        The encoder's pixel scaling.
    crop : sklearn_ssl.augment.ImageAugment
        The crop-only augmentation.
    """

    def __init__(self, scale, crop):
        super().__init__()
        self.scale = scale
        self.crop = crop

    def forward(self, X, generator=None):
        return self.crop(self.scale(X), generator)  # (B, C, H, W) in [0, 1]
