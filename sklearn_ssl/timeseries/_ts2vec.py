"""TS2Vec: universal representations of time series by hierarchical contrasting."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions
from torch import nn

from .._parameters import assign_parameters
from .._persistence import loadable
from .._renamed import deprecated_option, renamed_value
from ..encoders import DilatedConvNetwork
from ..tasks import TS2VecTask
from ._base import SeriesSelfSupervised


@loadable
class TS2Vec(SeriesSelfSupervised):
    """TS2Vec: contrast two overlapping crops of each series at every time scale.

    Each training series gives two random crops that overlap (Yue et al.
    2022). A dilated convolutional encoder maps each crop to one state per
    timestamp, with a random half of the timestamps hidden after its input
    projection (``mask_rate``); the hierarchical contrastive loss then asks
    the two states of every timestamp of the overlap to find each other among
    the other series of the batch (instance-wise) and among the other
    timestamps of the series (temporal), and repeats this on states max-pooled
    over ever longer spans. ``transform`` encodes every series whole, without
    masking, and max-pools its states over time: one vector per series, the
    paper's classification protocol. The embeddings come from the running
    average of the weights over all training steps, as the authors' code
    embeds with.

    The paper trains 200 iterations of batch 8 (600 for data sets above
    100,000 values); with ``batch_size=8``, set ``max_epochs`` to about
    ``200 / (n_cases // 8)``.

    Parameters
    ----------
    n_components : int, default=320
        Width of the states and of the embeddings (the paper's 320).
    width : int, default=64
        Width of the input projection and of the hidden convolutions.
    depth : int, default=10
        Residual blocks of dilated convolutions before the output block (the
        paper's 10); the receptive field spans about ``2 ** (depth + 2)`` timestamps.
    temporal_unit : int, default=0
        Smallest time scale of the temporal term, as a power of 2; crops
        overlap by at least ``2 ** (temporal_unit + 1)`` timestamps. Raise it
        for long series to save memory.
    mask_rate : float, default=0.5
        Probability that a timestamp of a crop is hidden (the paper's binomial 0.5).
    alpha : float, default=0.5
        Weight of the instance-wise term; ``1 - alpha`` weighs the temporal one.
    max_train_length : int or None, default=3000
        Longer training batches are cut to a random window of this length per
        step (the paper cuts long series into sections of 3000); None keeps
        them whole.
    encoder : "dilated_cnn" or torch.nn.Module, default="dilated_cnn"
        The sequence network: the paper's dilated CNN built from the
        parameters above, or your own
        :class:`~sklearn_ssl.encoders.SequenceNetwork` with one state per
        timestamp (``step = 1``), for series of the channels you will fit. Its
        state width then sets the embedding width; ``n_components``,
        ``width`` and ``depth`` are not used.
    hidden_size : int, default="deprecated"
        .. deprecated:: 0.2
           ``hidden_size`` was renamed ``width`` and will be removed in 0.3.

    See Also
    --------
    MaskedTimeSeriesAutoencoder : Masked reconstruction of series patches.

    References
    ----------
    .. [1] Z. Yue, Y. Wang, J. Duan, T. Yang, C. Huang, Y. Tong and B. Xu,
       "TS2Vec: Towards Universal Representation of Time Series", AAAI 2022.
    .. [2] P. Izmailov, D. Podoprikhin, T. Garipov, D. Vetrov and A. G. Wilson,
       "Averaging Weights Leads to Wider Optima and Better Generalization", UAI 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ssl import TS2Vec
    >>> rng = np.random.default_rng(0)
    >>> X = np.sin(np.linspace(0, 6, 50) * rng.uniform(1, 3, size=(40, 1, 1)))  # (40, 1, 50)
    >>> ts2vec = TS2Vec(n_components=16, width=8, depth=2, max_epochs=2, random_state=0)
    >>> ts2vec.fit(X).transform(X[:3]).shape
    (3, 16)
    >>> ts2vec.transform([X[0, :, :20], X[1]]).shape  # any length
    (2, 16)
    """

    _renamed_parameters = {"hidden_size": "width"}
    _parameter_constraints: dict = {
        **SeriesSelfSupervised._parameter_constraints,
        "width": [Interval(Integral, 1, None, closed="left")],
        "depth": [Interval(Integral, 0, None, closed="left")],
        "temporal_unit": [Interval(Integral, 0, None, closed="left")],
        "mask_rate": [Interval(Real, 0, 1, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="both")],
        "max_train_length": [Interval(Integral, 1, None, closed="left"), None],
        "encoder": [StrOptions({"dilated_cnn"}), nn.Module],
        "hidden_size": [Interval(Integral, 1, None, closed="left"), deprecated_option()],
    }

    def __init__(
        self,
        n_components=320,
        *,
        width=64,
        depth=10,
        temporal_unit=0,
        mask_rate=0.5,
        alpha=0.5,
        max_train_length=3000,
        encoder="dilated_cnn",
        hidden_size="deprecated",
        # shared by the series methods (timeseries/_base.py)
        standardize=True,
        # shared by every method (base.py)
        max_epochs=50, batch_size=8, lr=1e-3, weight_decay=0.01, optimizer="adamw", device="auto",
        data_on_device="auto", precision="auto", random_state=None, verbose=0, callbacks=None,
        n_iter_no_change=None, tol=1e-4, compile=False, n_jobs=None,
        score_criterion="rankme",
    ):  # fmt: skip
        assign_parameters(self, locals())

    def _network(self, n_channels):
        network = self._user_network()
        if network is None:
            width = renamed_value(self, "hidden_size", "width")
            return DilatedConvNetwork(n_channels, width, self.n_components, self.depth)
        if network.step != 1:
            raise ValueError(
                f"TS2Vec contrasts the states of single timestamps, but encoder="
                f"{type(network).__name__}(...) has step={network.step}; use a network "
                "with one state per timestamp (step=1)."
            )
        return network

    def _pooling(self):
        return "max"

    def _task(self, encoder, width, X):
        return TS2VecTask(
            encoder,
            temporal_unit=self.temporal_unit,
            mask_rate=self.mask_rate,
            alpha=self.alpha,
            max_train_length=self.max_train_length,
        )
