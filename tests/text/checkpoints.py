"""Tiny random Hugging Face checkpoints, written with ``save_pretrained``: nothing downloads.

A 2-layer BERT (width 16) and its WordPiece tokenizer, saved to a folder the
way users get one, so the tests load them through the code users hit.
``transformers`` must be installed (the ``dev`` extra has it).
"""

import atexit
import shutil
import tempfile
from pathlib import Path

from tests.registry import WORDS
from tests.text.corpus import BAD, FILLER, GOOD

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
VOCABULARY = sorted(set(WORDS) | set(GOOD) | set(BAD) | set(FILLER)) + ["##s", "##ed"]
HIDDEN = 16
MAX_POSITIONS = 32


def tiny_tokenizer(pad_first=True):
    """A BERT-style fast tokenizer over :data:`VOCABULARY`.

    ``pad_first=False`` puts ``[PAD]`` at id 1 (as RoBERTa's ``<pad>``), to
    show that nothing assumes padding at id 0.
    """
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    specials = SPECIALS if pad_first else [SPECIALS[1], SPECIALS[0], *SPECIALS[2:]]
    vocab = {token: i for i, token in enumerate(specials + VOCABULARY)}
    backend = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    backend.normalizer = normalizers.BertNormalizer(lowercase=True)
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    backend.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=backend,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )


def tiny_bert(mlm_head=False, pad_id=0, seed=0):
    """A random 2-layer BERT, with a masked-LM head or without (a sentence encoder)."""
    import torch
    from transformers import BertConfig, BertForMaskedLM, BertModel

    config = BertConfig(
        vocab_size=len(SPECIALS) + len(VOCABULARY),
        hidden_size=HIDDEN,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=MAX_POSITIONS,
        pad_token_id=pad_id,
    )
    torch.manual_seed(seed)
    return (BertForMaskedLM if mlm_head else BertModel)(config).eval()


def save_checkpoint(folder, mlm_head=False, pad_first=True):
    """Write a tiny checkpoint (config, safetensors weights, tokenizer) to ``folder``."""
    tokenizer = tiny_tokenizer(pad_first)
    tiny_bert(mlm_head, pad_id=tokenizer.pad_token_id).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


_SHARED = {}


def shared_checkpoint():
    """One tiny checkpoint folder per test process (for the registry's case), removed at exit."""
    if "folder" not in _SHARED:
        root = Path(tempfile.mkdtemp(prefix="sklearn-ssl-tiny-bert-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        _SHARED["folder"] = save_checkpoint(root / "tiny-bert")
    return _SHARED["folder"]
