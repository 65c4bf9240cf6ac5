"""The README's quick start runs and prints the accuracy its comment shows."""

import contextlib
import io
import re
from pathlib import Path

import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

README = (Path(__file__).parents[2] / "README.md").read_text()
QUICK_START = re.search(r"## Quick start\n\n```python\n(.*?)```", README, re.S).group(1)
SHOWN = re.search(r"# (0\.\d\d); raw pixels with the same 10 labels: (0\.\d\d)", QUICK_START)


def test_the_quick_start_shows_two_accuracies():
    assert SHOWN is not None, "the quick start's print line lost its '# 0.xx; raw ...' comment"


@pytest.mark.slow  # a 40-epoch SimCLR fit, about 40 s on one CPU thread
def test_the_quick_start_prints_what_it_shows():
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(QUICK_START, "README.md quick start", "exec"), {})
    assert f"{float(printed.getvalue()):.2f}" == SHOWN.group(1)


def test_the_raw_pixel_accuracy_is_what_the_quick_start_shows():
    X, y = load_digits(return_X_y=True)
    X_pool, X_test, y_pool, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    few = [list(y_pool).index(c) for c in range(10)]
    raw = LogisticRegression(max_iter=1000).fit(X_pool[few], y_pool[few]).score(X_test, y_test)
    assert f"{raw:.2f}" == SHOWN.group(2)
