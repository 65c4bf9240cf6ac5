"""Data-parallel speed-up: the same fit launched on 1 and on N processes.

The script launches itself with ``torchrun --standalone --nproc_per_node P``
for P = 1 and P = ``--processes``; every process fits the same SCARF on the
same synthetic rows (resident on its device) and rank 0 reports the wall time
of ``fit``. The speed-up is time(1) / time(P) for the same global batch size
and epochs (target on 2 GPUs: at least 1.8). Results go to
``data_parallel_{cpu,gpu}.json`` (in ``benchmarks/runs/``, see ``outputs.py``).

    python benchmarks/data_parallel.py --gpu --processes 2   # one GPU per process
    python benchmarks/data_parallel.py --processes 2         # CPU (gloo): checks it runs
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from outputs import output_path

ROOT = Path(__file__).parents[1]


def child(args):
    """In a launched process: fit, and on rank 0 print the seconds as JSON."""
    import torch

    from sklearn_ssl import SCARF

    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.rows, args.features), dtype=np.float32)
    params = dict(
        n_components=args.components,
        hidden_layer_sizes=(args.hidden, args.hidden),
        projection_size=args.components,
        batch_size=args.batch_size,
        device="cuda" if args.gpu else "cpu",
        data_on_device=True,
        random_state=0,
    )
    SCARF(**params, max_epochs=1).fit(X[: 4 * args.batch_size])  # warm-up
    start = time.perf_counter()
    est = SCARF(**params, max_epochs=args.epochs).fit(X)
    seconds = time.perf_counter() - start
    if int(os.environ.get("RANK", "0")) == 0:
        print(json.dumps({"seconds": seconds, "final_loss": est.history_[-1, "train_loss"]}))


def launch(processes, argv):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    command += ["--nproc_per_node", str(processes), __file__, "--child", *argv]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{processes} processes failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gpu", action="store_true")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--features", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.rows = args.rows or (1_000_000 if args.gpu else 20_000)
    args.epochs = args.epochs or (3 if args.gpu else 2)
    args.hidden, args.components = (2048, 512) if args.gpu else (64, 16)
    args.batch_size = 8192 if args.gpu else 512
    if args.child:
        child(args)
        return
    single = launch(1, argv)
    several = launch(args.processes, argv)
    speedup = single["seconds"] / several["seconds"]
    report = {"single": single, "several": several, "processes": args.processes}
    report.update(speedup=speedup, settings=vars(args))
    if args.gpu:
        import torch

        report["device"] = torch.cuda.get_device_name()
    out = output_path(f"data_parallel_{'gpu' if args.gpu else 'cpu'}.json")
    out.write_text(json.dumps(report, indent=2))
    print("| processes | fit seconds | final loss | speed-up |")
    print("|---|---|---|---|")
    print(f"| 1 | {single['seconds']:.1f} | {single['final_loss']:.4f} | 1.00 |")
    print(
        f"| {args.processes} | {several['seconds']:.1f} | {several['final_loss']:.4f} "
        f"| {speedup:.2f} |"
    )
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
