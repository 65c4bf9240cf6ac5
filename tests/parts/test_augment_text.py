"""BERT's masking of token ids: 15% targets, 80/10/10, never [CLS] or padding."""

import torch

from sklearn_ssl.augment import bert_masking
from sklearn_ssl.text.tokenizer import CLS_ID, MASK_ID, PAD_ID, SPECIAL_TOKENS


def test_bert_masking_follows_80_10_10():
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(len(SPECIAL_TOKENS), 1000, (400, 50), generator=generator)
    ids[:, 0] = CLS_ID
    ids[:, 40:] = PAD_ID
    corrupted, positions, valid = bert_masking(ids, 0.15, MASK_ID, 4, 1000, generator)
    assert valid.sum(1).eq(round(0.15 * 39)).all()  # targets per row: 15% of 39 tokens
    rows = torch.arange(400)[:, None].expand_as(positions)[valid]
    cols = positions[valid]
    assert (cols > 0).all() and (cols < 40).all()  # never [CLS] or padding
    masked = (corrupted[rows, cols] == MASK_ID).float().mean()
    kept = (corrupted[rows, cols] == ids[rows, cols]).float().mean()
    assert abs(masked - 0.8) < 0.03 and 0.09 < kept < 0.13  # 10% kept, plus random hits
    target = torch.zeros_like(ids, dtype=torch.bool)
    target[rows, cols] = True
    assert torch.equal(corrupted[~target], ids[~target])  # only targets change
    again, _, _ = bert_masking(ids, 0.15, MASK_ID, 4, 1000, generator)
    assert not torch.equal(again, corrupted)  # fresh masks on every call
