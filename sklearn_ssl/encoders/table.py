"""The input layer of mixed tables: numbers, missing-value indicators, category embeddings."""

import torch
from torch import nn


def embedding_size(n_slots):
    """Width of a categorical column's embedding: ``round(1.6 * n_slots ** 0.56)``, 2 to 16.

    The rule of thumb of fastai's tabular models, capped at 16.
    """
    return int(min(16, max(2, round(1.6 * n_slots**0.56))))


class TableColumns(nn.Module):
    """Scaled rows of a mixed table -> the network's input row.

    Number columns pass as they are, 0 (the training mean after
    standardisation) where missing, followed by a 0/1 indicator for each number
    column that had missing cells at fit; each categorical column is an
    integer code (0 missing, 1 unknown, 2... the kept categories) and becomes
    its own learned embedding.

    Parameters
    ----------
    numeric : sequence of int
        The number columns.
    missing : sequence of int
        The number columns that get a missing-value indicator.
    categorical : sequence of int
        The categorical columns.
    n_slots : sequence of int
        Codes of each categorical column (its kept categories plus 2).
    """

    def __init__(self, numeric, missing, categorical, n_slots):
        super().__init__()
        # column indices are rebuilt from the estimator's fitted attributes, not saved
        indices = {"numeric": numeric, "missing": missing, "categorical": categorical}
        for name, index in indices.items():
            self.register_buffer(name, torch.as_tensor(index, dtype=torch.long), persistent=False)
        self.embeddings = nn.ModuleList(nn.Embedding(n, embedding_size(n)) for n in n_slots)
        self.width = len(numeric) + len(missing) + sum(embedding_size(n) for n in n_slots)

    def forward(self, Z):
        numbers = Z[:, self.numeric]  # (batch, n_numeric), NaN where missing
        absent = numbers.isnan()
        parts = [numbers.masked_fill(absent, 0.0), absent[:, self.missing].to(Z.dtype)]
        codes = Z[:, self.categorical].long()  # (batch, n_categorical)
        parts += [table(codes[:, i]) for i, table in enumerate(self.embeddings)]
        return torch.cat(parts, dim=1)  # (batch, width)
