"""A pretrained Hugging Face ``transformers`` text model as a sentence encoder.

The text counterpart of :class:`~sklearn_ssl.encoders.TextTransformer` for a
checkpoint trained elsewhere: the same ``token_states`` / ``pool`` /
``tokens`` interface, so :class:`~sklearn_ssl.tasks.MaskedTokenTask` trains it
further with the same objectives, and the same pooling, so both embed strings
alike. Padding is left out of attention (the model's ``attention_mask``) and
of mean pooling, so a sentence's vector does not depend on its batch.
"""

from torch import nn

from .text import pool_states


class PretrainedTextEncoder(nn.Module):
    """Map a padded (batch, length) id tensor to one vector per sequence.

    Parameters
    ----------
    model : transformers.PreTrainedModel
        A base model (e.g. ``BertModel``) whose output has
        ``last_hidden_state`` of shape (batch, length, hidden_size).
    pad_id : int
        The tokenizer's padding id; attention and pooling ignore it.
    pooling : {"mean", "cls"}
        Sentence vector: mean of the non-padding token states, or the state of
        the first token (``[CLS]`` in BERT's vocabulary).

    Attributes
    ----------
    model : transformers.PreTrainedModel
        The model; ``model.save_pretrained(folder)`` exports it, with the
        estimator's tokenizer, for use outside this library.
    """

    def __init__(self, model, pad_id, pooling):
        super().__init__()
        self.model = model
        self.pad_id = pad_id
        self.pooling = pooling

    @property
    def tokens(self):
        """The input token embedding (an ``nn.Embedding``)."""
        return self.model.get_input_embeddings()

    def token_states(self, ids):
        """Contextual states of every position: (B, L) ids -> (B, L, d)."""
        attend = (ids != self.pad_id).long()  # (B, L)
        return self.model(input_ids=ids, attention_mask=attend).last_hidden_state

    def pool(self, states, ids):
        """Sentence vectors from token states: (B, L, d) -> (B, d)."""
        return pool_states(states, ids, self.pad_id, self.pooling)

    def forward(self, ids):
        return self.pool(self.token_states(ids), ids)  # (B, d)
