"""MaskedLanguageModel(pretrained=...): tiny random checkpoints loaded the way users load theirs.

Every checkpoint here is written by ``save_pretrained`` to a temporary folder
(tests/text/checkpoints.py) and read back through the estimator: nothing
downloads. The generic tests also run the pretrained case of tests/registry.py.
"""

import os
import pickle
import shutil
import sys

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from sklearn_ssl import FineTunedClassifier, FineTunedRegressor, MaskedLanguageModel, load
from sklearn_ssl.encoders import PretrainedTextEncoder
from sklearn_ssl.text import pretrained as checkpoint_module
from tests.text.checkpoints import (
    HIDDEN,
    MAX_POSITIONS,
    save_checkpoint,
    tiny_bert,
    tiny_tokenizer,
)
from tests.text.corpus import make_corpus

transformers = pytest.importorskip("transformers")

TINY = dict(max_length=24, batch_size=8, device="cpu", random_state=0)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A sentence-encoder checkpoint: a BERT without a masked-LM head."""
    return save_checkpoint(tmp_path_factory.mktemp("ckpt") / "encoder")


@pytest.fixture(scope="module")
def mlm_folder(tmp_path_factory):
    """A BERT with its masked-LM head."""
    return save_checkpoint(tmp_path_factory.mktemp("ckpt") / "masked-lm", mlm_head=True)


@pytest.fixture(scope="module")
def corpus():
    return make_corpus()


def reference_embeddings(folder, texts, max_length=24):
    """Mean-pooled last hidden states, computed with transformers alone."""
    model = transformers.AutoModel.from_pretrained(folder, local_files_only=True).eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder, local_files_only=True)
    batch = tokenizer(
        list(texts), padding=True, truncation=True, max_length=max_length, return_tensors="pt"
    )
    with torch.inference_mode():
        states = model(**batch).last_hidden_state  # (n, L, d)
    keep = batch["attention_mask"][..., None].float()
    return ((states * keep).sum(1) / keep.sum(1)).numpy()


# -- loading and embedding --------------------------------------------------------------


def test_frozen_checkpoint_embeds_as_transformers_does(folder, corpus):
    mlm = MaskedLanguageModel(pretrained=folder, max_epochs=0, **TINY).fit(corpus[0])
    assert mlm.n_iter_ == 0 and mlm.n_components_ == HIDDEN
    assert isinstance(mlm.encoder_, PretrainedTextEncoder)
    Z = mlm.transform(corpus[0])
    assert Z.shape == (len(corpus[0]), HIDDEN) and Z.dtype == np.float32
    np.testing.assert_allclose(Z, reference_embeddings(folder, corpus[0]), atol=1e-5)


def test_cls_pooling_is_the_first_token_state(folder, corpus):
    mlm = MaskedLanguageModel(pretrained=folder, pooling="cls", max_epochs=0, **TINY)
    Z = mlm.fit(corpus[0]).transform(corpus[0][:3])
    model = transformers.AutoModel.from_pretrained(folder, local_files_only=True).eval()
    ids = torch.as_tensor([mlm.tokenizer_.encode(text).ids for text in corpus[0][:1]])
    with torch.inference_mode():
        first = model(input_ids=ids).last_hidden_state[:, 0]
    np.testing.assert_allclose(Z[:1], first.numpy(), atol=1e-5)


def test_the_checkpoints_own_tokenizer_truncating_at_max_length(folder, corpus):
    mlm = MaskedLanguageModel(pretrained=folder, max_epochs=0, **{**TINY, "max_length": 5})
    mlm.fit(corpus[0])
    reference = transformers.AutoTokenizer.from_pretrained(folder, local_files_only=True)
    text = "the film was really quite good and the acting superb"
    assert (
        mlm.tokenizer_.encode(text).ids
        == reference(text, truncation=True, max_length=5)["input_ids"]
    )


def test_embeddings_do_not_depend_on_the_batch_with_padding_not_at_id_0(tmp_path, corpus):
    folder = save_checkpoint(tmp_path / "pad-at-1", pad_first=False)
    mlm = MaskedLanguageModel(pretrained=folder, max_epochs=0, **TINY).fit(corpus[0])
    assert mlm._checkpoint["pad_id"] == 1
    long_and_short = ["the film was really quite good and the acting was superb", "good"]
    together = mlm.transform(long_and_short)
    alone = mlm.transform(long_and_short[1:])
    np.testing.assert_allclose(together[1:], alone, atol=1e-6)
    np.testing.assert_allclose(together, reference_embeddings(folder, long_and_short), atol=1e-5)


def test_a_loaded_model_and_tokenizer_pair_works_like_the_folder(folder, corpus):
    model = transformers.AutoModel.from_pretrained(folder, local_files_only=True)
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder, local_files_only=True)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    from_pair = MaskedLanguageModel(pretrained=(model, tokenizer), max_epochs=0, **TINY)
    from_folder = MaskedLanguageModel(pretrained=folder, max_epochs=0, **TINY)
    np.testing.assert_allclose(
        from_pair.fit(corpus[0]).transform(corpus[0]),
        from_folder.fit(corpus[0]).transform(corpus[0]),
        atol=1e-6,
    )
    MaskedLanguageModel(pretrained=(model, tokenizer), max_epochs=2, **TINY).fit(corpus[0])
    for name, parameter in model.named_parameters():  # the user's model is never modified
        assert torch.equal(parameter, before[name]), name


# -- continued pretraining ------------------------------------------------------------------


def test_auto_defaults_train_a_checkpoint_gently(folder, corpus):
    """lr="auto" and max_epochs="auto" are 2e-5 and one epoch from a checkpoint."""
    frozen = MaskedLanguageModel(pretrained=folder, max_epochs=0, **TINY).fit(corpus[0])
    mlm = MaskedLanguageModel(pretrained=folder, objective="simcse", **TINY).fit(corpus[0])
    assert (mlm.lr_, mlm.max_epochs_, mlm.n_iter_) == (2e-5, 1, 1)
    assert mlm.net_.optimizer_.param_groups[0]["lr"] == 2e-5
    assert not np.allclose(mlm.transform(corpus[0]), frozen.transform(corpus[0]), atol=1e-7)


@pytest.mark.parametrize("objective", ["mlm", "simcse", "mlm+simcse"])
def test_continued_pretraining_lowers_the_loss_and_moves_the_weights(folder, corpus, objective):
    files = {name: os.path.getmtime(os.path.join(folder, name)) for name in os.listdir(folder)}
    frozen = MaskedLanguageModel(pretrained=folder, max_epochs=0, **TINY).fit(corpus[0])
    mlm = MaskedLanguageModel(
        pretrained=folder, objective=objective, max_epochs=8, lr=1e-3, **TINY
    ).fit(corpus[0])
    losses = mlm.history_[:, "train_loss"]
    assert mlm.n_iter_ == 8 and losses[-1] < losses[0]
    assert not np.allclose(mlm.transform(corpus[0]), frozen.transform(corpus[0]), atol=1e-3)
    assert files == {
        name: os.path.getmtime(os.path.join(folder, name)) for name in os.listdir(folder)
    }  # the checkpoint folder is read, never written


def test_a_checkpoints_masked_lm_head_is_used(mlm_folder, corpus):
    mlm = MaskedLanguageModel(pretrained=mlm_folder, objective="mlm", max_epochs=0, **TINY)
    mlm.fit(corpus[0])
    saved = transformers.AutoModelForMaskedLM.from_pretrained(mlm_folder, local_files_only=True)
    head = mlm.net_.module_.predictor
    assert head is not None
    for name, tensor in saved.cls.state_dict().items():
        torch.testing.assert_close(head.state_dict()[name], tensor, msg=name)


def test_a_checkpoint_without_a_head_gets_one_tied_to_its_embeddings(folder, corpus):
    mlm = MaskedLanguageModel(pretrained=folder, objective="mlm", max_epochs=1, **TINY)
    mlm.fit(corpus[0])
    task = mlm.net_.module_
    embedding = mlm.encoder_.model.get_input_embeddings().weight
    tied = [p for p in task.predictor.parameters() if p is embedding]
    assert tied, "the new MLM head's output layer is the token embedding"


def test_masking_spares_the_checkpoints_special_tokens(folder, corpus):
    mlm = MaskedLanguageModel(pretrained=folder, max_epochs=0, mask_rate=0.5, **TINY)
    mlm.fit(corpus[0])
    masking = mlm.net_.module_.masking
    ids = mlm._as_tensor(corpus[0], "cpu")
    special = torch.as_tensor(mlm._checkpoint["special_ids"])
    generator = torch.Generator().manual_seed(0)
    corrupted, positions, valid = masking(ids, generator)
    targets = ids.gather(1, positions)[valid]
    assert not torch.isin(targets, special).any()
    changed = corrupted != ids
    assert changed.any() and not torch.isin(ids[changed], special).any()


def test_random_state_makes_continued_pretraining_reproducible(folder, corpus):
    def fit():
        est = MaskedLanguageModel(pretrained=folder, objective="mlm", max_epochs=2, **TINY)
        return est.fit(corpus[0]).transform(corpus[0])

    np.testing.assert_array_equal(fit(), fit())


def test_partial_fit_continues_from_a_frozen_fit(folder, corpus):
    mlm = MaskedLanguageModel(pretrained=folder, max_epochs=0, **TINY).fit(corpus[0])
    before = mlm.transform(corpus[0])
    mlm.partial_fit(corpus[0])
    assert mlm.n_iter_ == 1 and not np.allclose(mlm.transform(corpus[0]), before)


# -- persistence and model selection ---------------------------------------------------------


def test_save_and_load_without_the_original_folder(tmp_path, corpus):
    folder = save_checkpoint(tmp_path / "gone", mlm_head=True)
    mlm = MaskedLanguageModel(pretrained=folder, objective="mlm", max_epochs=1, **TINY)
    Z = mlm.fit(corpus[0]).transform(corpus[0])
    mlm.save(tmp_path / "model.safetensors")
    shutil.rmtree(folder)
    loaded = load(tmp_path / "model.safetensors")
    np.testing.assert_allclose(loaded.transform(corpus[0]), Z, atol=1e-6)
    assert loaded.tokenizer_.to_str() == mlm.tokenizer_.to_str()
    loaded.partial_fit(corpus[0])  # continues training without the folder
    assert loaded.n_iter_ == 2


def test_save_of_a_loaded_pair_says_it_cannot(folder, corpus, tmp_path):
    model = transformers.AutoModel.from_pretrained(folder, local_files_only=True)
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder, local_files_only=True)
    mlm = MaskedLanguageModel(pretrained=(model, tokenizer), max_epochs=0, **TINY)
    mlm.fit(corpus[0])
    with pytest.raises(TypeError, match="parameter pretrained.*pickle or joblib"):
        mlm.save(tmp_path / "model.safetensors")
    restored = pickle.loads(pickle.dumps(mlm))
    np.testing.assert_array_equal(restored.transform(corpus[0]), mlm.transform(corpus[0]))


def test_save_of_a_path_object(folder, corpus, tmp_path):
    from pathlib import Path

    mlm = MaskedLanguageModel(pretrained=Path(folder), max_epochs=0, **TINY).fit(corpus[0])
    mlm.save(tmp_path / "model.safetensors")
    loaded = load(tmp_path / "model.safetensors")
    assert loaded.pretrained == Path(folder)
    np.testing.assert_allclose(loaded.transform(corpus[0]), mlm.transform(corpus[0]), atol=1e-6)


def test_pickle_and_clone(folder, corpus):
    mlm = MaskedLanguageModel(pretrained=folder, max_epochs=1, **TINY).fit(corpus[0])
    restored = pickle.loads(pickle.dumps(mlm))
    np.testing.assert_array_equal(restored.transform(corpus[0]), mlm.transform(corpus[0]))
    cloned = clone(mlm)
    assert cloned.get_params() == mlm.get_params() and not hasattr(cloned, "net_")


def test_grid_search_over_objective_and_max_epochs(folder, corpus):
    """Frozen (0 epochs) and continued pretraining are one axis of a label-free search."""
    grid = {"objective": ["mlm", "simcse"], "max_epochs": [0, 1]}
    search = GridSearchCV(MaskedLanguageModel(pretrained=folder, **TINY), grid, cv=2)
    search.fit(corpus[0])
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.n_components_ == HIDDEN


# -- fine-tuning ------------------------------------------------------------------------------


def test_fine_tuning_the_whole_transformer_with_unlabeled_rows(folder):
    X, y = make_corpus(n_per_class=24)
    y_partial = np.where(np.arange(len(y)) % 3 == 0, -1, y)  # a third unlabeled
    frozen = MaskedLanguageModel(pretrained=folder, max_epochs=0, **TINY)
    clf = FineTunedClassifier(
        frozen,
        max_epochs=15,
        freeze_epochs=0,
        lr=1e-2,
        encoder_lr_scale=0.1,
        warmup=0.1,
        batch_size=8,
        random_state=0,
        device="cpu",
    ).fit(X, y_partial)
    assert set(clf.classes_) == {0, 1}
    assert clf.score(X, y) >= 0.9
    fitted = clf.estimator_.encoder_.model.get_input_embeddings().weight
    tuned = clf.net_.module_.encoder.model.get_input_embeddings().weight
    assert not torch.equal(fitted, tuned), "the transformer itself was fine-tuned"


def test_auto_settings_from_a_checkpoint_run_setfits_recipe(folder):
    X, y = make_corpus(n_per_class=12)
    frozen = MaskedLanguageModel(pretrained=folder, max_epochs=0, **TINY)
    clf = FineTunedClassifier(frozen, max_epochs=30, random_state=0, device="cpu").fit(X, y)
    assert (clf.freeze_epochs_, clf.batch_size_) == (30, 16)
    assert (clf.contrastive_epochs_, clf.contrastive_lr_) == (1, 2e-5)
    assert len(clf.contrastive_history_) == 1
    fitted = clf.estimator_.encoder_.model.get_input_embeddings().weight
    tuned = clf.net_.module_.encoder.model.get_input_embeddings().weight
    assert not torch.equal(fitted, tuned), "the contrastive step tuned the checkpoint"
    assert clf.score(X, y) > 0.9


def test_fine_tuned_regressor(folder):
    X, y = make_corpus(n_per_class=16)
    frozen = MaskedLanguageModel(pretrained=folder, max_epochs=0, **TINY)
    reg = FineTunedRegressor(
        frozen, max_epochs=10, freeze_epochs=0, batch_size=8, random_state=0, device="cpu"
    ).fit(X, y.astype(float))
    assert reg.score(X, y.astype(float)) > 0.5


# -- bad input -----------------------------------------------------------------------------------


def fit_with(pretrained, corpus, **params):
    return MaskedLanguageModel(pretrained=pretrained, **{**TINY, **params}).fit(corpus[0])


def test_a_missing_folder(tmp_path, corpus):
    with pytest.raises(ValueError, match="does not exist; expected a folder with config.json"):
        fit_with(str(tmp_path / "nowhere"), corpus)


def test_a_file_instead_of_a_folder(folder, corpus):
    with pytest.raises(ValueError, match="is a file, not a folder"):
        fit_with(os.path.join(folder, "config.json"), corpus)


@pytest.mark.parametrize(
    "remove, message",
    [
        (["model.safetensors"], "has no weights \\(model.safetensors or pytorch_model.bin\\)"),
        (["tokenizer.json", "tokenizer_config.json"], "has no tokenizer files"),
        (["config.json"], "has no config.json"),
    ],
)
def test_a_folder_without_a_part(folder, tmp_path, corpus, remove, message):
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    for name in remove:
        (broken / name).unlink()
    with pytest.raises(ValueError, match=message):
        fit_with(str(broken), corpus)


def test_an_image_checkpoint_is_the_wrong_kind(tmp_path, folder, corpus):
    vit_folder = tmp_path / "vit"
    config = transformers.ViTConfig(
        hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32
    )
    vit = transformers.ViTModel(config)
    vit.save_pretrained(vit_folder)
    shutil.copy(os.path.join(folder, "tokenizer.json"), vit_folder)  # even with a tokenizer
    with pytest.raises(ValueError, match="'vit' checkpoint without a token vocabulary"):
        fit_with(str(vit_folder), corpus)
    tokenizer = tiny_tokenizer()
    with pytest.raises(ValueError, match="without a token vocabulary"):
        fit_with((vit, tokenizer), corpus)


def test_a_pair_of_the_wrong_types(corpus):
    with pytest.raises(TypeError, match=r"pretrained\[0\] must be a transformers model"):
        fit_with((torch.nn.Linear(2, 2), tiny_tokenizer()), corpus)
    with pytest.raises(TypeError, match=r"pretrained\[1\] must be the model's fast tokenizer"):
        fit_with((tiny_bert(), "bert-base-uncased"), corpus)
    with pytest.raises(ValueError, match=r"a \(model, tokenizer\) pair"):
        fit_with((tiny_bert(),), corpus)


def test_from_scratch_sizes_with_a_checkpoint(folder, corpus):
    message = "depth=4, n_components=128 describe a model from scratch"
    with pytest.raises(ValueError, match=message):
        fit_with(folder, corpus, n_components=128, depth=4)
    with pytest.raises(ValueError, match="vocab_size=100"):
        fit_with(folder, corpus, vocab_size=100)
    with (
        pytest.warns(FutureWarning, match="`d_model` was renamed `n_components`"),
        pytest.raises(ValueError, match="n_components=128 describe a model from scratch"),
    ):
        fit_with(folder, corpus, d_model=128)


def test_the_deprecated_d_model_at_its_old_default_with_a_checkpoint(folder, corpus):
    """A file saved before the rename holds d_model=64, the default a checkpoint needed."""
    with pytest.warns(FutureWarning, match="`d_model` was renamed `n_components`"):
        mlm = fit_with(folder, corpus, d_model=64, max_epochs=0)
    assert mlm.n_components_ == HIDDEN


def test_max_length_beyond_the_checkpoints_positions(folder, corpus):
    with pytest.raises(ValueError, match=f"exceeds the {MAX_POSITIONS} positions"):
        fit_with(folder, corpus, max_length=MAX_POSITIONS + 1)


def test_hub_names_and_paths_are_told_apart():
    assert checkpoint_module._source("sentence-transformers/all-MiniLM-L6-v2") == (
        "sentence-transformers/all-MiniLM-L6-v2",
        False,
    )
    for path in ["./models/minilm", "~/models/minilm", "/models/minilm", "a/b/c"]:
        with pytest.raises(ValueError, match="does not exist"):
            checkpoint_module._source(path)


def test_a_hub_name_that_cannot_load_says_it_needs_network(monkeypatch, corpus):
    def offline(*args, **kwargs):
        raise OSError("We couldn't connect to 'https://huggingface.co'")

    monkeypatch.setattr(transformers.AutoConfig, "from_pretrained", offline)
    with pytest.raises(ValueError, match="from the Hugging Face hub, which needs network access"):
        fit_with("some-org/some-model", corpus)


def test_without_transformers_the_error_names_the_extra(monkeypatch, folder, corpus):
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(ImportError, match=r"pip install 'sklearn-ssl\[text\]'"):
        fit_with(folder, corpus)


# -- parameter-efficient training ----------------------------------------------------------------


def test_freeze_layers_keeps_the_embeddings_and_lower_layers(folder, corpus):
    mlm = MaskedLanguageModel(
        pretrained=folder, objective="mlm+simcse", freeze_layers=1, max_epochs=2, lr=1e-3, **TINY
    ).fit(corpus[0])
    saved = transformers.AutoModel.from_pretrained(folder, local_files_only=True)
    trained = dict(mlm.encoder_.model.named_parameters())
    for name, parameter in saved.named_parameters():
        if name.startswith("pooler."):
            continue  # unused by mean pooling: never trained
        frozen = name.startswith(("embeddings.", "encoder.layer.0."))
        assert torch.equal(trained[name], parameter) is frozen, name
        assert trained[name].requires_grad is not frozen, name


def test_freeze_layers_bounds(folder, corpus):
    with pytest.raises(ValueError, match="freeze_layers=3 exceeds the 2 layers"):
        fit_with(folder, corpus, freeze_layers=3)
    with pytest.raises(ValueError, match="without pretrained, every layer is new"):
        MaskedLanguageModel(freeze_layers=1, **TINY).fit(corpus[0])
