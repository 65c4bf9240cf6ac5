"""The interface of the series methods' sequence networks."""

from torch import nn


class SequenceNetwork(nn.Module):
    """Base of a series method's network: one state per step of every series.

    A step is ``step`` consecutive timestamps: 1 for a network with a state
    per timestamp (:class:`DilatedConvNetwork`, the one
    :class:`~sklearn_ssl.TS2Vec` needs), the patch length for one with a
    state per patch (:class:`PatchTransformerNetwork`). Subclass it, set
    ``step`` and implement :meth:`forward` to pass your own network as the
    ``encoder`` of a series method; :class:`SeriesEncoder` standardises the
    raw series before it and pools its states after it.
    """

    #: Timestamps per state.
    step = 1

    def forward(self, values, observed, hidden=None):
        """States of every step.

        Parameters
        ----------
        values : torch.Tensor of shape (batch, n_channels, n_timepoints)
            Standardised values, zero where missing.
        observed : torch.Tensor of shape (batch, n_timepoints), bool
            The timestamps that hold values.
        hidden : torch.Tensor of shape (batch, n_timepoints), bool, optional
            Timestamps that the pretext task hides from the network.

        Returns
        -------
        states : torch.Tensor of shape (batch, n_steps, width)
        valid : torch.Tensor of shape (batch, n_steps), bool
            The steps with at least one observed timestamp; pooling reads only these.
        """
        raise NotImplementedError(f"{type(self).__name__} defines no forward.")
