"""Encoder networks: presets per data kind; any torch module is accepted too."""

from .cnn import BasicBlock, ResNet, small_resnet
from .image import ImageEncoder, Normalize, PixelScale
from .mlp import MLP, Standardize, TabularEncoder
from .momentum import MomentumTarget
from .resnet import resnet18_cifar
from .table import TableColumns, embedding_size
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
    "ResNet",
    "Standardize",
    "TableColumns",
    "TabularEncoder",
    "TextTransformer",
    "VisionTransformer",
    "patchify",
    "embedding_size",
    "resnet18_cifar",
    "small_resnet",
]
