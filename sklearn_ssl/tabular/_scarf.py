"""SCARF: contrastive learning on tables with random feature corruption."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval

from .._parameters import assign_parameters
from .._persistence import loadable
from ..augment import OriginalAndCorrupted, marginal_corruption
from ..heads import projection_head
from ..losses import NTXentLoss
from ..tasks import SiameseTask
from ._base import TabularSelfSupervised


@loadable
class SCARF(TabularSelfSupervised):
    """Self-supervised contrastive learning with random feature corruption.

    Each row is paired with a corrupted copy in which a random fraction
    ``corruption_rate`` of its features is replaced by draws from each
    feature's empirical marginal (the same column of other random rows: a
    number, a category or a missing cell, as the column holds). An MLP
    encoder and a projection head are trained with the NT-Xent loss to tell
    each row's copy apart from the other rows of the batch (Bahri et al. 2022).
    The encoder's output is the embedding.

    Parameters
    ----------
    corruption_rate : float, default=0.6
        Fraction of a row's features replaced in the corrupted view, in (0, 1).
    temperature : float, default=1.0
        Temperature of the NT-Xent loss; the paper uses 1.0.
    projection_size : int, default=128
        Width of the projection head's hidden and output layers.

    See Also
    --------
    VIME : Masked-feature estimation and reconstruction on tables.

    References
    ----------
    .. [1] D. Bahri, H. Jiang, Y. Tay and D. Metzler, "SCARF: Self-Supervised
       Contrastive Learning using Random Feature Corruption", ICLR 2022.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn_ssl import SCARF
    >>> X, _ = load_breast_cancer(return_X_y=True)
    >>> scarf = SCARF(n_components=16, max_epochs=5, random_state=0).fit(X)
    >>> scarf.transform(X).shape  # 16 embedding columns, then the 30 scaled features
    (569, 46)
    >>> scarf.set_params(passthrough=False).transform(X).shape  # the embeddings alone
    (569, 16)
    """

    _parameter_constraints: dict = {
        **TabularSelfSupervised._parameter_constraints,
        "corruption_rate": [Interval(Real, 0, 1, closed="neither")],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "projection_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        n_components=32,
        *,
        corruption_rate=0.6,
        temperature=1.0,
        projection_size=128,
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
        return SiameseTask(
            encoder=encoder,
            projector=projection_head(width, self.projection_size, self.projection_size),
            make_views=OriginalAndCorrupted(self.corruption_rate),
            loss=NTXentLoss(self.temperature, gather_distributed=True),
        )

    def _augment_rows(self, X_batch, generator):
        """The pretext corruption (rate ``corruption_rate``), applied to a batch of rows."""
        corrupted, _ = marginal_corruption(X_batch, self.corruption_rate, generator)  # (B, F)
        return corrupted
