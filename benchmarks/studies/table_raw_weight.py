"""Does weighting the raw columns more recover raw accuracy next to the embeddings?

A diagnostic for ``notes/tables-mixed.md``: SCARF is fitted once per width on
the unlabeled pool; the protocol's logistic probe then sees its embeddings
next to the one-hot + impute + scale block repeated 1, 4 and 16 times (so
that the raw columns weigh more in the probe's L2 penalty). Prints one line
per case, writes JSON.

    python benchmarks/studies/table_raw_weight.py           # cars and titanic
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parents[1]))  # benchmarks/
sys.path.insert(0, str(Path(__file__).parents[2]))  # the repository

from outputs import output_path  # noqa: E402
from protocol import as_features, probe_scores, split  # noqa: E402
from run import environment  # noqa: E402
from tables_mixed import TABLES, load_table, one_hot_impute_scale  # noqa: E402

from sklearn_ssl import SCARF  # noqa: E402
from sklearn_ssl.metrics import rankme  # noqa: E402

BUDGETS = [5, 10, "all"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=["cars", "titanic"], choices=list(TABLES))
    parser.add_argument("--widths", nargs="+", type=int, default=[128, 32])
    args = parser.parse_args()
    torch.set_num_threads(1)
    results = []
    for table in args.tables:
        found = load_table(table)
        if found is None:
            continue
        X_pool, X_test, y_pool, y_test = split(*found)
        raw = one_hot_impute_scale().fit(X_pool)
        R_pool, R_test = raw.transform(X_pool), raw.transform(X_test)
        scores = probe_scores(R_pool, y_pool, R_test, y_test, BUDGETS)
        results.append({"table": table, "case": "one-hot + impute + scale", "linear": scores})
        print(f"{table:10s} {'one-hot + impute + scale':28s} {scores}", flush=True)
        for width in args.widths:
            est = SCARF(width, max_epochs=100, random_state=0, passthrough=False).fit(X_pool)
            Z_pool, Z_test = as_features(est.transform(X_pool)), as_features(est.transform(X_test))
            for copies in (1, 4, 16):
                scores = probe_scores(
                    np.hstack([Z_pool] + [R_pool] * copies),
                    y_pool,
                    np.hstack([Z_test] + [R_test] * copies),
                    y_test,
                    BUDGETS,
                )
                case = f"SCARF {width} + one-hot x{copies}"
                results.append(
                    {"table": table, "case": case, "linear": scores, "rankme": rankme(Z_pool)}
                )
                print(f"{table:10s} {case:28s} {scores}", flush=True)
    payload = {"environment": environment(), "results": results}
    output_path("table_raw_weight.json").write_text(json.dumps(payload, indent=1))


if __name__ == "__main__":
    main()
