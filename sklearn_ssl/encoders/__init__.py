"""Encoder networks: presets per data kind; any torch module is accepted too."""

from .cnn import BasicBlock, ResNet, small_resnet
from .image import ImageEncoder, Normalize, PixelScale
from .mlp import MLP, Standardize, TabularEncoder
from .momentum import MomentumTarget
from .pretrained_text import PretrainedTextEncoder
from .resnet import resnet18_cifar
from .text import TextTransformer
from .transformer import Attention, Block
from .vit import VisionTransformer, patchify

__all__ = [
    "MLP",
    "Attention",
    "BasicBlock",
    "Block",
    "ImageEncoder",
    "MomentumTarget",
    "Normalize",
    "PixelScale",
    "PretrainedTextEncoder",
    "ResNet",
    "Standardize",
    "TabularEncoder",
    "TextTransformer",
    "VisionTransformer",
    "patchify",
    "resnet18_cifar",
    "small_resnet",
]
