"""TextSelfSupervised: a custom text method gets the input rule of strings from the base class."""

import numpy as np
import pytest
from torch import nn

from sklearn_ssl import MaskedLanguageModel
from sklearn_ssl.augment import BertMasking
from sklearn_ssl.base import assign_parameters
from sklearn_ssl.losses import NTXentLoss
from sklearn_ssl.tasks import SiameseTask
from sklearn_ssl.text import TextSelfSupervised
from sklearn_ssl.text.tokenizer import MASK_ID, SPECIAL_TOKENS
from tests.text.corpus import make_corpus


class MeanOfTokens(nn.Module):
    """The mean of a string's token embeddings, padding left out."""

    def __init__(self, n_tokens, width, pad_id):
        super().__init__()
        self.embedding = nn.Embedding(n_tokens, width)
        self.pad_id = pad_id

    def forward(self, ids):  # (B, L) int64
        keep = ids.ne(self.pad_id).unsqueeze(-1).float()  # (B, L, 1)
        return (self.embedding(ids) * keep).sum(1) / keep.sum(1).clamp(min=1)  # (B, width)


class MaskedViews(nn.Module):
    """Two independently masked copies of a batch of token ids."""

    def __init__(self, masking):
        super().__init__()
        self.masking = masking

    def forward(self, ids, generator=None):
        return [self.masking(ids, generator)[0] for _ in range(2)]  # (B, L) each


class BagOfTokens(TextSelfSupervised):
    """A contrastive bag of tokens: the least a text method has to write."""

    def __init__(self, n_components=8, *, vocab_size=200, lowercase=True, max_length=16,
                 max_epochs=2, batch_size=8, lr=1e-2, weight_decay=0.0, optimizer="adamw",
                 device="cpu", data_on_device="auto", precision="auto", random_state=0,
                 verbose=0, callbacks=None, n_iter_no_change=None, tol=1e-4, compile=False,
                 n_jobs=None, score_criterion="rankme"):  # fmt: skip
        assign_parameters(self, locals())

    def _build_encoder(self, X):
        return MeanOfTokens(self.tokenizer_.get_vocab_size(), self.n_components, self._pad_id())

    def _task(self, encoder, width, X):
        n_tokens = self.tokenizer_.get_vocab_size()
        masking = BertMasking(0.3, MASK_ID, len(SPECIAL_TOKENS), n_tokens)
        return SiameseTask(encoder, nn.Linear(width, width), MaskedViews(masking), NTXentLoss())


@pytest.fixture(scope="module")
def texts():
    return make_corpus(n_per_class=12)[0]


def test_a_custom_text_method_trains_and_embeds_strings(texts):
    method = BagOfTokens().fit(list(texts))
    assert method.tokenizer_.get_vocab_size() > len(SPECIAL_TOKENS)
    assert method.n_iter_ == 2
    Z = method.transform(texts[:5])
    assert Z.shape == (5, 8) and Z.dtype == np.float32 and np.isfinite(Z).all()
    assert not hasattr(method, "n_features_in_")
    assert method.__sklearn_tags__().input_tags.string


def test_a_custom_text_method_embeds_a_string_alike_in_any_batch(texts):
    method = BagOfTokens(batch_size=4).fit(texts)
    alone = method.transform(texts[:1])
    np.testing.assert_allclose(method.transform(texts)[:1], alone, rtol=1e-6)


@pytest.mark.parametrize(
    "X, error, match",
    [
        ("a single string", TypeError, "1-D collection of strings"),
        (["fine", None], ValueError, "missing value"),
        (["", "   "], ValueError, "no text to learn from"),
    ],
)
def test_the_input_rule_comes_from_the_base_class(X, error, match):
    with pytest.raises(error, match=match):
        BagOfTokens().fit(X)


def test_the_masked_language_model_is_a_text_method():
    assert issubclass(MaskedLanguageModel, TextSelfSupervised)
