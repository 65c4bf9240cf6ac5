"""FixMatch's unlabeled loss: confident pseudo-labels of one view train another.

Reference: K. Sohn, D. Berthelot, C.-L. Li, Z. Zhang, N. Carlini, E. D. Cubuk,
A. Kurakin, H. Zhang and C. Raffel, "FixMatch: Simplifying Semi-Supervised
Learning with Consistency and Confidence", NeurIPS 2020. The paper's defaults:
threshold 0.95, weight 1, seven unlabeled rows per labeled row.
"""

import torch.nn.functional as F


def pseudo_label_loss(weak_logits, strong_logits, threshold=0.95):
    """Cross-entropy of ``strong_logits`` against the confident argmax of ``weak_logits``.

    Parameters
    ----------
    weak_logits : torch.Tensor of shape (batch, n_classes)
        Predictions on the clean or weakly augmented view; no gradient flows
        through them.
    strong_logits : torch.Tensor of shape (batch, n_classes)
        Predictions on the strongly augmented view of the same rows.
    threshold : float, default=0.95
        A row counts only where the weak view's largest class probability
        reaches it.

    Returns
    -------
    loss : torch.Tensor, scalar
        Mean over all rows of the batch (rows below the threshold add 0).
    """
    assert weak_logits.shape == strong_logits.shape, (weak_logits.shape, strong_logits.shape)
    confidence, pseudo_labels = weak_logits.detach().float().softmax(dim=1).max(dim=1)  # (batch,)
    mask = (confidence >= threshold).float()  # (batch,)
    per_row = F.cross_entropy(strong_logits.float(), pseudo_labels, reduction="none")  # (batch,)
    return (per_row * mask).mean()
