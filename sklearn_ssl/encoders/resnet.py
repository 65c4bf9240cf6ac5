"""ResNet-18 adapted to 32x32 images, the usual CIFAR-10 backbone of SSL papers."""

from .cnn import ResNet


def resnet18_cifar(in_channels, n_outputs):
    """ResNet-18 with a 3x3 stem and no max-pool (He et al. 2016, CIFAR variant).

    Stages of two basic blocks with widths 64-128-256-512; the ImageNet stem
    (7x7 stride-2 convolution and max-pool) is replaced by one 3x3 convolution,
    as in the CIFAR-10 experiments of SimCLR (Chen et al. 2020). 11.2 M parameters.

    Parameters
    ----------
    in_channels : int
        Channels of the input images.
    n_outputs : int
        Width of the embeddings; 512 gives the pooled features themselves.

    Returns
    -------
    encoder : ResNet
    """
    return ResNet(in_channels, widths=(64, 128, 256, 512), blocks=(2, 2, 2, 2), n_outputs=n_outputs)
