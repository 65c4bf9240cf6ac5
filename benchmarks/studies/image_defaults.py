"""The view methods with their defaults on small gray images: natural recipe against "auto".

SimCLR, BYOL, VICReg and Barlow Twins with every default but ``max_epochs``
(10), ``random_state=0`` and ``device="cpu"``, once with the natural
recipe (``augmentation="natural"``, the defaults before 0.2.0) and once with
``augmentation="auto"`` (the small-gray recipe on these images), on the 8x8
digits and on MNIST-5k (28x28), under the few-label protocol of
benchmarks/protocol.py: a logistic probe on 10 labeled rows per class (seeds
0..4) of the unlabeled pool, scored on the test part, against raw pixels
under the same probe.

Run from the repository root (one torch thread; about 8 minutes per MNIST-5k
fit on a busy 2-core machine, so ``--mnist-rows 2000`` takes a stratified
subset)::

    python benchmarks/studies/image_defaults.py
    python benchmarks/studies/image_defaults.py --datasets digits --methods SimCLR

Prints a table and writes ``image_defaults.json`` (in ``benchmarks/runs/``,
see ``outputs.py``) after every row.
"""

import argparse
import ast
import json
import os
import platform
import sys
from pathlib import Path

import torch
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/
from data import digits_images, mnist_5k  # noqa: E402
from outputs import output_path  # noqa: E402
from protocol import evaluate, split  # noqa: E402

from sklearn_ssl import BYOL, BarlowTwins, SimCLR, VICReg  # noqa: E402

METHODS = {"SimCLR": SimCLR, "BYOL": BYOL, "VICReg": VICReg, "BarlowTwins": BarlowTwins}
DATASETS = {"digits": digits_images, "mnist": mnist_5k}
RECIPES = ["auto", "natural"]
BUDGETS = [1, 10]


def load(name, mnist_rows):
    """``(dataset, X, y, note)``; MNIST-5k optionally as a stratified subset of ``mnist_rows``."""
    dataset = DATASETS[name]()
    X, y, note = dataset.X, dataset.y, dataset.name
    if name == "mnist" and mnist_rows < len(X):
        X, _, y, _ = train_test_split(X, y, train_size=mnist_rows, stratify=y, random_state=0)
        note = f"MNIST-5k, stratified subset of {mnist_rows} rows (random_state=0)"
    return dataset, X, y, note


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--recipes", nargs="+", default=RECIPES, choices=RECIPES)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--mnist-rows", type=int, default=5000, help="stratified MNIST subset")
    parser.add_argument(
        "--set",
        nargs="+",
        default=[],
        metavar="NAME=VALUE",
        help="a variant: parameters set on every model (e.g. elastic=1.0)",
    )
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--out", default=None, help="JSON path (default: see outputs.py)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    variant = dict(parse_setting(setting) for setting in args.set)
    suffix = "".join(f", {name}={value!r}" for name, value in variant.items())
    out = Path(args.out or output_path("image_defaults.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "protocol": "linear probe, 10 (and 1) labels per class, seeds 0..4, benchmarks/protocol.py",
        "device": f"CPU ({platform.processor() or platform.machine()}), {args.threads} thread(s)",
        "load_average_at_start": os.getloadavg()[0],
        "epochs": args.epochs,
        "torch": torch.__version__,
        "data": {},
    }
    results = {}
    print("| data | representation | recipe | 1 / class | 10 / class | fit s |")
    print("|---|---|---|---|---|---|")
    for data_name in args.datasets:
        dataset, X, y, note = load(data_name, args.mnist_rows)
        X_pool, X_test, y_pool, y_test = split(X, y, dataset.test_size)
        meta["data"][data_name] = f"{note}, pool {len(X_pool)} / test {len(X_test)}"
        rows = results.setdefault(data_name, {})
        rows["raw pixels"] = evaluate(None, X_pool, y_pool, X_test, y_test, BUDGETS)
        print_row(data_name, "raw pixels", "", rows["raw pixels"])
        for recipe in args.recipes:
            for name in args.methods:
                model = METHODS[name](
                    input_shape=dataset.input_shape,
                    augmentation=recipe,
                    max_epochs=args.epochs,
                    device="cpu",
                    random_state=0,
                    **variant,
                )
                result = evaluate(model, X_pool, y_pool, X_test, y_test, BUDGETS)
                result["augmentation_"] = {
                    key: list(value) if isinstance(value, tuple) else value
                    for key, value in model.augmentation_.items()
                }
                rows[f"{name} ({recipe}{suffix})"] = result
                print_row(data_name, name, recipe + suffix, result)
                out.write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}; wrote {out}")


def parse_setting(setting):
    """``("name", value)`` of ``"name=value"``, the value a Python literal."""
    name, _, value = setting.partition("=")
    return name, ast.literal_eval(value)


def print_row(data_name, name, recipe, result):
    linear = " | ".join(f"{result['linear'][str(k)]:.3f}" for k in BUDGETS)
    print(
        f"| {data_name} | {name} | {recipe} | {linear} | {result['fit_seconds']:.0f} |",
        flush=True,
    )


if __name__ == "__main__":
    main()
