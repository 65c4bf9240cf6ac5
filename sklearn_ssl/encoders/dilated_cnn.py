"""TS2Vec's encoder: an input projection, then residual blocks of dilated convolutions.

Yue et al., "TS2Vec: Towards Universal Representation of Time Series", AAAI
2022. A linear layer projects each timestamp's channels to ``hidden_size``;
hidden timestamps (the pretext task's random mask) and missing ones are set
to zero there. Then ``depth`` residual blocks of two dilated convolutions
(kernel 3, dilation ``2**i`` in block ``i``, GELU before each) and a last
block to ``n_outputs`` channels give one state per timestamp, whose receptive
field grows exponentially with depth. Missing timestamps are set to zero
again after every convolution, like the zero padding beyond a series' ends, so a
series' states do not depend on how far it is padded.
"""

import torch.nn.functional as F
from torch import nn

from .sequence import SequenceNetwork


class DilatedConvBlock(nn.Module):
    """``x + conv(gelu(conv(gelu(x))))``, a linear map of the channels on the shortcut when asked.

    Parameters
    ----------
    in_width, out_width : int
        Channels in and out.
    dilation : int
        Dilation of both convolutions; their padding keeps the length.
    project : bool
        Map the shortcut's channels linearly (a 1x1 convolution; needed when the
        widths differ).
    kernel_size : int, default=3
        Odd kernel size of both convolutions.
    """

    def __init__(self, in_width, out_width, dilation, project, kernel_size=3):
        super().__init__()
        padding = (kernel_size - 1) * dilation // 2
        self.conv1 = nn.Conv1d(in_width, out_width, kernel_size, padding=padding, dilation=dilation)
        self.conv2 = nn.Conv1d(
            out_width, out_width, kernel_size, padding=padding, dilation=dilation
        )
        # a 1x1 convolution as a linear layer: a Conv1d of kernel 1 rounds differently
        # with the batch size, so a series' embedding would depend on its batch
        self.project = nn.Linear(in_width, out_width) if project else None

    def forward(self, x, gate=None):
        """``x`` (B, in_width, T) to (B, out_width, T); ``gate`` (B, 1, T) zeroes the
        missing timestamps after each convolution, or None."""
        shortcut = x
        if self.project is not None:
            shortcut = self.project(x.transpose(1, 2)).transpose(1, 2).contiguous()
        h = self.conv1(F.gelu(x))  # (B, out_width, T)
        if gate is not None:
            h = h * gate
        out = shortcut + self.conv2(F.gelu(h))  # (B, out_width, T)
        return out if gate is None else out * gate


class DilatedConvNetwork(SequenceNetwork):
    """TS2Vec's dilated convolutional sequence network, one state per timestamp.

    Parameters
    ----------
    n_channels : int
        Channels of the input series.
    hidden_size : int, default=64
        Width of the projection and of the hidden blocks (the paper's 64).
    n_outputs : int, default=320
        Width of the states (the paper's 320).
    depth : int, default=10
        Hidden residual blocks (the paper's 10); one more maps to ``n_outputs``.
    dropout : float, default=0.1
        Dropout on the states in training (the paper's 0.1).
    """

    step = 1

    def __init__(self, n_channels, hidden_size=64, n_outputs=320, depth=10, dropout=0.1):
        super().__init__()
        self.input_fc = nn.Linear(n_channels, hidden_size)
        widths = [hidden_size] * (depth + 1) + [n_outputs]
        self.blocks = nn.ModuleList(
            DilatedConvBlock(widths[i], widths[i + 1], 2**i, project=i == depth)
            for i in range(depth + 1)
        )
        self.dropout = nn.Dropout(dropout)

    def forward(self, values, observed, hidden=None):
        """States ``(batch, n_timepoints, n_outputs)`` of every timestamp, and
        ``observed`` as the valid ones (see :meth:`SequenceNetwork.forward`);
        hidden timestamps are set to zero after the projection."""
        keep = observed if hidden is None else observed & ~hidden  # (B, T)
        x = self.input_fc(values.transpose(1, 2)) * keep.unsqueeze(-1)  # (B, T, H)
        # contiguous: convolutions of a transposed view round differently with the batch
        x = x.transpose(1, 2).contiguous()  # (B, H, T)
        gate = observed.unsqueeze(1).to(x.dtype)  # (B, 1, T)
        for block in self.blocks:
            x = block(x, gate)  # (B, width, T)
        return self.dropout(x.transpose(1, 2)), observed  # (B, T, n_outputs), (B, T)
