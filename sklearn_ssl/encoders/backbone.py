"""Pretrained image classification models (torchvision, timm) as encoders.

A classification model as users build it, with their weights, ends in a
classifier. :func:`headless` drops it, so the model returns its pooled
features, and the input layers (:class:`Resize`, :class:`RepeatChannels`, the
normalisation) give it images as it was trained on: its input size, three
channels, ImageNet's (or timm's configured) mean and standard deviation.
Neither library is imported: models are recognised by the module that
defines their class, or by timm's ``reset_classifier`` method.
"""

import torch.nn.functional as F
from torch import nn

#: Libraries whose models are classification models with a classifier to drop.
BACKBONE_LIBRARIES = ("torchvision", "timm")

#: Classifier attributes of torchvision models (and of timm's, which also
#: have ``reset_classifier``): ResNet ``fc``, VGG / DenseNet / EfficientNet /
#: MobileNet / ConvNeXt ``classifier``, Swin ``head``, ViT ``heads``.
CLASSIFIER_NAMES = ("fc", "classifier", "head", "heads")

#: ImageNet's per-channel mean and standard deviation, in [0, 1] pixel units.
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def is_classification_backbone(module):
    """Whether ``module`` is a torchvision or timm model (or has timm's
    ``reset_classifier``), whose classifier :func:`headless` drops."""
    library = type(module).__module__.split(".")[0]
    return library in BACKBONE_LIBRARIES or callable(getattr(module, "reset_classifier", None))


def headless(model):
    """``model`` without its classifier, in place: it then returns pooled features.

    timm models reset their classifier to none (``reset_classifier(0)``); other
    models have the last linear layer of their ``fc``, ``classifier``,
    ``head`` or ``heads`` replaced by an identity, which keeps what comes
    before it (VGG's hidden layers, ConvNeXt's final norm). A model whose
    classifier is gone already is returned as it is.

    Parameters
    ----------
    model : torch.nn.Module
        A classification model.

    Returns
    -------
    model : torch.nn.Module
        The same module, changed.
    """
    if callable(getattr(model, "reset_classifier", None)):
        model.reset_classifier(0)
        return model
    for name in CLASSIFIER_NAMES:
        layer = getattr(model, name, None)
        if isinstance(layer, nn.Linear):
            setattr(model, name, nn.Identity())
            return model
        if isinstance(layer, nn.Module):
            linears = [child for child in layer.named_modules() if isinstance(child[1], nn.Linear)]
            if linears:
                _replace(layer, linears[-1][0], nn.Identity())
                return model
    return model


def input_channels(model):
    """Channels the first convolution (or patch embedding) of ``model`` takes, or None."""
    for module in model.modules():
        if isinstance(module, nn.Conv1d | nn.Conv2d | nn.Conv3d):
            return module.in_channels
    return None


def backbone_statistics(model):
    """``(mean, std)`` the model was trained with: timm's configured values, else ImageNet's."""
    config = getattr(model, "pretrained_cfg", None) or getattr(model, "default_cfg", None) or {}
    if "mean" in config and "std" in config:
        return tuple(config["mean"]), tuple(config["std"])
    return IMAGENET_MEAN, IMAGENET_STD


class Resize(nn.Module):
    """Resize a batch of images (bilinear, antialiased when shrinking).

    Parameters
    ----------
    size : tuple of int
        ``(height, width)`` of the output.
    """

    def __init__(self, size):
        super().__init__()
        self.size = tuple(int(side) for side in size)

    def forward(self, x):
        if tuple(x.shape[-2:]) == self.size:
            return x
        return F.interpolate(x, self.size, mode="bilinear", antialias=True)  # (B, C, *size)


class RepeatChannels(nn.Module):
    """Repeat a one-channel batch of images to ``channels`` channels (gray to RGB).

    Parameters
    ----------
    channels : int
        Channels of the output.
    """

    def __init__(self, channels):
        super().__init__()
        self.channels = channels

    def forward(self, x):
        return x.expand(-1, self.channels, -1, -1)  # (B, 1, H, W) -> (B, channels, H, W)


def _replace(module, dotted_name, new):
    parent_name, _, child = dotted_name.rpartition(".")
    parent = module.get_submodule(parent_name) if parent_name else module
    setattr(parent, child, new)
