"""Device, precision and seeding decisions: what they resolve to and what they leave alone."""

import pytest
import torch

from sklearn_ssl._engine.torch_context import (
    make_generator,
    resolve_autocast_dtype,
    resolve_device,
    seeded_torch,
)

CPU = torch.device("cpu")
EXPECTED = r"expected 'auto', 'cpu', 'cuda', 'cuda:N' or a torch\.device"


def test_auto_is_cuda_when_available_else_the_cpu():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto") == torch.device(expected)


@pytest.mark.parametrize("device", ["cpu", CPU])
def test_a_cpu_device_resolves_to_the_cpu(device):
    assert resolve_device(device) == CPU


@pytest.mark.parametrize("device", ["tpu9", "cuda:x", 3.5, None])
def test_an_unknown_device_says_what_was_expected(device):
    with pytest.raises(
        ValueError, match=rf"device={device!r} is not a device torch knows; {EXPECTED}"
    ):
        resolve_device(device)


@pytest.mark.parametrize("device", ["cuda", "cuda:1", torch.device("cuda")])
def test_cuda_without_cuda_says_what_to_use(device):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ValueError, match="asks for CUDA, but torch sees no CUDA device here; use "):
        resolve_device(device)


@pytest.mark.parametrize(
    ("precision", "device", "expected"),
    [
        ("float32", "cuda", None),
        ("bfloat16", "cpu", torch.bfloat16),
        ("auto", "cpu", None),
        ("auto", "cuda", torch.bfloat16),
    ],
)
def test_autocast_dtype(precision, device, expected):
    assert resolve_autocast_dtype(precision, torch.device(device)) == expected


def test_seeded_torch_seeds_inside_and_restores_the_global_rng():
    torch.manual_seed(123)
    expected_after = torch.rand(3)
    torch.manual_seed(123)
    state = torch.get_rng_state()
    with seeded_torch(5, CPU):
        first = torch.rand(3)
    assert torch.equal(torch.get_rng_state(), state)
    assert torch.equal(torch.rand(3), expected_after)  # the user's stream goes on untouched
    with seeded_torch(5, CPU):
        assert torch.equal(torch.rand(3), first)  # the same seed, the same draws
    with seeded_torch(6, CPU):
        assert not torch.equal(torch.rand(3), first)


def test_seeded_torch_restores_the_global_rng_after_an_error():
    state = torch.get_rng_state()
    with pytest.raises(RuntimeError, match="inside"), seeded_torch(5, CPU):
        torch.rand(3)
        raise RuntimeError("inside")
    assert torch.equal(torch.get_rng_state(), state)


def test_make_generator_is_local_and_seeded():
    state = torch.get_rng_state()
    first = torch.rand(4, generator=make_generator(9, CPU))
    assert torch.equal(torch.rand(4, generator=make_generator(9, CPU)), first)
    assert not torch.equal(torch.rand(4, generator=make_generator(10, CPU)), first)
    assert make_generator(9, CPU).device == CPU
    assert torch.equal(torch.get_rng_state(), state)
