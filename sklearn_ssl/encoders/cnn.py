"""Residual convolutional networks for small images (8x8 to 64x64 pixels)."""

from torch import nn


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with batch normalisation and a residual shortcut.

    The block of He, Zhang, Ren and Sun, "Deep Residual Learning for Image
    Recognition", CVPR 2016; a 1x1 convolution adapts the shortcut when the
    width or the resolution changes.

    Parameters
    ----------
    n_inputs, n_outputs : int
        Input and output channels.
    stride : int
        Stride of the first convolution (2 halves the resolution).
    """

    def __init__(self, n_inputs, n_outputs, stride):
        super().__init__()
        self.residual = nn.Sequential(
            nn.Conv2d(n_inputs, n_outputs, 3, stride, padding=1, bias=False),
            nn.BatchNorm2d(n_outputs),
            nn.ReLU(inplace=True),
            nn.Conv2d(n_outputs, n_outputs, 3, padding=1, bias=False),
            nn.BatchNorm2d(n_outputs),
        )
        self.shortcut = nn.Identity()
        if stride != 1 or n_inputs != n_outputs:
            self.shortcut = nn.Sequential(
                nn.Conv2d(n_inputs, n_outputs, 1, stride, bias=False), nn.BatchNorm2d(n_outputs)
            )
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(self.residual(x) + self.shortcut(x))  # (B, n_outputs, H', W')


class ResNet(nn.Module):
    """A 3x3 stem, stages of basic blocks, global average pooling.

    The first stage keeps the resolution and every later stage halves it; there
    is no max-pool, so 8x8 images still reach the last stage with spatial
    extent. The pooled features are the output, through a linear layer when
    ``n_outputs`` differs from the last stage's width.

    Parameters
    ----------
    in_channels : int
        Channels of the input images.
    widths : sequence of int
        Channels of each stage.
    blocks : sequence of int
        Basic blocks in each stage.
    n_outputs : int
        Width of the output.
    """

    def __init__(self, in_channels, widths, blocks, n_outputs):
        super().__init__()
        layers = [
            nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False),
            nn.BatchNorm2d(widths[0]),
            nn.ReLU(inplace=True),
        ]
        width = widths[0]
        for stage, (stage_width, n_blocks) in enumerate(zip(widths, blocks, strict=True)):
            for block in range(n_blocks):
                stride = 2 if stage > 0 and block == 0 else 1
                layers.append(BasicBlock(width, stage_width, stride))
                width = stage_width
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        self.features = nn.Sequential(*layers)
        self.head = nn.Identity() if n_outputs == width else nn.Linear(width, n_outputs)

    def forward(self, x):
        return self.head(self.features(x))  # (B, n_outputs)


def small_resnet(in_channels, n_outputs):
    """The default image encoder: one basic block per stage, widths 32-64-128.

    About 0.3 M parameters: quick on a CPU for 8x8 digits and still useful up
    to 64x64 images.

    Parameters
    ----------
    in_channels : int
        Channels of the input images.
    n_outputs : int
        Width of the embeddings.

    Returns
    -------
    encoder : ResNet
    """
    return ResNet(in_channels, widths=(32, 64, 128), blocks=(1, 1, 1), n_outputs=n_outputs)
