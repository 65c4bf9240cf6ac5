"""SCARF: contrastive learning on tables with random feature corruption."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval

from .._parameters import assign_parameters
from .._persistence import loadable
from ..augment import CorruptedNeighbors, OriginalAndCorrupted, marginal_corruption
from ..heads import projection_head
from ..losses import NTXentLoss
from ..tasks import SiameseTask
from ._base import TabularSelfSupervised
from ._neighbors import with_nearest_rows


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

    With ``n_neighbors`` the positive of a row is one of its nearest rows
    instead of the row itself: both views are corrupted copies, one of the row
    and one of a neighbour drawn at random each time, so the encoder learns to
    keep the neighbourhoods of the input (measured on the encoded input of
    ``passthrough``: scaled numbers, missing-value indicators and one-hot
    categories) and pulls each cluster of nearby rows together, which
    helps classifiers that learn from unlabeled rows (label spreading,
    :class:`~sklearn_ssl.SeededKMeansClassifier`) when labels are few.

    Parameters
    ----------
    corruption_rate : float, default=0.6
        Fraction of a row's features replaced in the corrupted view, in (0, 1).
    temperature : float, default=1.0
        Temperature of the NT-Xent loss; the paper uses 1.0.
    projection_size : int, default=128
        Width of the projection head's hidden and output layers.
    n_neighbors : int or None, default=None
        None pairs each row with a corrupted copy of itself, as the paper
        does. An int pairs a corrupted copy of each row with a corrupted copy
        of one of its ``n_neighbors`` nearest training rows (Euclidean
        distance on the encoded input), found once per ``fit`` by an exact
        search whose time grows with the square of the rows, so it suits
        pools of up to some tens of thousands of rows. Training rows kept on
        the device take ``n_neighbors + 1`` times their memory; streamed
        ones (``data_on_device=False``, memory-mapped rows) are gathered
        batch by batch. On the digits table with one label per class,
        ``n_neighbors=10`` with ``corruption_rate=0.3`` and
        ``temperature=0.5`` lifted seeded k-means on the embeddings well
        above the paper's pairs (see the semi-supervised benchmark's notes).

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
        "n_neighbors": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        n_components=32,
        *,
        corruption_rate=0.6,
        temperature=1.0,
        projection_size=128,
        n_neighbors=None,
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
            make_views=self._views(),
            loss=NTXentLoss(self.temperature, gather_distributed=True),
        )

    def _views(self):
        """The pair of views of each row: its corrupted copy, or a neighbour's."""
        if self.n_neighbors is None:
            return OriginalAndCorrupted(self.corruption_rate)
        return CorruptedNeighbors(self.corruption_rate)

    def _pretext_rows(self, X):
        """The rows, each with its ``n_neighbors`` nearest rows when that is set."""
        if self.n_neighbors is None:
            return X
        return with_nearest_rows(X, self._encoded_input(X), self.n_neighbors)

    def _check_n_samples(self, X):
        super()._check_n_samples(X)
        if self.n_neighbors is not None and len(X) <= self.n_neighbors:
            raise ValueError(
                f"SCARF with n_neighbors={self.n_neighbors} needs more than "
                f"{self.n_neighbors} rows to find each row's neighbours among, got "
                f"{len(X)}; lower n_neighbors or pass more rows."
            )

    def _augment_rows(self, X_batch, generator):
        """The pretext corruption (rate ``corruption_rate``), applied to a batch of rows."""
        corrupted, _ = marginal_corruption(X_batch, self.corruption_rate, generator)  # (B, F)
        return corrupted
