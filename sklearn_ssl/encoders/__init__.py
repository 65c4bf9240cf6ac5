"""Encoder networks: presets per data kind; any torch module is accepted too."""

from .cnn import BasicBlock, ResNet, small_resnet
from .dilated_cnn import DilatedConvBlock, DilatedConvNetwork
from .image import ImageEncoder, Normalize, PixelScale
from .mlp import MLP, Standardize, TabularEncoder
from .momentum import MomentumTarget
from .patch_transformer import PatchTransformerNetwork, patchify_series
from .pretrained_text import PretrainedTextEncoder
from .resnet import resnet18_cifar
from .sequence import SequenceNetwork
from .series import ChannelStandardize, SeriesEncoder, pool_states
from .table import TableColumns, embedding_size
from .text import TextTransformer
from .transformer import Attention, Block
from .vit import VisionTransformer, patchify

__all__ = [
    "MLP",
    "Attention",
    "BasicBlock",
    "Block",
    "ChannelStandardize",
    "DilatedConvBlock",
    "DilatedConvNetwork",
    "ImageEncoder",
    "MomentumTarget",
    "Normalize",
    "PatchTransformerNetwork",
    "PixelScale",
    "PretrainedTextEncoder",
    "ResNet",
    "SequenceNetwork",
    "SeriesEncoder",
    "Standardize",
    "TableColumns",
    "TabularEncoder",
    "TextTransformer",
    "VisionTransformer",
    "patchify",
    "embedding_size",
    "patchify_series",
    "pool_states",
    "resnet18_cifar",
    "small_resnet",
]
