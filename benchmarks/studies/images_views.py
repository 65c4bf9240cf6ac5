"""Quality of SimCLR, BYOL, VICReg and Barlow Twins on 8x8 digits, CPU quick settings.

The few-label protocol of DESIGN.md section 5 (benchmarks/protocol.py): each
method is fitted without labels on the 1,257-image pool, then a logistic probe
on 1/5/10/all labels per class, a kNN probe (10 labels per class) and k-means
ARI are measured on the 540 test images. Raw pixels and PCA are the baselines.

Run from the repository root::

    python benchmarks/studies/images_views.py               # all methods, about 2 min each
    python benchmarks/studies/images_views.py --methods SimCLR --epochs 10

Prints a table and writes ``images_views.json`` (in ``benchmarks/runs/``, see ``outputs.py``).
"""

import argparse
import json
import platform
import sys
from pathlib import Path

import torch
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/
from methods import DIGITS_VIEWS  # noqa: E402
from outputs import output_path  # noqa: E402
from protocol import evaluate, split  # noqa: E402

from sklearn_ssl import BYOL, BarlowTwins, SimCLR, VICReg  # noqa: E402

BUDGETS = [1, 5, 10, "all"]

METHODS = {
    "SimCLR": lambda epochs: SimCLR(**DIGITS_VIEWS, max_epochs=epochs),
    # Short runs have few steps: a lower base momentum lets the target network
    # move (0.996 with batches of 256 reached only 0.754 / 0.924 at 1 / 10 labels).
    "BYOL": lambda epochs: BYOL(
        **DIGITS_VIEWS, hidden_size=512, base_momentum=0.99, max_epochs=epochs
    ),
    "VICReg": lambda epochs: VICReg(**DIGITS_VIEWS, projection_size=512, max_epochs=epochs),
    "BarlowTwins": lambda epochs: BarlowTwins(
        **DIGITS_VIEWS, projection_size=512, max_epochs=epochs
    ),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--epochs", type=int, default=40, help="epochs per method")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--out", default=None, help="JSON path (default: see outputs.py)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    X, y = load_digits(return_X_y=True)
    X_pool, X_test, y_pool, y_test = split(X, y)
    results = {
        "raw pixels": evaluate(None, X_pool, y_pool, X_test, y_test, BUDGETS),
        "PCA (32)": evaluate(PCA(32, random_state=0), X_pool, y_pool, X_test, y_test, BUDGETS),
    }
    for name in args.methods:
        model = METHODS[name](args.epochs)
        results[name] = evaluate(model, X_pool, y_pool, X_test, y_test, BUDGETS)
        results[name]["params"] = {
            key: repr(value) for key, value in model.get_params().items() if key != "callbacks"
        }
        print_row(name, results[name], flush=True)

    print()
    print_table(results)
    out = Path(args.out or output_path("images_views.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "data": "digits 8x8, pool 1257 / test 540",
        "device": f"CPU ({platform.processor() or platform.machine()}), {args.threads} thread(s)",
        "epochs": args.epochs,
        "torch": torch.__version__,
    }
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    print(f"\nwrote {out}")


def print_row(name, result, flush=False):
    linear = " | ".join(f"{result['linear'][str(k)]:.3f}" for k in BUDGETS)
    print(
        f"| {name} | {linear} | {result['knn']:.3f} | {result['ari']:.3f} "
        f"| {result['fit_seconds']:.0f} |",
        flush=flush,
    )


def print_table(results):
    print("| representation | 1 / class | 5 | 10 | all | kNN (10) | k-means ARI | fit s |")
    print("|---|---|---|---|---|---|---|---|")
    for name, result in results.items():
        print_row(name, result)


if __name__ == "__main__":
    main()
