"""Training speed of the series methods: ``fit()`` against a plain PyTorch loop, same run.

Both sides train the very same task (the estimator's ``_build_task``: TS2Vec's
dilated CNN with its crops, masks and hierarchical loss, or the masked series
autoencoder) on the very same batches (the estimator's ``_training_batches``:
length-bucketed series resident on the device), with the same optimizer,
precision and epochs; runs alternate and medians are compared (``speed.py``'s
``measure``). Reports series/s of training and of ``transform``.

    python benchmarks/speed_series.py                 # CPU, 1 thread, the paper's TS2Vec
    python benchmarks/speed_series.py --gpu           # GPU: larger collections, bf16
    python benchmarks/speed_series.py --gpu --quick   # the GPU cases, tiny, on any device

TS2Vec's crops decide tensor shapes, so each step reads four random numbers
on the host (one device sync per step), on both sides.
"""

import argparse
import json
import platform
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))

from outputs import output_path  # noqa: E402
from speed import measure  # noqa: E402

import sklearn_ssl  # noqa: E402


def series(n_cases, n_channels, length, seed=0):
    """Noisy sines of random frequency and phase, float32 (n_cases, n_channels, length)."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 8 * np.pi, length)
    frequency = rng.uniform(0.5, 2, size=(n_cases, n_channels, 1))
    phase = rng.uniform(0, 2 * np.pi, size=(n_cases, n_channels, 1))
    X = np.sin(frequency * t + phase) + 0.1 * rng.normal(size=(n_cases, n_channels, length))
    return X.astype(np.float32)


def cpu_cases(device, quick):
    """The paper's TS2Vec (batch 8) and the masked autoencoder on GunPoint-sized series.

    Several epochs, so that what ``fit()`` adds once (validation, building
    the model, the collapse check on up to 256 embedded series) is not
    mistaken for a per-step cost.
    """
    X = series(32 if quick else 128, 1, 150)
    epochs = 1 if quick else 4
    common = dict(device=device, random_state=0)
    masked = sklearn_ssl.MaskedTimeSeriesAutoencoder(batch_size=32, **common)
    return [
        (f"TS2Vec (paper model), {len(X)} x 1x150, b8", sklearn_ssl.TS2Vec(**common), X, epochs),
        (f"MaskedTimeSeriesAutoencoder, {len(X)} x 1x150, b32", masked, X, 4 * epochs),
    ]


def gpu_cases(device, quick):
    """Larger collections in bfloat16: TS2Vec at the paper's batch 8 and at batch 128."""
    X = series(512 if quick else 16_384, 3, 64 if quick else 512)
    small = X[: len(X) // 8]
    precision = "bfloat16" if torch.device(device).type == "cuda" else "auto"
    common = dict(device=device, precision=precision, random_state=0)
    shape = f"3x{X.shape[2]}"
    masked = sklearn_ssl.MaskedTimeSeriesAutoencoder(batch_size=256, **common)
    return [
        (f"TS2Vec (paper model), {len(small)} x {shape}, b8", sklearn_ssl.TS2Vec(**common),
         small, 1),
        (f"TS2Vec (paper model), {len(X)} x {shape}, b128",
         sklearn_ssl.TS2Vec(batch_size=128, **common), X, 1),
        (f"MaskedTimeSeriesAutoencoder, {len(X)} x {shape}, b256", masked, X, 2),
    ]  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpu", action="store_true", help="the GPU cases (on CUDA when present)")
    parser.add_argument("--quick", action="store_true", help="tiny collections, one repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=None, help="JSON path (default: see outputs.py)")
    args = parser.parse_args(argv)
    device = torch.device("cuda" if args.gpu and torch.cuda.is_available() else "cpu")
    if device.type == "cpu":
        torch.set_num_threads(1)
    if args.gpu and device.type == "cpu" and not args.quick:
        parser.error("--gpu needs CUDA; add --quick to run the GPU cases small on the CPU")
    cases = gpu_cases(device, args.quick) if args.gpu else cpu_cases(device, args.quick)
    repeats = 1 if args.quick else args.repeats
    if device.type == "cuda":
        device_name = torch.cuda.get_device_name(device)
    else:
        device_name = f"CPU ({platform.machine()}, {torch.get_num_threads()} thread(s))"
    name = f"speed_series_{'gpu' if args.gpu else 'cpu'}{'_quick' if args.quick else ''}.json"
    out = Path(args.out or output_path(name))
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "speed_series",
        "device": device_name,
        "settings": vars(args),
        "torch": torch.__version__,
        "results": [],
    }
    for case_name, estimator, X, epochs in cases:
        report["results"].append(measure(case_name, estimator, X, epochs, device, repeats))
        out.write_text(json.dumps(report, indent=2))
    print(f"\nSeries training speed on {device_name}, median of {repeats} alternating run(s)")
    print(
        "| case | plain loop (series/s) | fit() (series/s) | fit / plain | transform (series/s) |"
    )
    print("|---|---|---|---|---|")
    for row in report["results"]:
        print(
            f"| {row['case']} | {row['plain_samples_per_s']:,.0f} | "
            f"{row['fit_samples_per_s']:,.0f} | {row['fit_over_plain_speed']:.3f} | "
            f"{row['transform_samples_per_s']:,.0f} |"
        )
    return report


if __name__ == "__main__":
    main()
