"""MaskedTimeSeriesAutoencoder: learn series features by rebuilding hidden patches."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions
from torch import nn

from .._parameters import assign_parameters
from .._persistence import loadable
from .._renamed import deprecated_option, renamed_value
from ..encoders import DilatedConvNetwork, PatchTransformerNetwork
from ..tasks import MaskedSeriesTask
from ._base import SeriesSelfSupervised

#: The dilated CNN's hidden width when ``width`` is None (TS2Vec's 64).
DILATED_CNN_WIDTH = 64


@loadable
class MaskedTimeSeriesAutoencoder(SeriesSelfSupervised):
    """Masked autoencoder for series: hide patches of timestamps, predict their values.

    Each series is cut into patches of ``patch_size`` timestamps and a random
    ``mask_rate`` of them is hidden, a different set per series and per
    epoch. The encoder sees the series with those patches hidden and a linear
    head predicts the standardised values of the hidden timestamps; the loss
    is their mean squared error (missing values are not scored). With
    ``encoder="transformer"`` the encoder is a transformer over patch tokens
    that replaces hidden patches by a learned mask token (PatchTST's
    self-supervised pretraining, Nie et al. 2023); with ``"dilated_cnn"`` it
    is TS2Vec's dilated convolutional network, the hidden timestamps zeroed
    after its input projection. ``transform`` encodes each series whole,
    without masking, and pools its states (``pooling``). The head is dropped
    after fit. It is the masking family (MAE, VIME, BERT) carried to series.

    Parameters
    ----------
    n_components : int, default=128
        Width of the embeddings (with a preset encoder).
    mask_rate : float, default=0.4
        Share of each series' patches that is hidden, in (0, 1) (PatchTST's
        0.4); at least one patch is hidden and one stays visible.
    patch_size : int, default=8
        Timestamps per patch: the transformer's token, and the span hidden at once.
    encoder : {"transformer", "dilated_cnn"} or torch.nn.Module, default="transformer"
        The sequence network: a preset built from the parameters here, or your
        own :class:`~sklearn_ssl.encoders.SequenceNetwork` for series of the
        channels you will fit. Its state width then sets the
        embedding width; ``n_components`` and the sizes below are not used.
    depth : int, default=3
        Transformer blocks, or residual blocks of the dilated CNN.
    n_heads : int, default=4
        Attention heads of the transformer.
    width : int or None, default=None
        Width of the network's states: the transformer's token width or the
        dilated CNN's hidden convolutions; ``n_heads`` must divide it for the
        transformer. None is ``n_components`` (rounded up to a multiple of
        ``n_heads``) for the transformer and 64 for the dilated CNN. Where the
        transformer's width differs from ``n_components``, a linear layer maps
        its states to ``n_components``.
    dropout : float, default=0.1
        Dropout of the encoder in training.
    pooling : {"mean", "max"}, default="mean"
        Mean or max of a series' states as its embedding.
    mask_ratio : float, default="deprecated"
        .. deprecated:: 0.2
           ``mask_ratio`` was renamed ``mask_rate`` and will be removed in 0.3.
    hidden_size : int, default="deprecated"
        .. deprecated:: 0.2
           ``hidden_size`` was renamed ``width`` and will be removed in 0.3.

    See Also
    --------
    TS2Vec : Contrastive learning with overlapping crops of series.
    MaskedAutoencoder : The same idea on image patches.

    References
    ----------
    .. [1] Y. Nie, N. H. Nguyen, P. Sinthong and J. Kalagnanam, "A Time Series
       is Worth 64 Words: Long-term Forecasting with Transformers", ICLR 2023.
    .. [2] K. He, X. Chen, S. Xie, Y. Li, P. Dollár and R. Girshick, "Masked
       Autoencoders Are Scalable Vision Learners", CVPR 2022.
    .. [3] G. Zerveas, S. Jayaraman, D. Patel, A. Bhamidipaty and C. Eickhoff,
       "A Transformer-based Framework for Multivariate Time Series
       Representation Learning", KDD 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ssl import MaskedTimeSeriesAutoencoder
    >>> rng = np.random.default_rng(0)
    >>> X = np.sin(np.linspace(0, 6, 48) * rng.uniform(1, 3, size=(40, 2, 1)))  # (40, 2, 48)
    >>> mae = MaskedTimeSeriesAutoencoder(n_components=16, depth=1, max_epochs=2,
    ...                                   random_state=0).fit(X)
    >>> mae.transform(X[:3]).shape
    (3, 16)
    """

    _renamed_parameters = {"mask_ratio": "mask_rate", "hidden_size": "width"}
    _parameter_constraints: dict = {
        **SeriesSelfSupervised._parameter_constraints,
        "mask_rate": [Interval(Real, 0, 1, closed="neither")],
        "patch_size": [Interval(Integral, 1, None, closed="left")],
        "encoder": [StrOptions({"transformer", "dilated_cnn"}), nn.Module],
        "depth": [Interval(Integral, 1, None, closed="left")],
        "n_heads": [Interval(Integral, 1, None, closed="left")],
        "width": [Interval(Integral, 1, None, closed="left"), None],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "pooling": [StrOptions({"mean", "max"})],
        "mask_ratio": [Interval(Real, 0, 1, closed="neither"), deprecated_option()],
        "hidden_size": [Interval(Integral, 1, None, closed="left"), deprecated_option()],
    }

    def __init__(
        self,
        n_components=128,
        *,
        mask_rate=0.4,
        patch_size=8,
        encoder="transformer",
        depth=3,
        n_heads=4,
        width=None,
        dropout=0.1,
        pooling="mean",
        mask_ratio="deprecated",
        hidden_size="deprecated",
        # shared by the series methods (timeseries/_base.py)
        standardize=True,
        # shared by every method (base.py)
        max_epochs=100, batch_size=64, lr=1e-3, weight_decay=0.05, optimizer="adamw",
        device="auto", data_on_device="auto", precision="auto", random_state=None, verbose=0,
        callbacks=None, n_iter_no_change=None, tol=1e-4, compile=False, n_jobs=None,
        score_criterion="rankme",
    ):  # fmt: skip
        assign_parameters(self, locals())

    @staticmethod
    def _older_params(params):
        """Before its rename, ``hidden_size`` sized the dilated CNN only; the
        transformer's width was ``n_components``, which ``width=None`` gives."""
        if params.get("encoder", "transformer") == "transformer":
            params.pop("hidden_size", None)
        return params

    def _network(self, n_channels):
        network = self._user_network()
        if network is not None:
            return network
        width = renamed_value(self, "hidden_size", "width")
        if self.encoder == "dilated_cnn":
            width = DILATED_CNN_WIDTH if width is None else width
            return DilatedConvNetwork(
                n_channels, width, self.n_components, self.depth, self.dropout
            )
        if width is None:  # n_components, rounded up to a multiple of n_heads
            width = -(-self.n_components // self.n_heads) * self.n_heads
        elif width % self.n_heads:
            raise ValueError(
                f"n_heads={self.n_heads} must divide width={width}, the transformer's token width."
            )
        return PatchTransformerNetwork(
            n_channels,
            self.patch_size,
            width,
            self.depth,
            self.n_heads,
            self.dropout,
            n_outputs=self.n_components,
        )

    def _pooling(self):
        return self.pooling

    def _task(self, encoder, width, X):
        step = encoder.network.step
        return MaskedSeriesTask(
            encoder,
            head=nn.Linear(width, step * X.shape[1]),
            patch_size=self.patch_size,
            mask_ratio=renamed_value(self, "mask_ratio", "mask_rate"),
        )
