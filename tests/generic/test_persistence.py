"""Fitted estimators survive pickle, joblib, a GPU-to-CPU move and est.save/load."""

import io
import os
import pickle
import subprocess
import sys
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from sklearn.base import clone
from skorch.callbacks import Checkpoint
from skorch.exceptions import DeviceWarning

import sklearn_ssl
from sklearn_ssl._persistence import LOADABLE
from tests.generic.faulty_encoders import FaultyEncoder
from tests.registry import TABLE, cases, parametrize_cases


@pytest.fixture(scope="module")
def fitted():
    """Each case fitted once on a DataFrame with string column names: (case, est, X)."""
    out = {}
    for case in cases():
        X = case.make_X(40, np.random.default_rng(0))
        if case.kind == TABLE:
            X = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
        out[case.id] = (case, clone(case.estimator).fit(X), X)
    return out


def _get(fitted, case):
    return fitted[case.id][1:]


def _same_fitted_state(a, b):
    assert a.get_params() == b.get_params()
    assert a.n_iter_ == b.n_iter_ and a.n_components_ == b.n_components_
    np.testing.assert_array_equal(a.history_[:, "train_loss"], b.history_[:, "train_loss"])
    if hasattr(a, "feature_names_in_"):
        np.testing.assert_array_equal(a.feature_names_in_, b.feature_names_in_)
        np.testing.assert_array_equal(a.get_feature_names_out(), b.get_feature_names_out())


@parametrize_cases()
@pytest.mark.parametrize("library", ["pickle", "joblib"])
def test_pickle_and_joblib_round_trips(case, library, fitted, tmp_path):
    est, X = _get(fitted, case)
    if library == "pickle":
        loaded = pickle.loads(pickle.dumps(est))
    else:
        joblib.dump(est, tmp_path / "est.joblib")
        loaded = joblib.load(tmp_path / "est.joblib")
    np.testing.assert_array_equal(loaded.transform(X), est.transform(X))
    _same_fitted_state(est, loaded)


def _cuda_location_tag(storage):
    return "cuda:0"


def test_simulated_cuda_pickle_is_real(monkeypatch):
    """The simulation below writes storages tagged CUDA, which a CPU-only torch refuses."""
    if torch.cuda.is_available():
        pytest.skip("needs a machine without CUDA")
    buffer = io.BytesIO()
    with monkeypatch.context() as patch:
        patch.setattr(torch.serialization, "location_tag", _cuda_location_tag)
        torch.save(torch.ones(2), buffer)
    with pytest.raises(RuntimeError, match="CUDA"):
        torch.load(io.BytesIO(buffer.getvalue()))


@parametrize_cases()
def test_model_pickled_on_cuda_loads_on_cpu(case, fitted, monkeypatch):
    """Simulate a GPU pickle: net on device 'cuda', every storage tagged 'cuda:0'."""
    if torch.cuda.is_available():
        pytest.skip("needs a machine without CUDA")
    est, X = _get(fitted, case)
    expected = est.transform(X)
    gpu_like = pickle.loads(pickle.dumps(est))
    gpu_like.net_.device = "cuda"
    with monkeypatch.context() as patch:
        patch.setattr(torch.serialization, "location_tag", _cuda_location_tag)
        payload = pickle.dumps(gpu_like)
    assert b"cuda:0" in payload
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DeviceWarning)
        loaded = pickle.loads(payload)
    assert any("no CUDA devices" in str(w.message) for w in caught)  # skorch maps to CPU
    assert torch.device(loaded.net_.device).type == "cpu"
    np.testing.assert_array_equal(loaded.transform(X), expected)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@parametrize_cases(needs="saveable")
def test_gpu_model_loads_in_a_cpu_only_process(case, tmp_path):
    X = case.make_X(40, np.random.default_rng(0))
    est = clone(case.estimator).set_params(device="cuda").fit(X)
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "expected.npy", est.transform(X))
    joblib.dump(est, tmp_path / "est.joblib")
    est.save(tmp_path / "est.safetensors")
    script = (
        "import sys, joblib, numpy as np, sklearn_ssl, torch\n"
        "assert not torch.cuda.is_available()\n"
        "d = sys.argv[1]; X = np.load(d + '/X.npy'); expected = np.load(d + '/expected.npy')\n"
        "for est in (joblib.load(d + '/est.joblib'), sklearn_ssl.load(d + '/est.safetensors')):\n"
        "    np.testing.assert_allclose(est.transform(X), expected, rtol=1e-4, atol=1e-5)\n"
    )
    python_path = os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "PYTHONPATH": python_path}
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, env=env)


# -- code-free format ---------------------------------------------------------------


@parametrize_cases(needs="saveable")
def test_save_load_round_trip(case, fitted, tmp_path):
    est, X = _get(fitted, case)
    est = clone(est).set_output(transform="pandas").fit(X)
    est.save(tmp_path / "est.safetensors")
    loaded = sklearn_ssl.load(tmp_path / "est.safetensors")
    assert type(loaded) is type(est)
    _same_fitted_state(est, loaded)
    pd.testing.assert_frame_equal(loaded.transform(X), est.transform(X))
    loaded.partial_fit(X)  # training goes on, with a fresh optimizer state
    assert loaded.n_iter_ == est.n_iter_ + 1


@parametrize_cases(needs="encoder_swappable")
def test_save_refuses_an_encoder_module(case, fitted, tmp_path):
    est, X = _get(fitted, case)
    with_module = clone(est).set_params(encoder=FaultyEncoder()).fit(X)
    with pytest.raises(TypeError, match="parameter encoder is a torch module.*pickle"):
        with_module.save(tmp_path / "a.safetensors")
    assert not os.path.exists(tmp_path / "a.safetensors")


@parametrize_cases(needs="saveable")
def test_save_refuses_callbacks(case, fitted, tmp_path):
    est, X = _get(fitted, case)
    with_callbacks = clone(est).set_params(
        callbacks=[Checkpoint(monitor="train_loss_best", dirname=str(tmp_path))]
    )
    with_callbacks.fit(X)
    with pytest.raises(TypeError, match="parameter callbacks.*pickle or joblib"):
        with_callbacks.save(tmp_path / "b.safetensors")
    assert not os.path.exists(tmp_path / "b.safetensors")


def _rewrite(path, metadata=None, tensors=None):
    """Rewrite a saved file with some metadata entries / tensors changed or added."""
    with safe_open(str(path), framework="pt") as file:
        old_metadata = file.metadata()
    new_tensors = {**load_file(str(path)), **(tensors or {})}
    save_file(new_tensors, str(path), metadata={**old_metadata, **(metadata or {})})


ALTERATIONS = {
    "newer format": ({"format_version": "2"}, None, "format version '2'"),
    "other format": ({"format": "something-else"}, None, "not an sklearn-ssl model"),
    "unknown estimator": ({"estimator": "os.system"}, None, "not an estimator of this"),
    "extra key": ({"code": "print(1)"}, None, "unexpected metadata keys"),
    "unknown parameter": ({"params": '{"exec": 1}'}, None, "Invalid parameter"),
    "bad parameter": ({"params": '{"max_epochs": -1}'}, None, "max_epochs"),
    "unknown tag": ({"fitted": '{"n_iter_": {"__import__": "os"}}'}, None, "unexpected object"),
    "method name": ({"fitted": '{"transform_": 1, "transform": 2}'}, None, "unexpected attr"),
    "dunder name": ({"fitted": '{"__class__": "SCARF"}'}, None, "unexpected attribute"),
    "not JSON": ({"fitted": "{n_iter_: 3"}, None, "not valid"),
    "extra tensor": (None, {"extra.weight": torch.zeros(2)}, "unexpected \\['extra.weight'\\]"),
}


@parametrize_cases(needs="saveable")
@pytest.mark.parametrize("alteration", list(ALTERATIONS))
def test_load_refuses_altered_files(case, alteration, fitted, tmp_path):
    est, _ = _get(fitted, case)
    path = tmp_path / "est.safetensors"
    est.save(path)
    metadata, tensors, message = ALTERATIONS[alteration]
    _rewrite(path, metadata, tensors)
    with pytest.raises(ValueError, match=message):
        sklearn_ssl.load(path)


@parametrize_cases(needs="saveable")
def test_load_refuses_a_tensor_of_the_wrong_shape(case, fitted, tmp_path):
    est, _ = _get(fitted, case)
    path = tmp_path / "est.safetensors"
    est.save(path)
    name, tensor = next(iter(load_file(str(path)).items()))
    _rewrite(path, tensors={name: torch.zeros(*tensor.shape, 2)})
    with pytest.raises(ValueError, match=f"tensor '{name}' has shape"):
        sklearn_ssl.load(path)


def test_the_registry_holds_the_public_estimators_that_save():
    """``load`` finds a file's class by name in the registry: every public one with save."""
    public = {name: getattr(sklearn_ssl, name) for name in sklearn_ssl.__all__}
    saving = {
        name: obj
        for name, obj in public.items()
        if isinstance(obj, type) and callable(getattr(obj, "save", None))
    }
    assert LOADABLE == saving


class _RunsCode:
    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_load_never_executes_a_pickle(tmp_path):
    payload = _RunsCode()
    payload.marker = str(tmp_path / "pwned")
    path = tmp_path / "model.safetensors"
    path.write_bytes(pickle.dumps(payload))
    with pytest.raises(ValueError, match="not an sklearn-ssl model file"):
        sklearn_ssl.load(path)
    assert not os.path.exists(payload.marker)


@parametrize_cases(needs="saveable")
def test_load_falls_back_to_cpu_when_cuda_is_missing(case, fitted, tmp_path):
    if torch.cuda.is_available():
        pytest.skip("needs a machine without CUDA")
    est, X = _get(fitted, case)
    path = tmp_path / "est.safetensors"
    est.save(path)
    with safe_open(str(path), framework="pt") as file:
        params = file.metadata()["params"].replace('"device": "cpu"', '"device": "cuda"')
    _rewrite(path, {"params": params})
    with pytest.warns(UserWarning, match="device='cuda'.*loading it on the CPU"):
        loaded = sklearn_ssl.load(path)
    assert loaded.device == "cuda" and loaded.net_.device == "cpu"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(loaded.transform(X), est.transform(X))
