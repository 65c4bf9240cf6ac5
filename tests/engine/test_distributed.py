"""Data-parallel pretraining: a user script launched in 2 CPU processes (gloo)."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from sklearn_ssl import SCARF, BarlowTwins, SimCLR, VICReg
from sklearn_ssl._engine.distributed import _SHARD
from sklearn_ssl.losses import barlow_twins_loss, gather_with_grad, nt_xent_loss, vicreg_loss
from sklearn_ssl.losses._distributed import _GatherWithGrad

pytest.importorskip("accelerate")  # the `distributed` extra

ROOT = Path(__file__).parents[2]  # the repository, so that `tests` imports
SCRIPT = Path(__file__).parent / "data_parallel_script.py"


@pytest.fixture(scope="module")
def launched(tmp_path_factory):
    """Run the script with torchrun in 2 processes; return both ranks' results and the pickle."""
    out = tmp_path_factory.mktemp("data_parallel")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    env.pop("WORLD_SIZE", None)
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    command += ["--nproc_per_node", "2", str(SCRIPT), str(out)]
    # the timeout only guards against a hang: a busy machine may take minutes
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-4000:]
    ranks = [torch.load(out / f"rank{rank}.pt", weights_only=False) for rank in (0, 1)]
    for rank in ranks:
        rank["saved"] = sorted(path.name for path in out.glob("saved_by_rank*"))
    return ranks, (out / "scarf.pkl").read_bytes()


def test_processes_end_with_identical_weights(launched):
    (first, second), _ = launched
    assert first["module_type"] == "SiameseTask"  # unwrapped after training
    assert first["state"].keys() == second["state"].keys()
    for name, tensor in first["state"].items():
        assert torch.equal(tensor, second["state"][name]), name
    assert first["loss"] == second["loss"]  # the epoch loss is averaged over processes
    assert first["loss"][-1] < first["loss"][0]
    np.testing.assert_array_equal(first["embeddings"], second["embeddings"])


def test_fine_tuning_runs_data_parallel_with_identical_weights(launched):
    (first, second), _ = launched
    assert first["finetuned_state"].keys() == second["finetuned_state"].keys()
    for name, tensor in first["finetuned_state"].items():
        assert torch.equal(tensor, second["finetuned_state"][name]), name
    assert first["finetuned_loss"] == second["finetuned_loss"]
    np.testing.assert_array_equal(first["finetuned_proba"], second["finetuned_proba"])
    assert first["finetuned_accuracy"] > 0.9  # two well-separated clusters


def test_each_process_trains_on_its_own_shard_of_every_epoch(launched):
    (first, second), _ = launched
    X = first["X"]
    row_ids = {row.tobytes(): i for i, row in enumerate(X)}

    def ids(batch):
        return [row_ids[row.tobytes()] for row in batch]

    epochs = []
    for batches0, batches1 in zip(first["rows"], second["rows"], strict=True):
        assert len(batches0) == len(batches1) == 4  # 90 rows, global batches of >= 20
        seen = []
        for batch0, batch1 in zip(batches0, batches1, strict=True):
            assert len(batch0) == len(batch1) == 11  # half of a global batch of 22 or 23
            assert not set(ids(batch0)) & set(ids(batch1))
            seen += ids(batch0) + ids(batch1)
        assert len(set(seen)) == len(seen) >= len(X) - 2  # one row per odd batch left out
        epochs.append(seen)
    assert epochs[0] != epochs[1]  # a new order every epoch


def test_only_the_main_process_shows_progress_and_writes(launched):
    (first, second), _ = launched
    assert "progress" in first["callbacks"]
    assert "progress" not in second["callbacks"]
    assert first["saved"] == ["saved_by_rank0.safetensors"]  # est.save writes on rank 0 only


def test_fitted_estimator_pickles_without_accelerate_and_transforms_alone(launched):
    (first, _), pickled = launched
    assert b"accelerate" not in pickled and b"DistributedDataParallel" not in pickled
    est = pickle.loads(pickled)
    np.testing.assert_array_equal(est.transform(first["X"]), first["embeddings"])


def test_nt_xent_gradients_through_the_gather_match_one_process(launched):
    """Each process's gradient, averaged as data-parallel training does, is the global one."""
    ranks, _ = launched
    generator = torch.Generator().manual_seed(0)  # the script's global batch
    z_a, z_b = torch.randn(2, 16, 5, generator=generator)
    z_a.requires_grad_()
    z_b.requires_grad_()
    loss = nt_xent_loss(z_a, z_b, temperature=0.2)
    loss.backward()
    mean_loss = sum(rank["nt_xent"]["loss"] for rank in ranks) / 2
    torch.testing.assert_close(mean_loss, loss.detach())
    for rank, result in enumerate(ranks):
        part = slice(8 * rank, 8 * (rank + 1))
        torch.testing.assert_close(result["nt_xent"]["grad_a"] / 2, z_a.grad[part])
        torch.testing.assert_close(result["nt_xent"]["grad_b"] / 2, z_b.grad[part])


def test_gather_with_grad_is_the_identity_in_one_process():
    z = torch.randn(4, 3)
    assert gather_with_grad(z) is z


@pytest.mark.parametrize("loss", [nt_xent_loss, vicreg_loss, barlow_twins_loss])
def test_a_loss_gathers_only_when_asked(loss, monkeypatch):
    """In a data-parallel fit, gather_distributed=False keeps this process's rows."""
    gathered = []

    def fake_gather(z):  # as if the other process held the same rows
        gathered.append(len(z))
        return torch.cat([z, z])

    monkeypatch.setattr(_GatherWithGrad, "apply", fake_gather)
    z_a, z_b = torch.randn(2, 8, 5, generator=torch.Generator().manual_seed(0))
    alone = loss(z_a, z_b)
    assert torch.equal(loss(z_a, z_b, gather_distributed=True), alone) and not gathered
    _SHARD.update(rank=0, world_size=2)
    try:
        assert torch.equal(loss(z_a, z_b), alone) and not gathered
        loss(z_a, z_b, gather_distributed=True)
    finally:
        _SHARD.update(rank=0, world_size=1)
    assert gathered and set(gathered) == {8}


@pytest.mark.parametrize(
    "loss",
    [
        SCARF()._task(torch.nn.Identity(), 4, None).loss,
        SimCLR()._loss(),
        VICReg()._loss(),
        BarlowTwins()._loss(),
    ],
    ids=["SCARF", "SimCLR", "VICReg", "BarlowTwins"],
)
def test_the_estimators_losses_see_the_global_batch(loss):
    assert loss.gather_distributed


def test_batch_statistics_losses_over_the_gathered_batch_match_one_process(launched):
    """VICReg/Barlow-style losses: gather, compute the global loss in every process."""
    from tests.engine.data_parallel_script import batch_statistics_loss

    ranks, _ = launched
    z = 0.3 * torch.randn(16, 5, generator=torch.Generator().manual_seed(1))
    z.requires_grad_()
    loss = batch_statistics_loss(z)
    loss.backward()
    assert loss > 0  # the hinge is active, so the gradient is not trivially zero
    for rank, result in enumerate(ranks):
        torch.testing.assert_close(result["statistics"]["loss"], loss.detach())
        part = slice(8 * rank, 8 * (rank + 1))
        # the gather sums both processes' identical gradients; DDP's average halves it
        torch.testing.assert_close(result["statistics"]["grad"] / 2, z.grad[part])
