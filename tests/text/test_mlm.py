"""MaskedLanguageModel on strings: the estimator-check equivalents, training, bad input.

scikit-learn's ``parametrize_with_checks`` feeds 2-D numeric arrays, which a
text estimator must refuse, so the checks that carry over are written here
for string input (see docs/user_guide/text.rst).
"""

import copy
import json
import pickle
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_checks

from sklearn_ssl import MaskedLanguageModel, load
from sklearn_ssl.losses import nt_xent_loss
from sklearn_ssl.tasks import masked_tokens
from sklearn_ssl.text.tokenizer import PAD_ID
from tests.text.corpus import FILLER, make_corpus

TINY = dict(
    n_components=16,
    n_heads=2,
    depth=1,
    vocab_size=200,
    max_length=16,
    max_epochs=1,
    batch_size=8,
    device="cpu",
    random_state=0,
)


@pytest.fixture(scope="module")
def corpus():
    return make_corpus()


@pytest.fixture(scope="module")
def fitted(corpus):
    return MaskedLanguageModel(**TINY).fit(corpus[0])


# -- the estimator-check equivalents ------------------------------------------

DATA_FREE_CHECKS = [
    "check_estimator_cloneable",
    "check_estimator_repr",
    "check_no_attributes_set_in_init",
    "check_parameters_default_constructible",
    "check_get_params_invariance",
    "check_set_params",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_estimator_tags_renamed",
    "check_valid_tag_types",
]


@pytest.mark.parametrize("check", DATA_FREE_CHECKS)
def test_standard_checks_that_need_no_data(check):
    """sklearn's own checks that never feed data apply unchanged."""
    getattr(estimator_checks, check)("MaskedLanguageModel", MaskedLanguageModel(**TINY))


def test_fit_leaves_params_and_transform_leaves_state_unchanged(corpus):
    est = MaskedLanguageModel(**TINY)
    params = clone(est).get_params()
    est.fit(corpus[0])
    assert est.get_params() == params  # check_estimators_overwrite_params
    state = {k: v for k, v in est.__dict__.items() if k != "net_"}
    est.transform(corpus[0])
    assert {k: v for k, v in est.__dict__.items() if k != "net_"}.keys() == state.keys()
    assert all(est.__dict__[k] is v for k, v in state.items())  # check_dict_unchanged


def test_clone_and_params():
    est = MaskedLanguageModel(mask_rate=0.2, objective="mlm", **TINY)
    params = est.get_params()
    assert params["mask_rate"] == 0.2 and params["objective"] == "mlm"
    for name in ["vocab_size", "max_length", "depth", "n_components", "n_heads", "pooling"]:
        assert name in params
    assert "encoder" not in params
    cloned = clone(est)
    assert cloned is not est and cloned.get_params() == params
    assert est.set_params(mask_rate=0.3) is est and est.mask_rate == 0.3


def test_fit_returns_self_and_fitted_attributes(corpus):
    est = MaskedLanguageModel(**TINY)
    assert est.fit(corpus[0]) is est
    assert est.n_components_ == 16 and est.n_iter_ == 1
    assert est.tokenizer_.get_vocab_size() <= 200


def test_auto_training_defaults_from_scratch(corpus):
    params = {key: value for key, value in TINY.items() if key != "max_epochs"}
    est = MaskedLanguageModel(**params).fit(corpus[0][:16])
    assert (est.lr_, est.max_epochs_, est.n_iter_) == (1e-3, 20, 20)
    assert est.net_.optimizer_.param_groups[0]["lr"] == 1e-3
    explicit = MaskedLanguageModel(**{**TINY, "lr": 3e-3}).fit(corpus[0][:16])
    assert (explicit.lr_, explicit.max_epochs_) == (3e-3, 1)


def test_no_n_features_in(corpus):
    """Like TfidfVectorizer: one document per sample, no feature count or names."""
    frame = pd.DataFrame({"review": corpus[0]})
    for X in [corpus[0], frame]:
        est = MaskedLanguageModel(**TINY).fit(X)
        assert not hasattr(est, "n_features_in_")
        assert not hasattr(est, "feature_names_in_")


def test_not_fitted_error(corpus):
    with pytest.raises(NotFittedError):
        MaskedLanguageModel(**TINY).transform(corpus[0])


def test_transform_shape_dtype_and_determinism(fitted, corpus):
    Z = fitted.transform(corpus[0])
    assert Z.shape == (len(corpus[0]), 16) and Z.dtype == np.float32
    assert np.array_equal(Z, fitted.transform(corpus[0]))
    assert np.isfinite(Z).all()


def test_pickle_round_trip(fitted, corpus):
    restored = pickle.loads(pickle.dumps(fitted))
    assert restored.tokenizer_.to_str() == fitted.tokenizer_.to_str()
    assert restored.tokenizer_.encode("the film").ids == fitted.tokenizer_.encode("the film").ids
    assert np.array_equal(restored.transform(corpus[0]), fitted.transform(corpus[0]))


def test_same_random_state_same_embeddings(corpus):
    est = MaskedLanguageModel(**TINY)
    Z = [est.fit(corpus[0]).transform(corpus[0]) for _ in range(2)]  # check_fit_idempotent
    assert np.array_equal(Z[0], Z[1])
    assert np.array_equal(Z[0], clone(est).fit(corpus[0]).transform(corpus[0]))
    other = MaskedLanguageModel(**{**TINY, "random_state": 1}).fit(corpus[0])
    assert not np.allclose(Z[0], other.transform(corpus[0]))


def test_transform_independent_of_batch_composition_and_order(fitted, corpus):
    X = corpus[0]
    Z = fitted.transform(X)
    order = np.random.default_rng(0).permutation(len(X))
    np.testing.assert_allclose(fitted.transform(X[order]), Z[order], atol=1e-5)
    one_by_one = copy.deepcopy(fitted).set_params(batch_size=1)  # transform batch size
    np.testing.assert_allclose(one_by_one.transform(X), Z, atol=1e-5)
    # a short string next to a long one gets padded, alone it does not
    with_long = fitted.transform(["good film", " ".join(FILLER)])[0]
    np.testing.assert_allclose(with_long, fitted.transform(["good film"])[0], atol=1e-5)


@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_padding_does_not_change_vectors(corpus, pooling):
    est = MaskedLanguageModel(**{**TINY, "pooling": pooling}).fit(corpus[0])
    ids = est._as_tensor(corpus[0][:5], torch.device("cpu"))  # (5, L)
    extra = TINY["max_length"] - ids.shape[1]
    assert extra > 0
    padded = torch.nn.functional.pad(ids, (0, extra), value=PAD_ID)  # (5, max_length)
    with torch.inference_mode():
        torch.testing.assert_close(est.encoder_(padded), est.encoder_(ids))
        if pooling == "mean":  # mean pooling must not count padding
            states = est.encoder_.token_states(ids)
            manual = states[0, : int((ids[0] != PAD_ID).sum())].mean(0)
            torch.testing.assert_close(est.encoder_(ids)[0], manual)


def test_get_feature_names_out(fitted):
    names = fitted.get_feature_names_out()
    assert list(names) == [f"maskedlanguagemodel{i}" for i in range(16)]


def test_set_output_pandas(corpus):
    series = pd.Series(corpus[0], index=np.arange(100, 100 + len(corpus[0])))
    est = MaskedLanguageModel(**TINY).set_output(transform="pandas").fit(series)
    out = est.transform(series)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(est.get_feature_names_out())
    assert list(out.index) == list(series.index)


def test_pipeline_with_logistic_regression_separates_classes():
    X, y = make_corpus(30, n_class_words=4)
    pipe = make_pipeline(MaskedLanguageModel(**{**TINY, "max_epochs": 2}), LogisticRegression())
    assert cross_val_score(pipe, X, y, cv=3).mean() > 0.8
    assert pipe.fit(X, y).predict(["a great film", "an awful plot"]).shape == (2,)


def test_grid_search_over_mask_rate(corpus):
    X, y = corpus
    pipe = make_pipeline(MaskedLanguageModel(**TINY), LogisticRegression())
    search = GridSearchCV(pipe, {"maskedlanguagemodel__mask_rate": [0.1, 0.3]}, cv=2)
    search.fit(X, y)
    assert search.best_params_["maskedlanguagemodel__mask_rate"] in (0.1, 0.3)
    # without labels, the estimator's own score (RankMe) ranks the settings
    unsupervised = GridSearchCV(MaskedLanguageModel(**TINY), {"mask_rate": [0.1, 0.3]}, cv=2)
    assert unsupervised.fit(X).best_score_ > 1


@pytest.mark.parametrize("objective", ["mlm", "simcse", "mlm+simcse"])
def test_loss_goes_down(corpus, objective):
    est = MaskedLanguageModel(
        **{**TINY, "objective": objective, "max_epochs": 8, "lr": 3e-3, "dropout": 0.0}
    ).fit(corpus[0])
    losses = est.history_[:, "train_loss"]
    assert losses[-1] < 0.8 * losses[0], losses


def test_the_contrastive_loss_sees_the_global_batch(corpus, monkeypatch):
    """SimCSE's NT-Xent gathers the other processes' sentences in a data-parallel fit."""
    flags = []

    def recording_loss(*args, **kwargs):
        flags.append(kwargs.get("gather_distributed", False))
        return nt_xent_loss(*args, **kwargs)

    monkeypatch.setattr(masked_tokens, "nt_xent_loss", recording_loss)
    MaskedLanguageModel(**{**TINY, "objective": "simcse"}).fit(corpus[0][:32])
    assert flags and all(flags)


def test_initial_mlm_loss_is_near_log_vocab(corpus):
    """The 0.02 init with a tied output layer starts at chance, not near 20."""
    est = MaskedLanguageModel(**{**TINY, "objective": "mlm", "lr": 1e-6}).fit(corpus[0])
    chance = np.log(est.tokenizer_.get_vocab_size())
    assert abs(est.history_[0, "train_loss"] - chance) < 0.5


def test_partial_fit_keeps_tokenizer(corpus):
    est = MaskedLanguageModel(**TINY).partial_fit(corpus[0])
    vocab = est.tokenizer_.to_str()
    est.partial_fit(corpus[0][:10])
    assert est.tokenizer_.to_str() == vocab and est.n_iter_ == 2


@pytest.mark.parametrize(
    "to_input",
    [
        list,
        tuple,
        lambda X: np.array(list(X)),  # numpy unicode dtype
        lambda X: pd.Series(X),
        lambda X: pd.Series(X, dtype="string"),
        lambda X: pd.DataFrame({"text": X}),
        lambda X: np.array(X, dtype=object)[:, None],
        lambda X: pl.Series(list(X)),
        iter,
    ],
    ids=[
        "list",
        "tuple",
        "numpy-str",
        "series",
        "series-string",
        "frame",
        "column",
        "polars",
        "iterator",
    ],
)
def test_input_containers_give_the_same_embeddings(fitted, corpus, to_input):
    np.testing.assert_array_equal(
        fitted.transform(to_input(corpus[0])), fitted.transform(corpus[0])
    )


# -- bad input ----------------------------------------------------------------

BAD_INPUT = [
    (["a film", None], ValueError, "missing value"),
    (["a film", float("nan")], ValueError, "missing value"),
    (pd.Series(["a film", pd.NA], dtype="string"), ValueError, "missing value"),
    (["a film", 3], TypeError, "only strings"),
    (["a film", b"bytes"], TypeError, "decode"),
    (np.array([b"a", b"b"]), TypeError, "decode"),
    ("a single film review", TypeError, "single str"),
    ([], ValueError, "empty"),
    (np.ones((5, 3)), TypeError, "numeric"),
    (np.arange(4), TypeError, "numeric"),
    (pd.DataFrame({"a": ["x", "y"], "b": ["z", "w"]}), ValueError, "1-D"),
    ({"a": "b"}, ValueError, "1-D"),
]


@pytest.mark.parametrize(
    "X, error, message", BAD_INPUT, ids=[f"{i}-{e[2].split()[0]}" for i, e in enumerate(BAD_INPUT)]
)
def test_bad_input_is_refused_in_fit_and_transform(fitted, X, error, message):
    with pytest.raises(error, match=message):
        MaskedLanguageModel(**TINY).fit(X)
    with pytest.raises(error, match=message):
        fitted.transform(X)


@pytest.mark.parametrize("X", [["", "  "], ["\n"] * 5])
def test_corpus_without_text_is_refused(X):
    with pytest.raises(ValueError, match="no text"):
        MaskedLanguageModel(**TINY).fit(X)


@pytest.mark.parametrize("X", [[" ", "\x1b"], ["\x00", "\u200b"], ["\u0301", "\t\x7f"]])
def test_corpus_the_tokenizer_removes_entirely_is_refused(X):
    """Control characters and lone accents are normalised away: no token is left (issue 28)."""
    model = MaskedLanguageModel(**TINY)
    with pytest.raises(ValueError, match="no token in X beyond the special tokens"):
        model.fit(X)
    with pytest.raises(ValueError, match="no token in X beyond the special tokens"):
        model.partial_fit(X)
    assert not hasattr(model, "tokenizer_")


def test_one_string_is_too_few_to_train():
    with pytest.raises(ValueError, match="at least 2 samples"):
        MaskedLanguageModel(**TINY).fit(["just one"])


def test_n_heads_must_divide_n_components(corpus):
    with pytest.raises(ValueError, match="n_heads=3 must divide n_components=16"):
        MaskedLanguageModel(**{**TINY, "n_heads": 3}).fit(corpus[0])


# -- d_model, the name of n_components until 0.2 ----------------------------------

RENAMED = "`d_model` was renamed `n_components` in 0.2 and will be removed in 0.3"


def test_n_components_alone_does_not_warn(corpus):
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        assert MaskedLanguageModel(**TINY).fit(corpus[0]).n_components_ == 16


def test_d_model_still_sets_the_width_with_a_future_warning(corpus):
    unsized = {name: value for name, value in TINY.items() if name != "n_components"}
    mlm = MaskedLanguageModel(d_model=32, **unsized)
    with pytest.warns(FutureWarning, match=RENAMED):
        mlm.fit(corpus[0])
    assert mlm.n_components_ == 32 and mlm.transform(corpus[0][:3]).shape == (3, 32)
    assert mlm.d_model == 32 and mlm.n_components == 64  # the parameters stay as given


def test_d_model_and_n_components_must_agree(corpus):
    with pytest.warns(FutureWarning, match=RENAMED):
        assert MaskedLanguageModel(**{**TINY, "d_model": 16}).fit(corpus[0]).n_components_ == 16
    with (
        pytest.warns(FutureWarning, match=RENAMED),
        pytest.raises(ValueError, match="d_model=32 and n_components=16 disagree"),
    ):
        MaskedLanguageModel(**{**TINY, "d_model": 32}).fit(corpus[0])


def test_set_params_knows_the_signature_only():
    mlm = MaskedLanguageModel(**TINY)
    assert mlm.set_params(score_criterion="uniformity", d_model=32) is mlm
    params = mlm.get_params()
    assert params["score_criterion"] == "uniformity" and params["d_model"] == 32
    with pytest.raises(ValueError, match="Invalid parameter 'not_a_parameter'"):
        mlm.set_params(not_a_parameter=1)
    assert not hasattr(mlm, "not_a_parameter")


def test_a_file_saved_before_the_renames_loads_under_the_new_names(fitted, corpus, tmp_path):
    """Its params hold the width as ``d_model`` and the blocks as ``n_layers``."""
    path = tmp_path / "mlm.safetensors"
    fitted.save(path)
    with safe_open(str(path), framework="pt") as file:
        metadata = file.metadata()
    params = json.loads(metadata["params"])
    params["d_model"], params["n_layers"] = params.pop("n_components"), params.pop("depth")
    save_file(load_file(str(path)), str(path), {**metadata, "params": json.dumps(params)})
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        loaded = load(path)
    assert (loaded.n_components, loaded.depth) == (16, 1)
    assert loaded.d_model == loaded.n_layers == "deprecated"
    np.testing.assert_array_equal(loaded.transform(corpus[0]), fitted.transform(corpus[0]))


def test_a_pickle_from_before_the_renames_embeds_and_refits_as_it_did(fitted, corpus):
    state = fitted.__getstate__()
    state["d_model"], state["n_layers"] = state.pop("n_components"), state.pop("depth")
    unpickled = MaskedLanguageModel.__new__(MaskedLanguageModel)
    unpickled.__setstate__(state)
    assert unpickled.get_params()["n_components"] == 16 and unpickled.depth == 1
    np.testing.assert_array_equal(unpickled.transform(corpus[0]), fitted.transform(corpus[0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        assert clone(unpickled).fit(corpus[0]).n_components_ == 16


def test_n_layers_still_sets_the_depth_with_a_future_warning(corpus):
    mlm = MaskedLanguageModel(**{**TINY, "depth": 3, "n_layers": 1})
    with (
        pytest.warns(FutureWarning, match="`n_layers` was renamed `depth`"),
        pytest.raises(ValueError, match="n_layers=1 and depth=3 disagree"),
    ):
        mlm.fit(corpus[0])
    unlayered = {name: value for name, value in TINY.items() if name != "depth"}
    with pytest.warns(FutureWarning, match="`n_layers` was renamed `depth`"):
        fitted = MaskedLanguageModel(n_layers=3, **unlayered).fit(corpus[0])
    assert len(fitted.encoder_.blocks) == 3
