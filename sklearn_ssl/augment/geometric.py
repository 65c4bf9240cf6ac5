"""Random resized crops, flips, rotations and elastic warps, one draw per image.

Every image gets its own affine map from output to input coordinates; one
``affine_grid`` + ``grid_sample`` call then resamples the whole batch, so the
cost does not depend on how different the draws are. Coordinates are
normalised to [-1, 1] (``align_corners=False``), x before y, as
:func:`torch.nn.functional.affine_grid` expects.
"""

import math

import torch
import torch.nn.functional as F


def random_affine_theta(
    batch, height, width, crop_scale, ratio, flip, rotation, generator=None, device=None
):
    """Per-image affine maps (output -> input coordinates) of random resized crops.

    A crop covers a fraction of the image area drawn from ``crop_scale`` with
    an aspect ratio drawn log-uniformly from ``ratio`` (Szegedy et al. 2015,
    the crop of SimCLR), at a uniformly random position inside the image; it
    is mirrored left-right with probability 1/2 when ``flip`` and rotated by a
    uniform angle in ``[-rotation, rotation]`` degrees about its centre.

    Parameters
    ----------
    batch, height, width : int
        Number and size of the images.
    crop_scale : tuple of float
        ``(min, max)`` fraction of the image area a crop covers, in (0, 1].
    ratio : tuple of float
        ``(min, max)`` aspect ratio (width / height) of a crop.
    flip : bool
        Mirror half of the crops left-right.
    rotation : float
        Largest rotation, in degrees.
    generator : torch.Generator, optional
        Source of randomness, on ``device``.
    device : torch.device, optional

    Returns
    -------
    theta : torch.Tensor of shape (batch, 2, 3)
    """

    def draw(low, high):
        return low + (high - low) * torch.rand(batch, generator=generator, device=device)

    area = draw(*crop_scale)  # (B,)
    log_ratio = draw(math.log(ratio[0]), math.log(ratio[1]))  # (B,) in pixels
    relative = (log_ratio + math.log(height / width)).exp()  # (B,) in fractions of W and H
    crop_w = (area * relative).sqrt().clamp(max=1.0)  # (B,) fraction of the width
    crop_h = (area / relative).sqrt().clamp(max=1.0)  # (B,) fraction of the height
    centre_x = (1 - crop_w) * draw(-1.0, 1.0)  # (B,) keeps the crop inside the image
    centre_y = (1 - crop_h) * draw(-1.0, 1.0)
    if flip:
        crop_w = crop_w * torch.where(draw(0.0, 1.0) < 0.5, -1.0, 1.0)
    angle = draw(-rotation, rotation) * (math.pi / 180)  # (B,)
    cos, sin = angle.cos(), angle.sin()
    aspect = width / height  # rotate in pixel units, not in normalised ones
    theta = torch.stack(
        [
            torch.stack([cos * crop_w, -sin * crop_h / aspect, centre_x], dim=1),
            torch.stack([sin * crop_w * aspect, cos * crop_h, centre_y], dim=1),
        ],
        dim=1,
    )  # (B, 2, 3)
    return theta


def elastic_displacement(batch, height, width, magnitude, generator=None, device=None):
    """Smooth random displacement fields, in normalised coordinates.

    Displacements with a standard deviation of ``magnitude`` pixels are drawn
    on a 4x4 grid of control points and upsampled bicubically to the image,
    a cheap stand-in for Simard et al.'s (2003) smoothed elastic distortion.

    Returns
    -------
    displacement : torch.Tensor of shape (batch, height, width, 2)
    """
    control = torch.randn(batch, 2, 4, 4, generator=generator, device=device)  # (B, 2, 4, 4)
    field = F.interpolate(control, size=(height, width), mode="bicubic", align_corners=True)
    field[:, 0] *= 2 * magnitude / width  # pixels -> normalised x
    field[:, 1] *= 2 * magnitude / height
    return field.permute(0, 2, 3, 1)  # (B, H, W, 2)


def resample(images, theta, displacement=None):
    """Resample ``images`` (B, C, H, W) through affine maps plus an optional warp.

    Points that fall outside an image read zeros.
    """
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)  # (B, H, W, 2)
    if displacement is not None:
        grid = grid + displacement
    return F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
