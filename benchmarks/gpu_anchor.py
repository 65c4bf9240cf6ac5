"""fit() against the shared hand-written SimCLR loop, in one run on one machine.

The shared reference loops (``anchor_simclr.py`` and ``peer_lightly.py``, from
the project's shared bench folder, copied beside the run with
``--bench-dir``) train a CIFAR-style ResNet-18 with two views, device-side
augmentation, NT-Xent at temperature 0.2, a 512-2048-128 projection with
batch norm, fused AdamW, batch 512, bf16 autocast and channels_last. This
script times, in the same process:

* the anchor, eager and under ``torch.compile``;
* ``SimCLR(encoder="resnet18", ...).fit`` with the anchor's recipe, eager and
  with ``compile=True``: steady-state epochs (``partial_fit`` after a first
  epoch that pays warm-up and compilation);
* lightly's pipeline (CPU augmentation in DataLoader workers), when lightly
  and torchvision are installed.

It prints images/s, the ratio to the eager anchor, model FLOP utilisation
(6.7 GFLOP per image per step, ``--peak-tflops`` of the device) and peak device
memory, and writes gpu_anchor.json (``benchmarks/outputs.py`` says where).

Where ``fit`` differs from the anchor by design: batches are a fresh
permutation each epoch (the anchor samples indices with replacement), crops
pad with zeros (the anchor reflects), the colour jitter also shifts hue, and
the loss counts the global batch's negatives in a data-parallel run.

    python benchmarks/gpu_anchor.py --bench-dir ../shared/bench          # on a GPU
    python benchmarks/gpu_anchor.py --bench-dir ../shared/bench --quick  # a CPU smoke test
"""

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
from outputs import output_path  # noqa: E402

from sklearn_ssl import SimCLR  # noqa: E402

#: Training FLOPs of one image, two views, ResNet-18-CIFAR (forward 1.11 GFLOP, a step 3x).
FLOP_PER_IMAGE = 6.7e9


def load_module(path):
    """A module from a file (the shared bench scripts are not part of this repo)."""
    sys.path.insert(0, str(Path(path).parent))
    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def peak_memory(device):
    return torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else None


def reset_peak(device):
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)


def anchor_run(anchor, data, batch, steps, compiled, device):
    """The anchor's own loop: images/s and peak memory."""
    reset_peak(device)
    model = anchor.SimCLR().to(device).to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=1e-3, weight_decay=1e-6, fused=device.type == "cuda"
    )
    amp = torch.bfloat16 if device.type == "cuda" else None
    result = anchor.run_gpu(model, optimizer, data, batch, steps, compiled, device, amp)
    return {"images_per_s": result["samples_per_s"], "peak_gib": peak_memory(device)}


def anchor_recipe(batch, compile):
    """SimCLR with the anchor's network, views, loss, heads and optimizer."""
    return SimCLR(
        n_components=512,
        encoder="resnet18",
        projection_size=128,
        hidden_size=2048,
        temperature=0.2,
        crop_scale=(0.08, 1.0),
        flip=True,
        jitter=0.5,  # brightness, contrast and saturation within 0.8 * 0.5 = 0.4, as the anchor
        grayscale=0.2,
        blur=0.0,
        batch_size=batch,
        lr=1e-3,
        weight_decay=1e-6,
        optimizer="adamw",
        data_on_device=True,
        compile=compile,
        n_jobs=-1,
        random_state=0,
    )


def fit_run(images, batch, epochs, compile, device):
    """Steady-state images/s of ``fit``: epochs after a first, warm-up epoch."""
    estimator = anchor_recipe(batch, compile).set_params(max_epochs=1)
    start = time.perf_counter()
    estimator.fit(images)
    sync(device)
    first_epoch = time.perf_counter() - start
    reset_peak(device)
    start = time.perf_counter()
    for _ in range(epochs):
        estimator.partial_fit(images)
    sync(device)
    seconds = time.perf_counter() - start
    return {
        "images_per_s": epochs * len(images) / seconds,
        "first_epoch_s": first_epoch,
        "peak_gib": peak_memory(device),
        "final_loss": float(estimator.history_[-1, "train_loss"]),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", required=True, help="folder of anchor_simclr.py")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a CPU")
    parser.add_argument("--peak-tflops", type=float, default=989.0, help="dense bf16 peak")
    parser.add_argument("--lightly-workers", type=int, default=8)
    args = parser.parse_args(argv)

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    anchor = load_module(Path(args.bench_dir) / "anchor_simclr.py")
    n, batch, steps, epochs = (256, 32, 2, 1) if args.quick else (50_000, 512, 60, 3)
    images = np.random.default_rng(0).integers(0, 256, size=(n, 3, 32, 32), dtype=np.uint8)
    data = torch.from_numpy(images).to(device)

    rows = {
        "anchor eager": anchor_run(anchor, data, batch, steps, False, device),
        "anchor compiled": anchor_run(anchor, data, batch, steps, True, device),
        "fit() eager": fit_run(images, batch, epochs, False, device),
        "fit() compile=True": fit_run(images, batch, epochs, True, device),
    }
    try:
        peer = load_module(Path(args.bench_dir) / "peer_lightly.py")
        workers = 0 if args.quick else args.lightly_workers
        amp = torch.bfloat16 if device.type == "cuda" else None
        channels_last = images.transpose(0, 2, 3, 1).copy()
        result = peer.run_lightly(channels_last, batch, steps, workers, device, amp)
        rows[f"lightly, {workers} workers"] = {"images_per_s": result["samples_per_s"]}
    except ImportError as exc:
        print(f"lightly's pipeline skipped: {exc}")

    eager = rows["anchor eager"]["images_per_s"]
    print("| run | images/s | / anchor eager | MFU | peak GiB |")
    print("|---|---|---|---|---|")
    for name, row in rows.items():
        row["ratio_to_anchor_eager"] = row["images_per_s"] / eager
        row["mfu"] = row["images_per_s"] * FLOP_PER_IMAGE / (args.peak_tflops * 1e12)
        peak = "" if row.get("peak_gib") is None else f"{row['peak_gib']:.1f}"
        print(
            f"| {name} | {row['images_per_s']:,.0f} | {row['ratio_to_anchor_eager']:.3f} "
            f"| {row['mfu']:.1%} | {peak} |"
        )
    device_name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    report = {
        "device": device_name,
        "torch": torch.__version__,
        "images": n,
        "batch": batch,
        "quick": args.quick,
        "rows": rows,
    }
    path = output_path("gpu_anchor.json")
    path.write_text(json.dumps(report, indent=2))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
