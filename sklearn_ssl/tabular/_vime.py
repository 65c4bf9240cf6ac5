"""VIME: self-supervised learning on tables by masked-feature estimation."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval
from torch import nn

from .._parameters import assign_parameters
from .._persistence import loadable
from ..augment import MarginalCorruption, marginal_corruption
from ..losses import TableReconstructionLoss
from ..tasks import MaskedFeatureTask
from ._base import TabularSelfSupervised


@loadable
class VIME(TabularSelfSupervised):
    """Value imputation and mask estimation, VIME's self-supervised stage.

    Each cell is masked with probability ``mask_rate`` and replaced by a draw
    from its feature's empirical marginal (the same column of another random
    row; a category of a categorical feature). From the corrupted row, the
    encoder and two linear heads learn to estimate which cells were replaced
    (binary cross-entropy) and to reconstruct the original cells, weighted by
    ``alpha``: scaled numbers with a squared error, categories with a
    cross-entropy (Yoon et al. 2020). Missing cells are never reconstruction
    targets. The encoder's output is the embedding.

    Parameters
    ----------
    mask_rate : float, default=0.3
        Probability that a cell is masked, in (0, 1); the paper's p_m.
    alpha : float, default=2.0
        Weight of feature reconstruction against mask estimation.

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
    >>> vime.transform(X).shape  # 16 embedding columns, then the 30 scaled features
    (569, 46)
    >>> vime.set_params(passthrough=False).transform(X).shape  # the embeddings alone
    (569, 16)
    """

    _parameter_constraints: dict = {
        **TabularSelfSupervised._parameter_constraints,
        "mask_rate": [Interval(Real, 0, 1, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        n_components=32,
        *,
        mask_rate=0.3,
        alpha=2.0,
        # shared by the table methods (tabular/_base.py)
        categorical_features="from_dtype", hidden_layer_sizes=(256, 256), standardize=True,
        encoder="mlp", passthrough=True,
        # shared by every method (base.py)
        max_epochs=100, batch_size=256, lr=1e-3, weight_decay=1e-5, optimizer="adamw",
        device="auto", data_on_device="auto", precision="auto", random_state=None, verbose=0,
        callbacks=None, n_iter_no_change=None, tol=1e-4, compile=False, n_jobs=None,
        score_criterion="rankme",
    ):  # fmt: skip
        assign_parameters(self, locals())

    def _task(self, encoder, width, X):
        mask, _, _ = self._column_plan()
        reconstruction = TableReconstructionLoss(
            numeric=np.flatnonzero(~mask), categorical=np.flatnonzero(mask), n_slots=self._n_slots()
        )
        return MaskedFeatureTask(
            encoder=encoder,
            corruption=MarginalCorruption(self.mask_rate),
            mask_head=nn.Linear(width, X.shape[1]),
            feature_head=nn.Linear(width, reconstruction.n_outputs),
            target=encoder.standardize,
            alpha=self.alpha,
            loss=reconstruction,
        )

    def _augment_rows(self, X_batch, generator):
        """The pretext corruption (rate ``mask_rate``), applied to a batch of rows."""
        corrupted, _ = marginal_corruption(X_batch, self.mask_rate, generator)  # (B, F)
        return corrupted
