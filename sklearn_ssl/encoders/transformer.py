"""The pre-norm transformer block of the ViT and of the text encoder.

Pre-LayerNorm blocks (Xiong et al. 2020): ``x + attention(norm(x))``, then
``x + mlp(norm(x))``, with optional dropout (BERT's, on the attention
weights and on each residual branch) and an optional attention mask for
padded sequences. The owner initialises the weights (ViT: Xavier; BERT:
normal with standard deviation 0.02).
"""

import torch.nn.functional as F
from torch import nn


class Attention(nn.Module):
    """Multi-head self-attention over a sequence of tokens.

    Parameters
    ----------
    width : int
        Token width; ``n_heads`` must divide it.
    n_heads : int
        Number of attention heads.
    dropout : float, default=0.0
        Dropout on the attention weights in training.
    """

    def __init__(self, width, n_heads, dropout=0.0):
        super().__init__()
        self.n_heads = n_heads
        self.dropout = dropout
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)

    def forward(self, x, attend=None):
        # x (B, T, D); attend (B, 1, 1, T) bool, True for the keys to attend to, or None
        batch, n_tokens, width = x.shape
        qkv = self.qkv(x).reshape(batch, n_tokens, 3, self.n_heads, width // self.n_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)  # (B, heads, T, head_width) each
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attend, dropout_p=p)
        return self.proj(y.transpose(1, 2).reshape(batch, n_tokens, width))  # (B, T, D)


class Block(nn.Module):
    """Pre-norm transformer block: ``x + attn(ln(x))``, then ``x + mlp(ln(x))``.

    Parameters
    ----------
    width : int
        Token width.
    n_heads : int
        Number of attention heads.
    mlp_ratio : float, default=4.0
        Hidden width of the MLP as a multiple of ``width``.
    dropout : float, default=0.0
        Dropout on the attention weights and on each residual branch, in training.
    """

    def __init__(self, width, n_heads, mlp_ratio=4.0, dropout=0.0):
        super().__init__()
        hidden = int(width * mlp_ratio)
        self.dropout = dropout
        self.norm1 = nn.LayerNorm(width)
        self.attn = Attention(width, n_heads, dropout)
        self.norm2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, hidden), nn.GELU(), nn.Linear(hidden, width))

    def forward(self, x, attend=None):
        p = self.dropout if self.training else 0.0
        x = x + F.dropout(self.attn(self.norm1(x), attend), p, self.training)  # (B, T, D)
        return x + F.dropout(self.mlp(self.norm2(x)), p, self.training)  # (B, T, D)
