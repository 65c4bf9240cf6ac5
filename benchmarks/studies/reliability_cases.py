"""Count what each estimator does with hostile inputs (the property-based suite, larger).

Runs the strategies of ``tests/strategies.py`` on every case of
``tests/registry.py`` with more examples than the test suite, and prints one
Markdown table row per estimator and input category: how many cases were tried
and how many worked, raised ValueError or raised TypeError. Any other outcome
stops the run with hypothesis' minimal failing example.

    python benchmarks/studies/reliability_cases.py [examples per category, default 100]
"""

import sys
import time
from collections import Counter
from pathlib import Path

import torch
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository

from tests.registry import cases  # noqa: E402
from tests.strategies import STRATEGIES, outcome  # noqa: E402


def tally(case, strategy, examples):
    counts = Counter()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(X=strategy)
    def run(X):
        counts[outcome(case.estimator, X)] += 1

    run()
    return counts


def main(examples):
    torch.set_num_threads(1)
    print("| estimator | inputs | tried | works | ValueError | TypeError | seconds |")
    print("|---|---|---|---|---|---|---|")
    for case in cases():
        totals = Counter()
        for category, strategy in STRATEGIES[case.kind].items():
            start = time.perf_counter()
            counts = tally(case, strategy, examples)
            totals.update(counts)
            print(
                f"| {case.id} | {category} | {sum(counts.values())} | {counts['works']} | "
                f"{counts['ValueError']} | {counts['TypeError']} | "
                f"{time.perf_counter() - start:.0f} |",
                flush=True,
            )
        print(
            f"| {case.id} | **all** | {sum(totals.values())} | {totals['works']} | "
            f"{totals['ValueError']} | {totals['TypeError']} | |",
            flush=True,
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
