"""The subword tokenizer: ids, padding, and the same vocabulary in every process."""

import json
import subprocess
import sys

import pytest
import torch

from sklearn_ssl.text import encode, pad_ids, train_tokenizer
from sklearn_ssl.text.tokenizer import CLS_ID, PAD_ID
from tests.text.corpus import make_corpus


def test_pad_ids_and_encode():
    tokenizer = train_tokenizer(["a b c", "a b"], 50, True, 8)
    sequences = encode(tokenizer, ["a b c", ""])
    assert sequences[0][0] == CLS_ID and list(sequences[1]) == [CLS_ID]
    padded = pad_ids(sequences, torch.device("cpu"))
    assert padded.shape == (2, 4) and padded[1, 1:].eq(PAD_ID).all()


@pytest.mark.slow  # a second Python process importing torch: about 10 s on 2 busy cores
def test_tokenizer_is_the_same_in_another_process():
    """The BPE trainer is deterministic across processes (hash seeds differ)."""
    texts = list(make_corpus()[0])
    code = (
        "import sys, json; from sklearn_ssl.text import train_tokenizer; "
        "print(train_tokenizer(json.loads(sys.stdin.read()), 200, True, 16).to_str())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True
    )
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() == train_tokenizer(texts, 200, True, 16).to_str()
