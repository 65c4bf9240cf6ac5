"""Text: the input rule of strings, tokenizers, batches, and the methods that learn from them."""

from .._engine import LengthBuckets  # the batch plan, shared with the series
from ._base import TextSelfSupervised
from ._mlm import MaskedLanguageModel
from .batches import LengthBucketBatches, trimmed_ids
from .tokenizer import encode, pad_ids, padded_array, train_tokenizer
from .validation import check_strings

__all__ = [
    "LengthBucketBatches",
    "LengthBuckets",
    "MaskedLanguageModel",
    "TextSelfSupervised",
    "check_strings",
    "encode",
    "pad_ids",
    "padded_array",
    "train_tokenizer",
    "trimmed_ids",
]
