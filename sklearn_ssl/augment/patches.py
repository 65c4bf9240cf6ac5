"""Random patch masks, a separate draw per image (masked image modelling).

He et al. (2022) hide a random ``mask_ratio`` of each image's patches; the
encoder sees only the visible ones.
"""

import torch


def n_masked_patches(n_patches, mask_ratio):
    """How many of ``n_patches`` to mask: ``round(mask_ratio * n_patches)``.

    At least one patch is masked and at least one stays visible.

    Raises
    ------
    ValueError
        If there are fewer than two patches, so that nothing can be both hidden and shown.
    """
    if n_patches < 2:
        raise ValueError(
            f"Masked autoencoding needs at least 2 patches per image, got {n_patches}; "
            "use a smaller patch_size."
        )
    return min(max(round(mask_ratio * n_patches), 1), n_patches - 1)


def random_patch_mask(batch, n_patches, mask_ratio, generator=None, device=None):
    """Choose, independently for every image, which patches to hide.

    Parameters
    ----------
    batch, n_patches : int
        Images in the batch and patches per image.
    mask_ratio : float
        Fraction of each image's patches to mask (see :func:`n_masked_patches`).
    generator : torch.Generator, optional
        Source of randomness, on ``device``.
    device : torch.device, optional
        Where the indices are made.

    Returns
    -------
    visible : torch.Tensor of shape (batch, n_visible), int64
        Indices of the visible patches of each image, in increasing order.
    mask : torch.Tensor of shape (batch, n_patches), bool
        True for the masked patches.
    """
    n_visible = n_patches - n_masked_patches(n_patches, mask_ratio)
    noise = torch.rand(batch, n_patches, generator=generator, device=device)  # (B, N)
    visible = noise.argsort(dim=1)[:, :n_visible].sort(dim=1).values  # (B, n_visible)
    mask = torch.ones(batch, n_patches, dtype=torch.bool, device=device)  # (B, N)
    mask.scatter_(1, visible, False)
    return visible, mask
