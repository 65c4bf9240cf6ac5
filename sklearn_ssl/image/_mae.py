"""MaskedAutoencoder: learn image features by rebuilding masked patches (MAE)."""

import math
from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions
from torch import nn

from .._parameters import assign_parameters
from .._persistence import loadable
from .._renamed import deprecated_option, renamed_value
from ..encoders import VisionTransformer
from ..encoders.vit import as_pair
from ..heads import PatchDecoder
from ..tasks import MaskedImageTask
from ._base import ImageSelfSupervised


@loadable
class MaskedAutoencoder(ImageSelfSupervised):
    """Masked autoencoder with a small Vision Transformer (MAE).

    Each image is cut into ``patch_size`` patches and a random ``mask_rate``
    of them (a different set for every image) is hidden. The ViT encoder sees
    only the visible patches; a light transformer decoder receives their
    encodings plus a learned mask token in every hidden position and predicts
    the pixels of the hidden patches, each normalised by its own mean and
    standard deviation (He et al. 2022). The embedding of an image is the
    encoder's mean-pooled (or ``[cls]``) output on all of its patches, with no
    masking, so ``transform`` is deterministic. The decoder is dropped after fit.

    Parameters
    ----------
    n_components : int, default=128
        Width of the ViT's tokens and of the embeddings; ``n_heads`` must divide it.
    mask_rate : float, default=0.75
        Fraction of each image's patches that is hidden, in (0, 1); the
        paper's value. At least one patch is hidden and one stays visible.
    patch_size : int or tuple of int, default=4
        Patch height and width (one int for square patches); must divide the
        image height and width.
    depth : int, default=4
        Transformer blocks of the encoder.
    n_heads : int, default=4
        Attention heads of the encoder and the decoder.
    decoder_width : int, default=64
        Token width of the decoder; ``n_heads`` must divide it.
    decoder_depth : int, default=1
        Transformer blocks of the decoder (the paper found one enough when the
        encoder is fine-tuned; more help linear probes).
    pooling : {"mean", "cls"}, default="mean"
        Embed an image by the mean of its patch tokens or by a ``[cls]`` token.
    position_embedding : {"sincos", "learned"}, default="sincos"
        Fixed 2-D sine-cosine position embeddings (the paper's) or learned ones.
    normalize_target : bool, default=True
        Predict per-patch normalised pixels, which the paper found gives
        better representations; False predicts the standardised pixels.
    encoder : "vit" or VisionTransformer, default="vit"
        The ViT built from the parameters above, or your own
        :class:`~sklearn_ssl.encoders.VisionTransformer` for these images
        (its patch size and width then apply).
    mask_ratio : float, default="deprecated"
        .. deprecated:: 0.2
           ``mask_ratio`` was renamed ``mask_rate`` and will be removed in 0.3.
    pool : {"mean", "cls"}, default="deprecated"
        .. deprecated:: 0.2
           ``pool`` was renamed ``pooling`` and will be removed in 0.3.

    See Also
    --------
    RotationPrediction : Learn image features by telling rotations apart.
    VIME : Masked-feature reconstruction on tables.

    References
    ----------
    .. [1] K. He, X. Chen, S. Xie, Y. Li, P. Dollár and R. Girshick, "Masked
       Autoencoders Are Scalable Vision Learners", CVPR 2022.
    .. [2] A. Dosovitskiy et al., "An Image is Worth 16x16 Words: Transformers
       for Image Recognition at Scale", ICLR 2021.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn_ssl import MaskedAutoencoder
    >>> X, _ = load_digits(return_X_y=True)
    >>> mae = MaskedAutoencoder(n_components=16, patch_size=2, max_epochs=1, random_state=0)
    >>> mae.fit(X[:200]).transform(X[:5]).shape
    (5, 16)
    """

    _renamed_parameters = {"mask_ratio": "mask_rate", "pool": "pooling"}
    _parameter_constraints: dict = {
        **ImageSelfSupervised._parameter_constraints,
        "encoder": [StrOptions({"vit"}), VisionTransformer],
        "mask_rate": [Interval(Real, 0, 1, closed="neither")],
        "patch_size": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "depth": [Interval(Integral, 1, None, closed="left")],
        "n_heads": [Interval(Integral, 1, None, closed="left")],
        "decoder_width": [Interval(Integral, 1, None, closed="left")],
        "decoder_depth": [Interval(Integral, 1, None, closed="left")],
        "pooling": [StrOptions({"mean", "cls"})],
        "position_embedding": [StrOptions({"sincos", "learned"})],
        "normalize_target": ["boolean"],
        "mask_ratio": [Interval(Real, 0, 1, closed="neither"), deprecated_option()],
        "pool": [StrOptions({"mean", "cls"}), deprecated_option()],
    }

    def __init__(
        self,
        n_components=128,
        *,
        mask_rate=0.75,
        patch_size=4,
        depth=4,
        n_heads=4,
        decoder_width=64,
        decoder_depth=1,
        pooling="mean",
        position_embedding="sincos",
        normalize_target=True,
        encoder="vit",
        mask_ratio="deprecated",
        pool="deprecated",
        # shared by the image methods (image/_base.py)
        input_shape=None, pixel_range=None,
        # shared by every method (base.py)
        max_epochs=100, batch_size=256, lr=1e-3, weight_decay=0.05, optimizer="adamw",
        device="auto", data_on_device="auto", precision="auto", random_state=None, verbose=0,
        callbacks=None, n_iter_no_change=None, tol=1e-4, compile=False, n_jobs=None,
        score_criterion="rankme",
    ):  # fmt: skip
        assign_parameters(self, locals())

    @property
    def _encoder_presets(self):
        return {"vit": self._vision_transformer}

    def _vision_transformer(self, in_channels, n_outputs):
        """The preset encoder for the training images: a ViT of width ``n_outputs``."""
        if n_outputs % self.n_heads:
            raise ValueError(
                f"n_heads={self.n_heads} must divide n_components={n_outputs}, the "
                "ViT's token width."
            )
        return VisionTransformer(
            self.image_shape_,
            self._patch_size(),
            width=n_outputs,
            depth=self.depth,
            n_heads=self.n_heads,
            position_embedding=self.position_embedding,
            pool=renamed_value(self, "pool", "pooling"),
        )

    def _patch_size(self):
        """``patch_size`` as a pair, checked against the training images."""
        size = self.encoder.patch_size if isinstance(self.encoder, nn.Module) else self.patch_size
        pair = as_pair(size) if isinstance(size, Integral) else tuple(size)
        _, height, width = self.image_shape_
        if len(pair) != 2 or not all(isinstance(s, Integral) and s > 0 for s in pair):
            raise ValueError(
                f"patch_size must be a positive int or (height, width), got {self.patch_size!r}."
            )
        if height % pair[0] or width % pair[1]:
            raise ValueError(
                f"patch_size={size!r} must divide the image height and width, but the "
                f"images are {height}x{width} (image_shape_={self.image_shape_}); pick "
                "a divisor or set input_shape."
            )
        n_patches = (height // pair[0]) * (width // pair[1])
        if n_patches < 2:
            raise ValueError(
                f"MaskedAutoencoder needs at least 2 patches per image to hide some and "
                f"show others, but images of shape {self.image_shape_} (n_features = "
                f"{math.prod(self.image_shape_)}) with patch_size={size!r} give 1."
            )
        return pair

    def _task(self, encoder, width, X):
        patch_h, patch_w = self._patch_size()
        normalize, vit = encoder.network
        if self.decoder_width % self.n_heads:
            raise ValueError(
                f"n_heads={self.n_heads} must divide decoder_width={self.decoder_width}."
            )
        decoder = PatchDecoder(
            vit.width,
            vit.grid,
            patch_dim=self.image_shape_[0] * patch_h * patch_w,
            width=self.decoder_width,
            depth=self.decoder_depth,
            n_heads=self.n_heads,
        )
        return MaskedImageTask(
            encoder,
            prepare=nn.Sequential(encoder.scale, normalize),
            vit=vit,
            decoder=decoder,
            mask_ratio=renamed_value(self, "mask_ratio", "mask_rate"),
            normalize_target=self.normalize_target,
        )
