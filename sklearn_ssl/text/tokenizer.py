"""A subword tokenizer learned from the training strings, and padded id batches.

The tokenizer is a Hugging Face ``tokenizers`` byte-pair encoding (BPE,
Sennrich et al. 2016) trained on the fit data, with BERT's normaliser and
pre-tokeniser (Devlin et al. 2019) and a ``[CLS]`` token in front of every
sequence. BPE rather than WordPiece because the WordPiece trainer of
``tokenizers`` breaks frequency ties in hash order, so its vocabulary changes
from one process to the next; the BPE trainer's does not, which keeps
``random_state`` reproducible. Nothing is downloaded.
"""

import numpy as np
import torch

#: Special tokens, at ids 0..3: padding, unknown, sequence start, mask.
PAD, UNK, CLS, MASK = "[PAD]", "[UNK]", "[CLS]", "[MASK]"
SPECIAL_TOKENS = [PAD, UNK, CLS, MASK]
PAD_ID, UNK_ID, CLS_ID, MASK_ID = range(len(SPECIAL_TOKENS))


def train_tokenizer(texts, vocab_size, lowercase, max_length):
    """Learn a BPE vocabulary of at most ``vocab_size`` tokens from ``texts``.

    Parameters
    ----------
    texts : sequence of str
        The training strings.
    vocab_size : int
        Largest vocabulary, special tokens included; small corpora give fewer.
    lowercase : bool
        Lowercase and strip accents before tokenising.
    max_length : int
        Encodings are truncated to this many ids, ``[CLS]`` included.

    Returns
    -------
    tokenizer : tokenizers.Tokenizer
        Picklable; ``encode_batch`` gives ``[CLS]`` plus subword ids.
    """
    try:  # an optional dependency: the "text" extra
        from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    except ImportError as exc:
        raise ImportError(
            "MaskedLanguageModel needs the 'tokenizers' package: "
            "pip install 'sklearn-ssl[text]' (or pip install tokenizers)."
        ) from exc
    tokenizer = Tokenizer(models.BPE(unk_token=UNK))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=lowercase)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS, show_progress=False
    )
    tokenizer.train_from_iterator(texts, trainer, length=len(texts))
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{CLS} $A", special_tokens=[(CLS, CLS_ID)]
    )
    tokenizer.enable_truncation(max_length)
    return tokenizer


def encode(tokenizer, texts):
    """Token ids of each string: a list of 1-D int64 arrays, ``[CLS]`` first."""
    return [np.asarray(e.ids, dtype=np.int64) for e in tokenizer.encode_batch(list(texts))]


def padded_array(sequences, pad_id=PAD_ID):
    """Stack id arrays into a ``pad_id``-padded (n, longest) int64 array."""
    lengths = [len(seq) for seq in sequences]
    padded = np.full((len(sequences), max(lengths)), pad_id, dtype=np.int64)  # (n, L)
    for row, seq in enumerate(sequences):
        padded[row, : len(seq)] = seq
    return padded


def pad_ids(sequences, device, pad_id=PAD_ID):
    """Stack id arrays into a ``pad_id``-padded (n, longest) int64 tensor on ``device``."""
    return torch.from_numpy(padded_array(sequences, pad_id)).to(device)
