"""Masked-patch reconstruction error, the MAE loss.

He, Chen, Xie, Li, Dollár and Girshick, "Masked Autoencoders Are Scalable
Vision Learners", CVPR 2022. The error is the mean squared error between
predicted and true pixels, averaged over the masked patches only; with
``normalize_target`` each target patch is first normalised by its own mean and
standard deviation, which the paper found to give better representations.
"""


def normalize_patches(patches, eps=1e-6):
    """Standardise every patch by its own pixel mean and variance.

    Parameters
    ----------
    patches : torch.Tensor of shape (batch, n_patches, patch_dim)
    eps : float, default=1e-6
        Added to the variance; the paper's value.

    Returns
    -------
    normalized : torch.Tensor of shape (batch, n_patches, patch_dim)
    """
    mean = patches.mean(dim=-1, keepdim=True)  # (B, N, 1)
    var = patches.var(dim=-1, keepdim=True, unbiased=False)  # (B, N, 1)
    return (patches - mean) / (var + eps).sqrt()


def masked_patch_loss(predicted, target, mask, normalize_target=True):
    """Mean squared error over the pixels of the masked patches.

    Parameters
    ----------
    predicted, target : torch.Tensor of shape (batch, n_patches, patch_dim)
        Predicted and true flattened patches.
    mask : torch.Tensor of shape (batch, n_patches), bool
        True for the patches the encoder did not see; only they are scored.
    normalize_target : bool, default=True
        Score against per-patch normalised pixels (the paper's best setting).

    Returns
    -------
    loss : torch.Tensor of shape ()
    """
    assert predicted.shape == target.shape and predicted.ndim == 3, (predicted.shape, target.shape)
    assert mask.shape == predicted.shape[:2], (mask.shape, predicted.shape)
    target = target.float()
    if normalize_target:
        target = normalize_patches(target)
    per_patch = (predicted.float() - target).pow(2).mean(dim=-1)  # (B, N)
    weights = mask.float()  # (B, N)
    return (per_patch * weights).sum() / weights.sum()
