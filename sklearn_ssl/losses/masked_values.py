"""Reconstruction error over the hidden, observed values of a series.

The masked-series autoencoder scores only values the encoder did not see and
that exist (missing values and padding have no target).
"""


def masked_value_loss(predicted, target, weight):
    """Mean squared error over the values of weight 1.

    Parameters
    ----------
    predicted, target : torch.Tensor of shape (batch, n_steps, step_dim)
    weight : torch.Tensor of shape (batch, n_steps, step_dim)
        1 for a scored value, 0 otherwise.

    Returns
    -------
    loss : torch.Tensor of shape ()
        0 when no value is scored.
    """
    assert predicted.shape == target.shape == weight.shape, (predicted.shape, target.shape)
    squared = (predicted.float() - target.float()).pow(2) * weight  # (B, L, S)
    return squared.sum() / weight.sum().clamp(min=1)
