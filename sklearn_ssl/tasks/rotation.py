"""Rotation prediction: which of four right-angle rotations was applied?

Gidaris, Singh and Komodakis, "Unsupervised Representation Learning by
Predicting Image Rotations" (RotNet), ICLR 2018. Every image is shown in all
four rotations (0, 90, 180 and 270 degrees) in the same batch, which the paper
found better than one random rotation per image, and a head on the encoder
classifies the rotation. Recognising "upright" needs the object's shape, so
the encoder learns features that describe it.
"""

import torch
import torch.nn.functional as F

from .base import PretextTask

#: Number of rotation classes: 0, 90, 180 and 270 degrees.
N_ROTATIONS = 4


def rotate_all(images):
    """The four right-angle rotations of every image, grouped by shape.

    Parameters
    ----------
    images : torch.Tensor of shape (batch, channels, height, width)
        Any dtype (uint8 is fine).

    Returns
    -------
    groups : list of (torch.Tensor, torch.Tensor)
        ``(rotated, labels)`` pairs; ``rotated`` is (n, channels, h, w) and
        ``labels`` (n,) holds ``k`` for a rotation by ``k * 90`` degrees
        counter-clockwise. Square images give one group of 4 * batch images;
        other images give two, because a quarter turn swaps height and width.
    """
    batch = len(images)
    rotations = [images.rot90(k, dims=(-2, -1)) for k in range(N_ROTATIONS)]
    labels = [
        torch.full((batch,), k, dtype=torch.long, device=images.device) for k in range(N_ROTATIONS)
    ]
    if images.shape[-2] == images.shape[-1]:
        keys = [range(N_ROTATIONS)]
    else:
        keys = [(0, 2), (1, 3)]  # upright shape, then the transposed shape
    return [
        (torch.cat([rotations[k] for k in ks]), torch.cat([labels[k] for k in ks])) for ks in keys
    ]  # (len(ks) * B, C, h, w), (len(ks) * B,)


class RotationTask(PretextTask):
    """RotNet's pretext task on a batch of images.

    Parameters
    ----------
    encoder : torch.nn.Module
        Maps a batch of images (batch, channels, h, w) to embeddings
        (batch, n_components); for non-square images it must accept both
        orientations (e.g. a CNN with global pooling).
    head : torch.nn.Module
        Maps embeddings to 4 rotation logits.
    augment : torch.nn.Module or None, default=None
        ``augment(X, generator) -> images`` applied to the batch before
        rotating it; None rotates the batch as it is.
    view_encoder : torch.nn.Module or None, default=None
        Embeds the rotated images; None means ``encoder``. Image methods that
        augment pixels already scaled to [0, 1] pass ``encoder.network`` here.
    """

    def __init__(self, encoder, head, augment=None, view_encoder=None):
        super().__init__(encoder)
        self.head = head
        self.augment = augment
        self.view_encoder = encoder if view_encoder is None else view_encoder

    def forward(self, X, generator=None):
        if self.augment is not None:
            X = self.augment(X, generator)  # (B, C, H, W)
        loss = torch.zeros((), device=X.device)
        correct = torch.zeros((), device=X.device)
        total = 0
        for rotated, labels in rotate_all(X):
            logits = self.head(self.view_encoder(rotated)).float()  # (n, 4)
            loss = loss + F.cross_entropy(logits, labels, reduction="sum")
            correct = correct + (logits.argmax(dim=1) == labels).sum()
            total += len(labels)
        return {"loss": loss / total, "accuracy": correct / total}
