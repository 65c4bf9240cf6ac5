"""Stage two for regression targets: fine-tune a self-supervised encoder with a linear head."""

import numpy as np
import torch
from sklearn.base import RegressorMixin
from sklearn.utils.validation import check_array, check_consistent_length

from .._parameters import assign_parameters
from .._persistence import loadable
from ._base import BaseFineTuned


@loadable
class FineTunedRegressor(RegressorMixin, BaseFineTuned):
    """Regressor that fine-tunes a self-supervised encoder on targets.

    A linear head on the batch-normalised embeddings is trained with the mean
    squared error on standardised targets, together with the pretrained
    encoder, on the labeled rows. Since -1 is a valid regression target, rows
    whose target is NaN are the unlabeled ones: they take part in pretraining
    only. Several targets (``y`` of shape (n_samples, n_targets)) are
    predicted jointly.

    See Also
    --------
    FineTunedClassifier : The same for class labels.

    References
    ----------
    .. [1] A. Kumar, A. Raghunathan, R. Jones, T. Ma and P. Liang, "Fine-Tuning
       can Distort Pretrained Features and Underperform Out-of-Distribution",
       ICLR 2022.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn_ssl import VIME, FineTunedRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> vime = VIME(n_components=16, hidden_layer_sizes=(64,), max_epochs=5)
    >>> reg = FineTunedRegressor(vime, max_epochs=10, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    """

    def __init__(
        self,
        estimator,
        *,
        # shared by the fine-tuning estimators (finetune/_parameters.py)
        max_epochs=50, freeze_epochs="auto", encoder_lr_scale=0.1, warmup=0.0, augment=False,
        batch_size="auto", lr=1e-2, weight_decay=1e-4, device="auto", data_on_device="auto",
        precision="auto", callbacks=None, n_iter_no_change=None, validation_fraction=0.1,
        tol=1e-4, random_state=None, verbose=0, n_jobs=None,
    ):  # fmt: skip
        assign_parameters(self, locals())

    def _check_targets(self, X, y):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        y = check_array(
            y, ensure_2d=False, dtype=np.float64, ensure_all_finite="allow-nan", input_name="y"
        )
        check_consistent_length(X, y)
        if y.ndim > 2:
            raise ValueError(f"y must be 1- or 2-dimensional, got shape {y.shape}.")
        self._y_ndim = y.ndim
        y = y.reshape(len(y), -1)  # (n, n_targets)
        missing = np.isnan(y)
        labeled = ~missing.all(axis=1)
        if missing[labeled].any():
            raise ValueError(
                "y has NaN in some but not all targets of a row; NaN marks a whole "
                "row as unlabeled."
            )
        if not labeled.any():
            raise ValueError(
                f"{type(self).__name__} needs labeled rows, but every target is NaN "
                "(the mark of an unlabeled row)."
            )
        self._y_mean = y[labeled].mean(axis=0)
        scale = y[labeled].std(axis=0)
        self._y_scale = np.where(scale > 0, scale, 1.0)
        targets = (y[labeled] - self._y_mean) / self._y_scale
        return targets.astype(np.float32), labeled, y.shape[1]

    def _criterion(self):
        return torch.nn.MSELoss()

    def predict(self, X):
        """Predicted targets of the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input rows.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
        """
        y_pred = self._forward(X) * self._y_scale + self._y_mean  # (n, n_targets)
        return y_pred.ravel() if self._y_ndim == 1 else y_pred

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
