"""Building blocks for text: tokenizer, input validation, batches, encoder."""

from .batches import LengthBucketBatches
from .encoder import TextTransformer, TransformerBlock
from .tokenizer import encode, pad_ids, train_tokenizer
from .validation import check_strings

__all__ = [
    "LengthBucketBatches",
    "TextTransformer",
    "TransformerBlock",
    "check_strings",
    "encode",
    "pad_ids",
    "train_tokenizer",
]
