"""Out-of-core training: fit on a memmap several times larger than the memory allowed.

Two measurements, printed as a table and written to
``out_of_core_{cpu,gpu}.json`` (in ``benchmarks/runs/``, see ``outputs.py``):

1. **Memory.** A float32 ``np.memmap`` of ``--rows`` x ``--features`` is
   written to a temporary directory. A child process imports sklearn-ssl,
   opens the memmap, then limits its own private writable memory (heap and
   anonymous maps, ``RLIMIT_DATA``) to what it already uses plus
   ``--limit-mb``, far less than the data (on CUDA, whose driver reserves
   private address space, no limit is set unless asked), and fits a SCARF on the memmap for
   one epoch (the file's pages are page cache, shared and evictable, not
   counted). A thread samples ``RssAnon`` from ``/proc/self/status`` every
   5 ms; the report gives the wall time, the rows/s and the peak growth of
   anonymous memory over the value before ``fit`` (target: under half the
   data size). Then ``transform`` embeds the whole memmap, with its time and
   peak growth (the embeddings themselves are held in memory).
2. **Speed.** On an in-memory array small enough to keep resident, fits with
   ``data_on_device=True`` and ``False`` alternate (``--repeats`` each) and the
   ratio of their median rows/s is reported: what streaming from host memory
   costs against resident data (on CUDA: pinned buffers, side-stream copies).

    python benchmarks/out_of_core.py            # CPU: 1.9 GiB memmap, 512 MiB limit
    python benchmarks/out_of_core.py --gpu      # CUDA: 3.8 GiB memmap, wider MLP, batch 4096
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from outputs import output_path

ROOT = Path(__file__).parents[1]


def status_mb(field):
    """A memory field of /proc/self/status (e.g. ``RssAnon``, ``VmData``), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise KeyError(field)


class PeakSampler(threading.Thread):
    """Samples ``RssAnon`` every 5 ms; ``peak`` is the largest value seen, in MiB."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = status_mb("RssAnon")
        self.peak_data = status_mb("VmData")
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.005):
            self.peak = max(self.peak, status_mb("RssAnon"))
            self.peak_data = max(self.peak_data, status_mb("VmData"))

    def stop(self):
        self.done.set()
        self.join()
        return max(self.peak, status_mb("RssAnon"))


def make_estimator(args, **params):
    from sklearn_ssl import SCARF

    return SCARF(
        n_components=args.components,
        hidden_layer_sizes=(args.hidden,),
        projection_size=args.components,
        batch_size=args.batch_size,
        max_epochs=1,
        device="cuda" if args.gpu else "cpu",
        random_state=0,
        **params,
    )


def write_memmap(path, rows, features, chunk=65536):
    """Random float32 rows in two clusters, written chunk by chunk."""
    writer = np.memmap(path, dtype=np.float32, mode="w+", shape=(rows, features))
    rng = np.random.default_rng(0)
    for start in range(0, rows, chunk):
        stop = min(rows, start + chunk)
        rows_here = rng.standard_normal((stop - start, features), dtype=np.float32)
        rows_here[:, :8] += 3.0 * (np.arange(start, stop) % 2)[:, None]
        writer[start:stop] = rows_here
    writer.flush()
    del writer


def child_fit(args):
    """In the child: limit private memory, fit on the memmap, print a JSON line."""
    import torch

    torch.set_num_threads(args.threads)
    X = np.memmap(args.path, dtype=np.float32, mode="r", shape=(args.rows, args.features))
    est = make_estimator(args)
    if args.gpu:
        torch.zeros(1, device="cuda")  # initialise CUDA before measuring
    if args.limit_mb:
        limit = int((status_mb("VmData") + args.limit_mb) * 2**20)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    before, data_before = status_mb("RssAnon"), status_mb("VmData")
    sampler = PeakSampler()
    sampler.start()
    start = time.perf_counter()
    est.fit(X)
    if args.gpu:
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    peak = sampler.stop()
    sampler = PeakSampler()
    sampler.start()
    start = time.perf_counter()
    embeddings = est.transform(X)
    transform_seconds = time.perf_counter() - start
    transform_peak = sampler.stop()
    print(
        json.dumps(
            {
                "fit_seconds": seconds,
                "rows_per_second": args.rows / seconds,
                "rss_anon_before_mb": before,
                "rss_anon_peak_mb": peak,
                "rss_anon_growth_mb": peak - before,
                "limit_mb": args.limit_mb,
                "vm_data_growth_mb": sampler.peak_data - data_before,
                "final_loss": est.history_[-1, "train_loss"],
                "transform_seconds": transform_seconds,
                "transform_rss_anon_growth_mb": transform_peak - before,
                "embeddings_mb": embeddings.nbytes / 2**20,
            }
        )
    )


def memory_run(args, argv):
    data_mb = args.rows * args.features * 4 / 2**20
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "rows.f32")
        start = time.perf_counter()
        write_memmap(path, args.rows, args.features)
        print(f"wrote {data_mb:.0f} MiB memmap in {time.perf_counter() - start:.1f} s", flush=True)
        command = [sys.executable, __file__, "--child", "--path", path] + argv
        out = subprocess.run(command, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"the fit on the memmap failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["data_mb"] = data_mb
    result["growth_share_of_data"] = result["rss_anon_growth_mb"] / data_mb
    return result


def speed_run(args):
    """Median rows/s of resident vs streamed fits on the same in-memory rows."""
    import torch

    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((args.speed_rows, args.features), dtype=np.float32)
    seconds = {True: [], False: []}
    make_estimator(args, data_on_device=True).fit(X[: 4 * args.batch_size])  # warm-up
    for _ in range(args.repeats):
        for resident in (True, False):
            est = make_estimator(args, data_on_device=resident)
            start = time.perf_counter()
            est.fit(X)
            if args.gpu:
                torch.cuda.synchronize()
            seconds[resident].append(time.perf_counter() - start)
    resident_rate = args.speed_rows / statistics.median(seconds[True])
    streamed_rate = args.speed_rows / statistics.median(seconds[False])
    return {
        "rows": args.speed_rows,
        "resident_rows_per_second": resident_rate,
        "streamed_rows_per_second": streamed_rate,
        "streamed_over_resident": streamed_rate / resident_rate,
        "seconds": {"resident": seconds[True], "streamed": seconds[False]},
    }


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gpu", action="store_true", help="train on CUDA")
    parser.add_argument("--rows", type=int, default=None, help="memmap rows")
    parser.add_argument("--features", type=int, default=1024)
    parser.add_argument(
        "--limit-mb", type=float, default=None, help="private memory allowed; 0: no limit"
    )
    parser.add_argument("--speed-rows", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # CPU: a small MLP; GPU: a wider one and large batches, so the device has work
    args.rows = args.rows or (1_000_000 if args.gpu else 500_000)
    args.speed_rows = args.speed_rows or (500_000 if args.gpu else 50_000)
    args.hidden, args.components = (1024, 256) if args.gpu else (64, 16)
    args.batch_size = 4096 if args.gpu else 512
    if args.limit_mb is None:  # CUDA reserves private address space: only measure there
        args.limit_mb = 0.0 if args.gpu else 512.0
    sys.path.insert(0, str(ROOT))
    if args.child:
        child_fit(args)
        return

    import torch

    memory = memory_run(args, argv)
    speed = speed_run(args)
    device = torch.cuda.get_device_name() if args.gpu else platform.processor() or "CPU"
    report = {"device": device, "torch": torch.__version__, "memory": memory, "speed": speed}
    report["settings"] = {
        key: getattr(args, key)
        for key in ("rows", "features", "hidden", "components", "batch_size", "threads")
    }
    out = output_path(f"out_of_core_{'gpu' if args.gpu else 'cpu'}.json")
    out.write_text(json.dumps(report, indent=2))
    print(f"\ndevice: {device}")
    print("| data | limit | fit wall time | rows/s | peak RssAnon growth | share of data |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {memory['data_mb']:.0f} MiB memmap "
        f"| {f'{args.limit_mb:.0f} MiB' if args.limit_mb else 'none'} "
        f"| {memory['fit_seconds']:.1f} s | {memory['rows_per_second']:,.0f} "
        f"| {memory['rss_anon_growth_mb']:.0f} MiB | {memory['growth_share_of_data']:.1%} |"
    )
    print("\n| rows | resident rows/s | streamed rows/s | streamed / resident |")
    print("|---|---|---|---|")
    print(
        f"| {speed['rows']:,} | {speed['resident_rows_per_second']:,.0f} "
        f"| {speed['streamed_rows_per_second']:,.0f} | {speed['streamed_over_resident']:.2f} |"
    )
    print(
        f"\ntransform of the memmap: {memory['transform_seconds']:.1f} s, peak RssAnon growth "
        f"{memory['transform_rss_anon_growth_mb']:.0f} MiB over the value before fit "
        f"(embeddings: {memory['embeddings_mb']:.0f} MiB)"
    )
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
