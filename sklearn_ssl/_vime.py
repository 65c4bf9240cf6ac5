"""VIME: self-supervised learning on tables by masked-feature estimation."""

from numbers import Real

from sklearn.utils._param_validation import Interval, StrOptions
from torch import nn

from ._tabular import TabularSelfSupervised
from .augment import MarginalCorruption, marginal_corruption
from .tasks import MaskedFeatureTask


class VIME(TabularSelfSupervised):
    """Value imputation and mask estimation, VIME's self-supervised stage.

    Each cell is masked with probability ``mask_rate`` and replaced by a draw
    from its feature's empirical marginal (the same column of another random
    row). From the corrupted row, the encoder and two linear heads learn to
    estimate which cells were replaced (binary cross-entropy) and to
    reconstruct the original, standardised features (mean squared error,
    weighted by ``alpha``) (Yoon et al. 2020). The encoder's output is the
    embedding. Missing values are not supported: NaN raises an error.

    Parameters
    ----------
    n_components : int, default=128
        Width of the embeddings.
    mask_rate : float, default=0.3
        Probability that a cell is masked, in (0, 1); the paper's p_m.
    alpha : float, default=2.0
        Weight of feature reconstruction against mask estimation.
    hidden_layer_sizes : array-like of int, default=(256, 256)
        Widths of the encoder's hidden layers (Linear, BatchNorm, ReLU).
    standardize : bool, default=True
        Standardise features with the training mean and standard deviation
        inside the encoder (reconstruction is scored on that scale).
    encoder : "mlp" or torch.nn.Module, default="mlp"
        The encoder body; a module gets standardised rows of width
        ``n_features_in_`` and its output width becomes ``n_components_``.
    max_epochs : int, default=100
        Passes over the data.
    batch_size : int, default=256
        Rows per batch; masked cells are refilled from the batch's rows.
    lr : float, default=1e-3
        Learning rate.
    weight_decay : float, default=1e-5
        Weight decay.
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
        Seeds weight initialisation, batch order and masks.
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
    encoder_ : torch.nn.Module
        The trained encoder: maps a float32 batch of raw rows to embeddings.
    net_ : sklearn_ssl._engine.PretextNet
        The skorch net that trained the pretext task.
    history_ : skorch.History
        Per-epoch pretext loss (``history_[:, "train_loss"]``) and timings.
    n_components_ : int
        Width of the embeddings.
    n_iter_ : int
        Epochs trained.
    interrupted_ : bool
        True when the last ``fit`` or ``partial_fit`` was stopped by Ctrl-C
        (``KeyboardInterrupt``): the weights are those reached so far, and the
        last ``n_iter_`` epochs completed.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string feature names.

    See Also
    --------
    SCARF : Contrastive learning with random feature corruption on tables.

    References
    ----------
    .. [1] J. Yoon, Y. Zhang, J. Jordon and M. van der Schaar, "VIME: Extending
       the Success of Self- and Semi-supervised Learning to Tabular Domain",
       NeurIPS 2020.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn_ssl import VIME
    >>> X, _ = load_breast_cancer(return_X_y=True)
    >>> vime = VIME(n_components=16, max_epochs=5, random_state=0).fit(X)
    >>> vime.transform(X).shape
    (569, 16)
    """

    _parameter_constraints: dict = {
        **TabularSelfSupervised._parameter_constraints,
        "encoder": [StrOptions({"mlp"}), nn.Module],
        "mask_rate": [Interval(Real, 0, 1, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        n_components=128,
        *,
        mask_rate=0.3,
        alpha=2.0,
        hidden_layer_sizes=(256, 256),
        standardize=True,
        encoder="mlp",
        max_epochs=100,
        batch_size=256,
        lr=1e-3,
        weight_decay=1e-5,
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
        self.mask_rate = mask_rate
        self.alpha = alpha
        self.hidden_layer_sizes = hidden_layer_sizes
        self.standardize = standardize

    def _build_task(self, X):
        encoder = self._build_encoder(X)
        width = self._embedding_width(encoder, X, "cpu")
        n_features = X.shape[1]
        return MaskedFeatureTask(
            encoder=encoder,
            corruption=MarginalCorruption(self.mask_rate),
            mask_head=nn.Linear(width, n_features),
            feature_head=nn.Linear(width, n_features),
            target=encoder.standardize,
            alpha=self.alpha,
        )

    def _augment_for_finetuning(self, X_batch, generator):
        """The pretext corruption (rate ``mask_rate``), applied to a batch of rows."""
        corrupted, _ = marginal_corruption(X_batch, self.mask_rate, generator)  # (B, F)
        return corrupted
