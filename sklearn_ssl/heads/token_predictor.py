"""BERT's masked-token prediction head, its output layer tied to the input embeddings."""

import torch
import torch.nn.functional as F
from torch import nn


class TiedTokenPredictor(nn.Module):
    """BERT's MLM head: dense + GELU + LayerNorm, then the token embeddings transposed.

    Parameters
    ----------
    embedding : torch.nn.Embedding
        The encoder's input embedding; its weight is the output layer (tied).
    """

    def __init__(self, embedding):
        super().__init__()
        n_tokens, d_model = embedding.weight.shape
        self.transform = nn.Sequential(
            nn.Linear(d_model, d_model), nn.GELU(), nn.LayerNorm(d_model)
        )
        self.embedding = embedding
        self.bias = nn.Parameter(torch.zeros(n_tokens))
        nn.init.normal_(self.transform[0].weight, std=0.02)
        nn.init.zeros_(self.transform[0].bias)

    def forward(self, states):
        # states (..., d) -> logits (..., n_tokens)
        return F.linear(self.transform(states), self.embedding.weight, self.bias)
