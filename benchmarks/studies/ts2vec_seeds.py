"""TS2Vec's accuracy over several seeds, against the published full-label figures.

The paper's settings (``methods.series_methods``), the archive's split, the
TS2Vec SVM protocol with all labels and the logistic probe at 1 and 5 labels
per class (``protocol.py``); one fit per seed. Prints mean and standard
deviation per data set and writes JSON (see ``outputs.py``).

    python benchmarks/studies/ts2vec_seeds.py --datasets arrowhead gunpoint --seeds 0 1 2 3 4
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parents[1]))  # benchmarks/
sys.path.insert(0, str(Path(__file__).parents[2]))  # the repository

from data import LOADERS, SERIES_SETS, ready_for_series  # noqa: E402
from methods import series_methods  # noqa: E402
from outputs import output_path  # noqa: E402
from protocol import probe_scores, svm_accuracy  # noqa: E402

#: Full-label accuracy published by Yue et al. (2022), TS2Vec's UCR and UEA tables.
PUBLISHED = {"ArrowHead": 0.857, "GunPoint": 0.980, "ItalyPowerDemand": 0.925}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", choices=sorted(SERIES_SETS), required=True)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--out", default=None, help="JSON path (default: see outputs.py)")
    args = parser.parse_args(argv)
    if not ready_for_series():
        return None
    report = {"seeds": args.seeds, "device": torch.cuda.get_device_name()
              if torch.cuda.is_available() else "cpu", "datasets": {}}  # fmt: skip
    out = Path(args.out or output_path("ts2vec_seeds.json"))
    for key in args.datasets:
        dataset = LOADERS[key]()
        X_test, y_test = dataset.test
        runs = []
        for seed in args.seeds:
            ts2vec = series_methods(dataset, quick=False)["TS2Vec"].set_params(random_state=seed)
            start = time.perf_counter()
            ts2vec.fit(dataset.X)
            seconds = time.perf_counter() - start
            Z_pool, Z_test = ts2vec.transform(dataset.X), ts2vec.transform(X_test)
            runs.append(
                {
                    "seed": seed,
                    "svm": svm_accuracy(Z_pool, dataset.y, Z_test, y_test),
                    "linear": probe_scores(Z_pool, dataset.y, Z_test, y_test, [1, 5]),
                    "fit_seconds": seconds,
                }
            )
            print(dataset.name, runs[-1], flush=True)
        svm = [run["svm"] for run in runs]
        report["datasets"][dataset.name] = {
            "runs": runs,
            "svm_mean": float(np.mean(svm)),
            "svm_std": float(np.std(svm)),
            "published": PUBLISHED.get(dataset.name),
        }
        out.write_text(json.dumps(report, indent=2))
    print("\n| data set | TS2Vec SVM, mean ± sd over seeds | published | 1 label | fit s |")
    print("|---|---|---|---|---|")
    for name, entry in report["datasets"].items():
        one = np.mean([run["linear"]["1"] for run in entry["runs"]])
        seconds = np.mean([run["fit_seconds"] for run in entry["runs"]])
        published = entry["published"]
        print(
            f"| {name} | {entry['svm_mean']:.3f} ± {entry['svm_std']:.3f} | "
            f"{'' if published is None else f'{published:.3f}'} | {one:.3f} | {seconds:.0f} |"
        )
    return report


if __name__ == "__main__":
    main()
