"""BERT's masking of token ids, drawn per sequence on the training device.

Devlin et al. (2019) select 15% of the tokens of each sequence as prediction
targets and replace 80% of them by ``[MASK]``, 10% by a random token and leave
10% unchanged, so the encoder cannot rely on seeing ``[MASK]``. As in BERT's
data pipeline, each sequence gets ``max(1, round(rate * n))`` targets among its
``n`` ordinary tokens, chosen uniformly; special tokens and padding are never
targets. A fixed number of target slots per sequence keeps every shape known
on the host, so masking needs no device-to-host synchronisation.
"""

import torch
from torch import nn


def bert_masking(ids, rate, mask_id, n_special, vocab_size, generator=None, special_ids=None):
    """Corrupt ``ids`` with the 80/10/10 rule and return the target positions.

    Parameters
    ----------
    ids : torch.Tensor of shape (batch, length), int64
        Token ids; ids below ``n_special`` (padding, ``[CLS]``, ...) are never targets.
    rate : float
        Fraction of each sequence's ordinary tokens chosen as targets.
    mask_id : int
        Id of the ``[MASK]`` token.
    n_special : int
        Ids ``0 .. n_special - 1`` are special tokens.
    vocab_size : int
        Random replacements are drawn from ``n_special .. vocab_size - 1``.
    generator : torch.Generator, optional
        Source of randomness, on ``ids.device``.
    special_ids : torch.Tensor of shape (n_ids,), int64, optional
        Further special ids, on ``ids.device``: never targets, and a random
        replacement that draws one keeps the original token instead.

    Returns
    -------
    corrupted : torch.Tensor of shape (batch, length)
        The ids with the targets masked, replaced or kept.
    positions : torch.Tensor of shape (batch, n_slots), int64
        Target positions of each sequence (slots past its count are filler).
    valid : torch.Tensor of shape (batch, n_slots), bool
        Which slots are real targets.
    """
    batch, length = ids.shape
    device = ids.device
    candidate = ids >= n_special  # (B, L)
    if special_ids is not None:
        candidate &= ~torch.isin(ids, special_ids)
    n_targets = (candidate.sum(1).float() * rate).round().clamp(min=1)  # (B,)
    n_targets = torch.minimum(n_targets, candidate.sum(1).float())  # no targets in empty rows
    # random scores, candidates first: the lowest n_targets scores of a row are its targets
    scores = torch.rand(ids.shape, generator=generator, device=device) - candidate.float()
    n_slots = max(1, round(rate * length))
    positions = scores.argsort(dim=1)[:, :n_slots]  # (B, n_slots)
    valid = torch.arange(n_slots, device=device) < n_targets[:, None]  # (B, n_slots)
    target = torch.zeros_like(candidate).scatter_(1, positions, valid)  # (B, L)
    action = torch.rand(ids.shape, generator=generator, device=device)  # (B, L)
    random_ids = torch.randint(n_special, vocab_size, ids.shape, generator=generator, device=device)
    if special_ids is not None:
        random_ids = torch.where(torch.isin(random_ids, special_ids), ids, random_ids)
    corrupted = torch.where(target & (action < 0.8), mask_id, ids)
    corrupted = torch.where(target & (action >= 0.8) & (action < 0.9), random_ids, corrupted)
    return corrupted, positions, valid


class BertMasking(nn.Module):
    """Module form of :func:`bert_masking`.

    Parameters
    ----------
    rate : float
        Fraction of each sequence's ordinary tokens chosen as targets.
    mask_id, n_special, vocab_size : int
        See :func:`bert_masking`.
    special_ids : sequence of int, optional
        See :func:`bert_masking`; kept as a buffer outside the state dict.
    """

    def __init__(self, rate, mask_id, n_special, vocab_size, special_ids=None):
        super().__init__()
        self.rate = rate
        self.mask_id = mask_id
        self.n_special = n_special
        self.vocab_size = vocab_size
        if special_ids is None:
            self.special_ids = None
        else:
            ids = torch.as_tensor(list(special_ids), dtype=torch.int64)
            self.register_buffer("special_ids", ids, persistent=False)

    def forward(self, ids, generator=None):
        return bert_masking(
            ids,
            self.rate,
            self.mask_id,
            self.n_special,
            self.vocab_size,
            generator,
            self.special_ids,
        )
