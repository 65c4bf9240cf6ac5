"""Bounded memory in transform; n_jobs sets torch threads, -1 follows joblib and threadpoolctl."""

import weakref

import joblib
import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import cross_validate
from skorch.callbacks import Callback
from threadpoolctl import threadpool_limits
from torch import nn

from tests.registry import parametrize_cases


class WatchedEncoder(nn.Module):
    """A two-layer encoder that records, in eval mode, batch sizes and its hidden outputs."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Sequential(nn.Flatten(), nn.LazyLinear(16), nn.ReLU())
        self.out = nn.Linear(16, 3)
        self.eval_batches, self.hidden_refs = [], []

    def forward(self, X):
        h = self.hidden(X.float())  # (batch, 16)
        if not self.training:
            self.eval_batches.append(len(X))
            self.hidden_refs.append(weakref.ref(h))
        return self.out(h)  # (batch, 3)


@parametrize_cases(needs="encoder_swappable")
def test_transform_is_batched_and_keeps_no_activations(case):
    est = clone(case.estimator).set_params(encoder=WatchedEncoder(), batch_size=16)
    est.fit(case.make_X(32, np.random.default_rng(0)))
    watched = next(m for m in est.encoder_.modules() if isinstance(m, WatchedEncoder))
    watched.eval_batches.clear()
    watched.hidden_refs.clear()

    embeddings = est.transform(case.make_X(1000, np.random.default_rng(1)))

    assert embeddings.shape == (1000, len(est.get_feature_names_out()))  # + passthrough columns
    assert max(watched.eval_batches) == 16 and sum(watched.eval_batches) == 1000
    # no autograd graph holds hidden activations: each is freed after its batch
    assert all(ref() is None for ref in watched.hidden_refs)


class RecordThreads(Callback):
    """Records torch's intra-op thread count in the history at every epoch."""

    def on_epoch_end(self, net, **kwargs):
        net.history.record("torch_threads", torch.get_num_threads())


@parametrize_cases()
@pytest.mark.parametrize(("n_jobs", "expected"), [(None, 1), (2, 2), (-1, "torch's")])
def test_n_jobs_sets_torch_threads_during_fit_only(case, n_jobs, expected):
    torch.set_num_threads(3)
    try:
        est = clone(case.estimator).set_params(callbacks=[RecordThreads()], n_jobs=n_jobs)
        est.fit(case.make_X(32, np.random.default_rng(0)))
        assert torch.get_num_threads() == 3  # restored after fit
    finally:
        torch.set_num_threads(1)  # the suite's setting (conftest.py)
    threads = 3 if expected == "torch's" else expected
    assert est.history_[:, "torch_threads"] == [threads] * est.n_iter_


@parametrize_cases(kind="table")
def test_n_jobs_zero_is_refused(case):
    with pytest.raises(ValueError, match="n_jobs=0 runs nothing"):
        clone(case.estimator).set_params(n_jobs=0).fit(case.make_X(32, np.random.default_rng(0)))


@parametrize_cases()
def test_threadpool_limits_bound_torch_threads_with_n_jobs_minus_one(case):
    before = torch.get_num_threads()
    est = clone(case.estimator).set_params(callbacks=[RecordThreads()], n_jobs=-1)
    with threadpool_limits(limits=1):
        est.fit(case.make_X(32, np.random.default_rng(0)))
    assert est.history_[:, "torch_threads"] == [1] * est.n_iter_
    assert torch.get_num_threads() == before  # fit itself changes nothing


@pytest.mark.slow
@parametrize_cases()
def test_joblib_workers_share_the_cores(case):
    """In loky workers torch uses cpu_count // n_jobs threads, or what parallel_config says."""
    X = case.make_X(32, np.random.default_rng(0))
    est = clone(case.estimator).set_params(callbacks=[RecordThreads()], n_jobs=-1)

    def worker_threads(**config):
        with joblib.parallel_config(backend="loky", **config):
            result = cross_validate(est, X, cv=2, n_jobs=2, return_estimator=True)
        return {t for fitted in result["estimator"] for t in fitted.history_[:, "torch_threads"]}

    assert worker_threads() == {max(1, joblib.cpu_count() // 2)}
    assert worker_threads(inner_max_num_threads=1) == {1}
