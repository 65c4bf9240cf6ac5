"""A small BERT-style Transformer encoder over padded token-id batches.

Pre-LayerNorm blocks (Xiong et al. 2020) with learned position embeddings and
BERT's initialisation: normal weights with standard deviation 0.02 (Devlin et
al. 2019). The small init matters with a tied output layer: PyTorch's default
N(0, 1) embeddings gave an initial MLM loss near 20 instead of log(vocab).
Padding (id ``pad_id``) is excluded from attention keys and from mean pooling,
so a sequence's vector does not depend on how much padding its batch has.
"""

import torch
import torch.nn.functional as F
from torch import nn

from .transformer import Block


class TextTransformer(nn.Module):
    """Map a padded (batch, length) id tensor to one vector per sequence.

    Parameters
    ----------
    vocab_size : int
        Number of token ids.
    max_length : int
        Longest sequence (number of position embeddings).
    d_model : int
        Width of the token states and of the sentence vectors.
    n_heads : int
        Attention heads per block.
    n_layers : int
        Number of blocks.
    dropout : float
        Dropout probability in training.
    pad_id : int
        The padding id; attention and pooling ignore it.
    pooling : {"mean", "cls"}
        Sentence vector: mean of the non-padding token states, or the state of
        the first token (``[CLS]``).
    """

    def __init__(
        self, vocab_size, max_length, d_model, n_heads, n_layers, dropout, pad_id, pooling
    ):
        super().__init__()
        self.pad_id = pad_id
        self.pooling = pooling
        self.dropout = dropout
        self.tokens = nn.Embedding(vocab_size, d_model)
        self.positions = nn.Embedding(max_length, d_model)
        self.blocks = nn.ModuleList(
            Block(d_model, n_heads, dropout=dropout) for _ in range(n_layers)
        )
        self.norm = nn.LayerNorm(d_model)
        self.apply(_bert_init)

    def token_states(self, ids):
        """Contextual states of every position: (B, L) ids -> (B, L, d)."""
        positions = torch.arange(ids.shape[1], device=ids.device)  # (L,)
        h = self.tokens(ids) + self.positions(positions)  # (B, L, d)
        h = F.dropout(h, self.dropout, self.training)
        attend = (ids != self.pad_id)[:, None, None, :]  # (B, 1, 1, L)
        for block in self.blocks:
            h = block(h, attend)
        return self.norm(h)  # (B, L, d)

    def pool(self, states, ids):
        """Sentence vectors from token states: (B, L, d) -> (B, d)."""
        return pool_states(states, ids, self.pad_id, self.pooling)

    def forward(self, ids):
        return self.pool(self.token_states(ids), ids)  # (B, d)


def pool_states(states, ids, pad_id, pooling):
    """Sentence vectors (B, d) from token states (B, L, d) of ``pad_id``-padded ids (B, L).

    ``pooling="mean"`` averages the states of the non-padding tokens,
    ``"cls"`` takes the first token's state.
    """
    if pooling == "cls":
        return states[:, 0]  # (B, d)
    keep = (ids != pad_id).unsqueeze(-1).to(states.dtype)  # (B, L, 1)
    return (states * keep).sum(1) / keep.sum(1).clamp(min=1)  # (B, d)


def _bert_init(module):
    """BERT's initialisation: N(0, 0.02) weights, zero biases, unit LayerNorm."""
    if isinstance(module, nn.Linear | nn.Embedding):
        nn.init.normal_(module.weight, std=0.02)
    if isinstance(module, nn.Linear) and module.bias is not None:
        nn.init.zeros_(module.bias)
