"""The network stage two trains: a pretrained encoder followed by a new head."""

import torch
from torch import nn


class EncoderWithHead(nn.Module):
    """A pretrained encoder followed by a freshly initialised head.

    While ``freeze_encoder`` is True the encoder runs in evaluation mode and
    without gradients (batch-norm statistics and weights stay as pretrained),
    so only the head learns: a linear probe.

    Parameters
    ----------
    encoder : torch.nn.Module
        Maps a batch of inputs to embeddings of shape (batch, n_components).
    head : torch.nn.Module
        Maps embeddings to outputs of shape (batch, n_outputs).
    """

    def __init__(self, encoder, head):
        super().__init__()
        self.encoder = encoder
        self.head = head
        self.freeze_encoder = False

    def train(self, mode=True):
        super().train(mode)
        if self.freeze_encoder:
            self.encoder.eval()
        return self

    def forward(self, X):
        with torch.set_grad_enabled(torch.is_grad_enabled() and not self.freeze_encoder):
            h = self.encoder(X)  # (batch, n_components)
        return self.head(h).float()  # (batch, n_outputs)

    def after_optimizer_step(self):
        """Nothing to update outside the gradient step."""
