"""VIME's feature reconstruction on a table whose columns have types.

Yoon et al. (2020) reconstruct numbers with a squared error and categorical
features with a cross-entropy. Here missing cells are never targets: a
number that is NaN and a category coded as missing add nothing to the loss.
The loss is the mean over the target cells, so on a table of numbers without
missing values it is the mean squared error.
"""

import torch
import torch.nn.functional as F
from torch import nn


def table_reconstruction_loss(prediction, target, numeric, categorical, n_slots, missing_code=0):
    """Mean reconstruction loss over the cells of ``target`` that are not missing.

    Parameters
    ----------
    prediction : torch.Tensor of shape (batch, n_numeric + sum(n_slots))
        One value per number column, then logits over the codes of each
        categorical column, in column order.
    target : torch.Tensor of shape (batch, n_features)
        Scaled numbers (NaN where missing) and category codes.
    numeric, categorical : torch.Tensor of shape (n_numeric,) and (n_categorical,), int64
        The number and categorical columns of ``target``.
    n_slots : sequence of int
        Codes of each categorical column.
    missing_code : int, default=0
        The code of a missing category.

    Returns
    -------
    loss : torch.Tensor, scalar
    """
    prediction = prediction.float()
    assert prediction.shape[1] == len(numeric) + sum(n_slots), prediction.shape
    numbers = target[:, numeric].float()  # (batch, n_numeric)
    observed = ~numbers.isnan()
    errors = (prediction[:, : len(numeric)] - numbers.nan_to_num(0.0)).square()
    total = (errors * observed).sum()
    count = observed.sum()
    codes = target[:, categorical].long()  # (batch, n_categorical)
    start = len(numeric)
    for j, slots in enumerate(n_slots):
        logits = prediction[:, start : start + slots]  # (batch, slots)
        total = total + F.cross_entropy(
            logits, codes[:, j], ignore_index=missing_code, reduction="sum"
        )
        count = count + (codes[:, j] != missing_code).sum()
        start += slots
    return total / count.clamp_min(1)


class TableReconstructionLoss(nn.Module):
    """Module form of :func:`table_reconstruction_loss` for fixed columns.

    Parameters
    ----------
    numeric, categorical : sequence of int
        The number and categorical columns.
    n_slots : sequence of int
        Codes of each categorical column.
    """

    def __init__(self, numeric, categorical, n_slots):
        super().__init__()
        for name, index in (("numeric", numeric), ("categorical", categorical)):
            self.register_buffer(name, torch.as_tensor(index, dtype=torch.long), persistent=False)
        self.n_slots = [int(n) for n in n_slots]

    @property
    def n_outputs(self):
        """Width of the prediction: one per number column, the codes of each category column."""
        return len(self.numeric) + sum(self.n_slots)

    def forward(self, prediction, target):
        return table_reconstruction_loss(
            prediction, target, self.numeric, self.categorical, self.n_slots
        )
