"""Engine overhead: SCARF/VIME ``fit()`` against a plain PyTorch loop.

Both sides train the same pretext task (the module ``_build_task`` returns),
on the same device-resident data, batch size, optimizer and epochs; the plain
loop is what one would write by hand (shuffled index slices, no per-step host
sync). Runs alternate and the medians are compared, since a shared machine is
noisy. Prints a table and writes JSON to ``benchmarks/results/``.

    python benchmarks/engine_overhead.py [--rows 20000] [--epochs 5] [--repeats 5]
"""

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import sklearn
import skorch
import torch

from sklearn_ssl import SCARF, VIME
from sklearn_ssl._torch_context import make_generator, seeded_torch

RESULTS = Path(__file__).parent / "results"


def plain_loop(estimator, X, epochs):
    """Train ``estimator``'s pretext task by hand; return the seconds taken."""
    start = time.perf_counter()
    X_checked = estimator._validate_input(X, reset=True)
    with seeded_torch(0, torch.device("cpu")):
        task = estimator._build_task(X_checked)
    data = torch.tensor(X_checked, dtype=torch.float32)
    optimizer = torch.optim.AdamW(
        task.parameters(), lr=estimator.lr, weight_decay=estimator.weight_decay
    )
    generator = make_generator(0, torch.device("cpu"))
    n_batches = max(1, len(data) // estimator.batch_size)
    task.train()
    for _ in range(epochs):
        for rows in torch.randperm(len(data), generator=generator).tensor_split(n_batches):
            loss = task(data[rows], generator=generator)["loss"]
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    loss.item()
    return time.perf_counter() - start


def engine_fit(estimator, X, epochs):
    start = time.perf_counter()
    estimator.set_params(max_epochs=epochs).fit(X)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--features", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    X = np.random.default_rng(0).normal(size=(args.rows, args.features))

    rows = []
    for cls in (SCARF, VIME):
        estimator = cls(device="cpu", random_state=0)
        engine_fit(estimator, X[:1000], 1)  # warm-up
        times = {"plain": [], "fit": []}
        for _ in range(args.repeats):
            times["plain"].append(plain_loop(estimator, X, args.epochs))
            times["fit"].append(engine_fit(estimator, X, args.epochs))
        plain, fit = statistics.median(times["plain"]), statistics.median(times["fit"])
        samples = args.rows * args.epochs
        rows.append(
            {
                "method": cls.__name__,
                "plain_samples_per_s": samples / plain,
                "fit_samples_per_s": samples / fit,
                "ratio_fit_over_plain": fit / plain,
                "times": times,
            }
        )

    print(
        f"\nEngine overhead on the CPU ({args.threads} thread, {args.rows} rows x "
        f"{args.features} features, {args.epochs} epochs, median of {args.repeats})"
    )
    print("| method | plain loop (samples/s) | fit() (samples/s) | fit / plain time |")
    print("|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['method']} | {row['plain_samples_per_s']:,.0f} | "
            f"{row['fit_samples_per_s']:,.0f} | {row['ratio_fit_over_plain']:.3f} |"
        )
    RESULTS.mkdir(exist_ok=True)
    report = {
        "benchmark": "engine_overhead",
        "settings": vars(args),
        "environment": {
            "machine": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "torch": torch.__version__,
            "skorch": skorch.__version__,
            "sklearn": sklearn.__version__,
        },
        "results": rows,
    }
    (RESULTS / "engine_overhead_cpu.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
