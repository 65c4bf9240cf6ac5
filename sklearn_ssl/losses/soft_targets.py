"""The distillation loss of SimCLRv2: a student matches a teacher's tempered probabilities.

References: G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a
Neural Network", 2015; T. Chen, S. Kornblith, K. Swersky, M. Norouzi and
G. Hinton, "Big Self-Supervised Models are Strong Semi-Supervised Learners",
NeurIPS 2020 (SimCLRv2: distil the fine-tuned network into a student on all
unlabeled rows; temperature 1 worked best there).
"""

import torch
from torch import nn


def soft_target_cross_entropy(logits, target_probabilities, temperature=1.0):
    """Cross-entropy of ``softmax(logits / temperature)`` against given probabilities.

    Parameters
    ----------
    logits : torch.Tensor of shape (batch, n_classes)
        The student's outputs.
    target_probabilities : torch.Tensor of shape (batch, n_classes)
        The teacher's ``softmax(logits / temperature)`` (or one-hot labels);
        rows sum to 1.
    temperature : float, default=1.0
        Softens the student's distribution as the teacher's was softened.

    Returns
    -------
    loss : torch.Tensor, scalar
        Mean over the batch, scaled by ``temperature ** 2`` so that gradients
        keep their size across temperatures (Hinton et al. 2015).
    """
    assert logits.shape == target_probabilities.shape, (logits.shape, target_probabilities.shape)
    log_probabilities = torch.log_softmax(logits.float() / temperature, dim=1)  # (batch, C)
    per_row = -(target_probabilities * log_probabilities).sum(dim=1)  # (batch,)
    return per_row.mean() * temperature**2


class SoftTargetCrossEntropy(nn.Module):
    """Module form of :func:`soft_target_cross_entropy`.

    Parameters
    ----------
    temperature : float, default=1.0
        See :func:`soft_target_cross_entropy`.
    """

    def __init__(self, temperature=1.0):
        super().__init__()
        self.temperature = temperature

    def forward(self, logits, target_probabilities):
        return soft_target_cross_entropy(logits, target_probabilities, self.temperature)
