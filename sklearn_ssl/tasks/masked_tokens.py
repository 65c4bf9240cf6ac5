"""Masked-token prediction and a SimCSE-style sentence objective for text.

``objective`` picks the loss:

* ``"mlm"``: masked language modelling (Devlin et al. 2019). The encoder sees
  the masked ids and a tied output layer predicts the original token at each
  target position.
* ``"simcse"``: unsupervised SimCSE (Gao et al. 2021). Each sentence is
  encoded twice, each time independently masked and with its own dropout
  noise; the NT-Xent loss pulls the two sentence vectors (after a projection
  head) together and pushes the other sentences of the batch away (of the
  global batch in a data-parallel fit: ``gather_distributed=True``).
* ``"mlm+simcse"``: both on the same two masked views, summed; the MLM loss is
  the mean over the two views, so it costs no extra forward pass.
"""

import torch
import torch.nn.functional as F

from ..heads.token_predictor import TiedTokenPredictor
from ..losses import nt_xent_loss
from .base import PretextTask


class MaskedTokenTask(PretextTask):
    """Pretext task of :class:`~sklearn_ssl.MaskedLanguageModel`.

    Parameters
    ----------
    encoder : sklearn_ssl.encoders.TextTransformer or PretrainedTextEncoder
        Provides ``token_states(ids)``, ``pool(states, ids)`` and ``tokens``
        (its input embedding).
    masking : torch.nn.Module
        ``masking(ids, generator) -> (corrupted, positions, valid)``.
    objective : {"mlm", "simcse", "mlm+simcse"}
        Which losses to train.
    projector : torch.nn.Module or None
        Projection head of the contrastive loss (unused for ``"mlm"``).
    temperature : float
        Temperature of the contrastive loss.
    predictor : torch.nn.Module or None, default=None
        The MLM head, token states (..., d) to logits (..., n_tokens), e.g. a
        pretrained checkpoint's; None makes a new
        :class:`~sklearn_ssl.heads.TiedTokenPredictor` for ``"mlm"`` objectives.
    """

    def __init__(self, encoder, masking, objective, projector, temperature, predictor=None):
        super().__init__(encoder)
        self.masking = masking
        self.objective = objective
        self.projector = projector
        self.temperature = temperature
        if predictor is None and "mlm" in objective:
            predictor = TiedTokenPredictor(encoder.tokens)
        self.predictor = predictor if "mlm" in objective else None

    def forward(self, ids, generator=None):
        n_views = 1 if self.objective == "mlm" else 2
        views = [self.masking(ids, generator) for _ in range(n_views)]
        corrupted = torch.cat([view[0] for view in views])  # (V * B, L)
        states = self.encoder.token_states(corrupted)  # (V * B, L, d)
        out = {"loss": torch.zeros((), device=ids.device)}
        if self.predictor is not None:
            positions = torch.cat([view[1] for view in views])  # (V * B, S)
            valid = torch.cat([view[2] for view in views])  # (V * B, S)
            targets = ids.repeat(n_views, 1)  # (V * B, L)
            out["mlm_loss"] = self._mlm_loss(states, targets, positions, valid)
            out["loss"] = out["loss"] + out["mlm_loss"]
        if self.projector is not None:
            z = self.projector(self.encoder.pool(states, corrupted))  # (2B, p)
            out["contrastive_loss"] = nt_xent_loss(
                *z.chunk(2), self.temperature, gather_distributed=True
            )
            out["loss"] = out["loss"] + out["contrastive_loss"]
        return out

    def _mlm_loss(self, states, targets, positions, valid):
        """Cross-entropy of the original ids at the target slots only."""
        picked = states.gather(1, positions[..., None].expand(-1, -1, states.shape[-1]))
        logits = self.predictor(picked).float()  # (B, S, n_tokens)
        expected = targets.gather(1, positions)  # (B, S)
        losses = F.cross_entropy(logits.flatten(0, 1), expected.flatten(), reduction="none")
        weights = valid.flatten().float()
        return (losses * weights).sum() / weights.sum().clamp(min=1)
