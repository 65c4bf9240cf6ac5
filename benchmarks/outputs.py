"""Where the benchmarks write: an ignored folder, unless told to regenerate the results.

Every script writes its JSON, tables and plots to ``benchmarks/runs/``, which
git ignores, so running a benchmark (``make demo`` included) never changes the
committed results. To regenerate the committed files in
``benchmarks/results/`` on purpose, set ``BENCHMARK_OUT=benchmarks/results``
(or pass a script's ``--out``).
"""

import os
from pathlib import Path

#: The ignored folder runs go to by default.
RUNS = Path(__file__).parent / "runs"

#: The folder of this run's outputs.
OUT = Path(os.environ.get("BENCHMARK_OUT", RUNS))


def output_path(name):
    """``OUT / name``, its folder created."""
    path = OUT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
