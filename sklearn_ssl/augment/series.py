"""Batched augmentations of series, a separate random draw per series, on the device.

Every function takes a batch ``(batch, n_channels, n_timepoints)`` and a
``generator`` on its device and draws each series' parameters separately.
NaN (a missing value) stays missing. :class:`SeriesAugment` chains them for
view-based methods (e.g. with :class:`~sklearn_ssl.augment.Views`, whose
``scale`` is then the encoder's ``standardize``).

* :func:`jitter`, :func:`scaling`: Gaussian noise, and a random gain per
  series and channel (Um et al. 2017; TS-TCC's weak augmentation, Eldele et
  al. 2021);
* :func:`time_warp`: a smooth random monotone warp of the time axis;
* :func:`random_resized_crop`: a random window, stretched back to full length;
* :func:`random_time_mask`: random timestamps set missing (NaN);
* :func:`overlapping_crops` and :func:`take_windows`: TS2Vec's two
  overlapping crops (Yue et al. 2022).
"""

import torch
from torch import nn


def jitter(x, sigma, generator=None):
    """Add Gaussian noise of standard deviation ``sigma`` to every value.

    Parameters
    ----------
    x : torch.Tensor of shape (batch, n_channels, n_timepoints)
    sigma : float or torch.Tensor broadcastable to ``x``
    generator : torch.Generator, optional

    Returns
    -------
    jittered : torch.Tensor of shape (batch, n_channels, n_timepoints)
    """
    noise = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)
    return x + sigma * noise


def scaling(x, sigma, generator=None):
    """Multiply each series' channels by gains drawn from N(1, sigma**2).

    Returns
    -------
    scaled : torch.Tensor of shape (batch, n_channels, n_timepoints)
    """
    batch, channels, _ = x.shape
    gain = 1 + sigma * torch.randn(batch, channels, 1, generator=generator, device=x.device)
    return x * gain.to(x.dtype)


def resample_series(x, positions):
    """Values of each series at fractional timestamps, by linear interpolation.

    Parameters
    ----------
    x : torch.Tensor of shape (batch, n_channels, n_timepoints)
    positions : torch.Tensor of shape (batch, n_out)
        Timestamps in ``[0, n_timepoints - 1]``, one row per series.

    Returns
    -------
    resampled : torch.Tensor of shape (batch, n_channels, n_out)
    """
    channels, length = x.shape[1], x.shape[2]
    positions = positions.clamp(0, length - 1)
    left = positions.floor().long().clamp(max=length - 1)  # (B, n_out)
    right = (left + 1).clamp(max=length - 1)
    fraction = (positions - left).to(x.dtype).unsqueeze(1)  # (B, 1, n_out)
    at_left = x.gather(2, left.unsqueeze(1).expand(-1, channels, -1))  # (B, C, n_out)
    at_right = x.gather(2, right.unsqueeze(1).expand(-1, channels, -1))
    return at_left + fraction * (at_right - at_left)


def time_warp(x, strength=0.2, n_knots=4, generator=None):
    """Warp each series' time axis smoothly: speeds drawn per segment, same length out.

    The local speed of ``n_knots`` segments is ``exp`` of a normal draw of
    standard deviation ``strength``; the cumulative time is rescaled to span
    the series.

    Returns
    -------
    warped : torch.Tensor of shape (batch, n_channels, n_timepoints)
    """
    batch, _, length = x.shape
    if length < 2:
        return x
    log_speed = strength * torch.randn(batch, 1, n_knots, generator=generator, device=x.device)
    speed = nn.functional.interpolate(
        log_speed.exp(), size=length - 1, mode="linear", align_corners=True
    )[:, 0]  # (B, T - 1)
    elapsed = torch.cat([speed.new_zeros(batch, 1), speed.cumsum(dim=1)], dim=1)  # (B, T)
    positions = elapsed / elapsed[:, -1:] * (length - 1)
    return resample_series(x, positions)


def random_resized_crop(x, scale=(0.5, 1.0), generator=None):
    """A random window of each series (its share of the length drawn in ``scale``), stretched back.

    Returns
    -------
    cropped : torch.Tensor of shape (batch, n_channels, n_timepoints)
    """
    batch, _, length = x.shape
    low, high = scale
    share = low + (high - low) * torch.rand(batch, 1, generator=generator, device=x.device)
    span = share * (length - 1)  # (B, 1)
    start = torch.rand(batch, 1, generator=generator, device=x.device) * (length - 1 - span)
    steps = torch.linspace(0, 1, length, device=x.device)  # (T,)
    return resample_series(x, start + span * steps)


def random_time_mask(x, rate, generator=None):
    """Set a random ``rate`` of each series' timestamps missing (NaN in every channel).

    Returns
    -------
    masked : torch.Tensor of shape (batch, n_channels, n_timepoints)
    """
    batch, _, length = x.shape
    hidden = torch.rand(batch, 1, length, generator=generator, device=x.device) < rate
    return x.masked_fill(hidden, float("nan"))


class SeriesAugment(nn.Module):
    """Random scaling, jitter, time warp, resized crop and timestamp masking, in that order.

    A setting of 0 (or None for ``crop_scale``) turns its augmentation off.
    Values are meant on a standardised scale (unit variance per channel).

    Parameters
    ----------
    jitter : float, default=0.03
        Standard deviation of the added noise.
    scaling : float, default=0.1
        Standard deviation of the gain per series and channel.
    warp : float, default=0.0
        ``strength`` of :func:`time_warp`.
    crop_scale : tuple of float or None, default=None
        ``scale`` of :func:`random_resized_crop`.
    mask_rate : float, default=0.0
        Share of timestamps set missing.
    """

    def __init__(self, jitter=0.03, scaling=0.1, warp=0.0, crop_scale=None, mask_rate=0.0):
        super().__init__()
        self.jitter = jitter
        self.scaling = scaling
        self.warp = warp
        self.crop_scale = crop_scale
        self.mask_rate = mask_rate

    def forward(self, x, generator=None):
        # x (B, C, T)
        if self.scaling:
            x = scaling(x, self.scaling, generator)
        if self.jitter:
            x = jitter(x, self.jitter, generator)
        if self.warp:
            x = time_warp(x, self.warp, generator=generator)
        if self.crop_scale is not None:
            x = random_resized_crop(x, self.crop_scale, generator)
        if self.mask_rate:
            x = random_time_mask(x, self.mask_rate, generator)
        return x  # (B, C, T)


def overlapping_crops(length, batch, min_overlap=2, generator=None, device=None):
    """TS2Vec's contextual-consistency crops: two windows of each series that overlap.

    As in the paper, the overlap length is drawn in ``[min_overlap, length]``
    and placed at random, each window extends it by a random amount to the
    left (window a) or to the right (window b), and the pair is shifted by a
    random offset per series (the same lengths for the whole batch, so that
    the views stack). The four scalar draws are read on the host: they decide
    tensor shapes.

    Parameters
    ----------
    length : int
        Timestamps per series of the batch.
    batch : int
        Series in the batch.
    min_overlap : int, default=2
        Shortest overlap (``2 ** (temporal_unit + 1)`` in TS2Vec); capped at ``length``.
    generator : torch.Generator, optional
    device : torch.device, optional

    Returns
    -------
    start_a : torch.Tensor of shape (batch,), int64
        First timestamp of window a of each series.
    length_a : int
    start_b : torch.Tensor of shape (batch,), int64
    length_b : int
    overlap : int
        The last ``overlap`` timestamps of window a are the first of window b.
    """
    u = torch.rand(4, generator=generator, device=device).tolist()  # one host sync
    low = min(min_overlap, length)
    overlap = low + int(u[0] * (length - low + 1))  # in [low, length]
    left = int(u[1] * (length - overlap + 1))  # overlap is [left, left + overlap)
    right = left + overlap
    extended_left = int(u[2] * (left + 1))  # window a: [extended_left, right)
    extended_right = right + int(u[3] * (length - right + 1))  # window b: [left, extended_right)
    shift = torch.randint(
        -extended_left, length - extended_right + 1, (batch,), generator=generator, device=device
    )  # (B,): both windows stay inside the series
    return (
        shift + extended_left,
        right - extended_left,
        shift + left,
        extended_right - left,
        overlap,
    )


def take_windows(x, start, width):
    """Window ``[start[i], start[i] + width)`` of every series ``i`` along the last axis.

    Parameters
    ----------
    x : torch.Tensor of shape (batch, ..., n_timepoints)
    start : torch.Tensor of shape (batch,), int64
    width : int

    Returns
    -------
    windows : torch.Tensor of shape (batch, ..., width)
    """
    index = start[:, None] + torch.arange(width, device=x.device)  # (B, width)
    index = index.view(len(x), *([1] * (x.ndim - 2)), width).expand(*x.shape[:-1], width)
    return x.gather(-1, index)
