"""Encoder networks: presets per data kind; any torch module is accepted too."""

from .cnn import BasicBlock, ResNet, small_resnet
from .image import ImageEncoder, Normalize, PixelScale
from .mlp import MLP, Standardize, TabularEncoder
from .resnet import resnet18_cifar
from .vit import VisionTransformer, patchify

__all__ = [
    "MLP",
    "BasicBlock",
    "ImageEncoder",
    "Normalize",
    "PixelScale",
    "ResNet",
    "Standardize",
    "TabularEncoder",
    "VisionTransformer",
    "patchify",
    "resnet18_cifar",
    "small_resnet",
]
