"""The package as users install it: a built wheel in a fresh virtual environment.

The wheel is built from this tree, installed with its declared dependencies
(torch pinned to the CPU build by ``constraints-cpu.txt``, as the README's
set-up does) into a new venv, and used from outside the source tree: import,
a tiny fit, a code-free save and load.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

USE_THE_WHEEL = textwrap.dedent(
    """
    import sys
    import numpy as np
    import sklearn_ssl
    from sklearn.datasets import load_digits

    assert "site-packages" in sklearn_ssl.__file__, sklearn_ssl.__file__
    X, _ = load_digits(return_X_y=True)
    scarf = sklearn_ssl.SCARF(n_components=8, max_epochs=2, random_state=0).fit(X)
    scarf.save(sys.argv[1])
    loaded = sklearn_ssl.load(sys.argv[1])
    np.testing.assert_array_equal(loaded.transform(X), scarf.transform(X))
    print(sklearn_ssl.__version__, loaded.transform(X).shape[0])
    """
)


def run(*command, cwd):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.mark.slow
def test_a_built_wheel_installs_and_fits_in_a_fresh_venv(tmp_path):
    dist, venv = tmp_path / "dist", tmp_path / "venv"
    run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, ROOT, cwd=tmp_path
    )
    (wheel,) = dist.glob("sklearn_ssl-*.whl")
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    constraints = ROOT / "constraints-cpu.txt"
    run(python, "-m", "pip", "install", "--quiet", "-c", constraints, wheel, cwd=tmp_path)
    script = tmp_path / "use_the_wheel.py"
    script.write_text(USE_THE_WHEEL)
    out = run(python, script, tmp_path / "scarf.safetensors", cwd=tmp_path)
    assert out.split() == [wheel.name.split("-")[1], "1797"]
