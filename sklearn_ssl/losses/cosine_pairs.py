"""The pair loss of SetFit's contrastive fine-tuning: cosine similarity regressed on 1 or 0.

References: N. Reimers and I. Gurevych, "Sentence-BERT", EMNLP 2019 (the
cosine-similarity loss); L. Tunstall et al., "Efficient Few-Shot Learning
Without Prompts", 2022 (SetFit: pairs of labeled sentences, same class 1,
different class 0, 20 rounds, batch 16, body learning rate 2e-5, 1 epoch).
"""

import torch
import torch.nn.functional as F


def cosine_similarity_loss(first, second, same):
    """Mean squared error between the pairs' cosine similarity and 1 (same class) or 0.

    Parameters
    ----------
    first, second : torch.Tensor of shape (batch, n_components)
        Embeddings of the two rows of each pair.
    same : torch.Tensor of shape (batch,)
        1.0 where the pair shares its class, 0.0 where it does not.

    Returns
    -------
    loss : torch.Tensor, scalar
    """
    assert first.shape == second.shape and same.shape == first.shape[:1], (
        first.shape,
        second.shape,
        same.shape,
    )
    cosine = F.cosine_similarity(first.float(), second.float(), dim=1)  # (batch,)
    return F.mse_loss(cosine, same.to(torch.float32))
