"""Fine-tuning speed of ``FineTunedClassifier.fit`` against a plain PyTorch loop, in the same run.

Stage two's counterpart of ``speed.py``. Each case pretrains a transformer once
(SCARF on the digits table, SimCLR on the 8x8 digits images), then both sides
fine-tune a copy of the same fitted encoder on the 1,257 labeled rows of the
protocol's pool (``protocol.split``) in batches of 64, for 50 epochs (SCARF,
whose short steps show per-step overhead) or 10 (SimCLR), float32 on the CPU
with one torch thread:

* ``fit``: ``FineTunedClassifier(FrozenEstimator(pretrained), freeze_epochs=0,
  warmup=0, ...).fit(X, y)``, the engine's path (``make_net`` / ``fit_net``);
* the plain loop: what one writes by hand for the same training. The network
  ``FineTunedClassifier`` builds (``copy.deepcopy(encoder_)``, then
  ``BatchNorm1d(width, affine=False)`` and ``Linear`` seeded alike), AdamW with
  the same two parameter groups (the encoder at ``lr * encoder_lr_scale``),
  the estimator's own batches (``_training_batches`` on a generator from
  ``make_generator``, reseeded each epoch as the engine does), the
  cross-entropy loss, zero_grad/backward/step, and the loss summed on the
  device and read once per epoch (no per-step host sync).

Same seeds, batches and updates, so both sides reach the same training loss;
the table shows both, as a check that they did the same work. The FixMatch
case (``consistency_weight=1.0, unlabeled_ratio=7``) pairs each labeled batch
with seven times as many unlabeled rows (all of ``X``; an epoch is one pass
over them); the plain loop takes the clean view's logits under ``no_grad``,
the augmented view from ``_augment_rows`` and
:func:`sklearn_ssl.losses.pseudo_label_loss`.

Runs alternate (plain, fit, plain, fit, ...) and medians are compared, since
shared machines are noisy. The ratio is fit time over plain time (1.10 or
less meets issue 24's goal), for the epochs alone (``history_[:, "dur"]``
against the plain loop's epochs) and for the whole call (validation, copying
the encoder and building the engine included). Prints a markdown table and
writes JSON to ``benchmarks/runs/`` (see ``outputs.py``).

    python benchmarks/speed_finetune.py            # full settings, a few minutes
    python benchmarks/speed_finetune.py --quick    # a tiny run (smoke test)
    python benchmarks/speed_finetune.py --only SCARF --repeats 5
"""

import argparse
import copy
import itertools
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.frozen import FrozenEstimator
from sklearn.utils import check_random_state
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from methods import DIGITS_VIEWS  # noqa: E402  (the 8x8 digits views, quick CPU setting)
from outputs import output_path  # noqa: E402
from protocol import split  # noqa: E402
from run import environment  # noqa: E402

import sklearn_ssl  # noqa: E402
from sklearn_ssl._engine import make_generator, seeded_torch  # noqa: E402
from sklearn_ssl.losses import pseudo_label_loss  # noqa: E402

DEVICE = torch.device("cpu")

#: FineTunedClassifier's defaults, spelled out: both sides train with these.
FINE_TUNING = dict(
    lr=1e-2,
    encoder_lr_scale=0.1,
    weight_decay=1e-4,
    batch_size=64,
    random_state=0,
)

#: The FixMatch case's extra parameters.
FIXMATCH = dict(consistency_weight=1.0, unlabeled_ratio=7, confidence_threshold=0.95)


def fine_tuning_seed(random_state):
    """The seed ``FineTunedClassifier.fit`` draws for fine-tuning from ``random_state``.

    Parameters
    ----------
    random_state : int
        The classifier's ``random_state``.

    Returns
    -------
    seed : int
        The second of the two seeds ``fit`` draws (the first is pretraining's).
    """
    return int(check_random_state(random_state).randint(2**31 - 1, size=2)[1])


def epoch_seed(seed, epoch):
    """The seed the engine gives the generator and torch's RNG at ``epoch`` (``net.py``).

    Parameters
    ----------
    seed : int
        The fine-tuning seed.
    epoch : int
        The epoch's number, counting from 1 (the history's length once skorch
        has opened the epoch's row).

    Returns
    -------
    seed : int
    """
    return int(np.random.SeedSequence([seed, epoch]).generate_state(1)[0])


def _cycle(batches):
    """``batches`` over and over, a fresh pass (new order) each time."""
    while True:
        yield from batches


def plain_loop(pretrained, X, y, params, epochs):
    """Fine-tune a copy of ``pretrained``'s encoder by hand.

    Parameters
    ----------
    pretrained : SelfSupervisedTransformer
        Fitted; left unchanged.
    X : ndarray of shape (n_samples, ...)
        The labeled rows (and, with FixMatch, the unlabeled rows as well).
    y : ndarray of shape (n_samples,)
        Class labels.
    params : dict
        The fine-tuning parameters (:data:`FINE_TUNING`, plus :data:`FIXMATCH`).
    epochs : int
        Epochs to train.

    Returns
    -------
    total : float
        Seconds in all.
    in_epochs : float
        Seconds in the epochs.
    loss : float
        Mean training loss of the last epoch.
    """
    start = time.perf_counter()
    X_checked = pretrained._validate_input(X, reset=False)
    classes, targets = np.unique(y, return_inverse=True)
    seed = fine_tuning_seed(params["random_state"])
    encoder = copy.deepcopy(pretrained.encoder_).to(DEVICE)
    width = pretrained.n_components_
    with seeded_torch(seed, DEVICE):
        head = nn.Sequential(nn.BatchNorm1d(width, affine=False), nn.Linear(width, len(classes)))
    head.to(DEVICE)
    lr = params["lr"]
    optimizer = torch.optim.AdamW(
        [
            {"params": encoder.parameters(), "lr": lr * params["encoder_lr_scale"]},
            {"params": head.parameters()},
        ],
        lr=lr,
        weight_decay=params["weight_decay"],
    )
    criterion = nn.CrossEntropyLoss()
    generator = make_generator(seed, DEVICE)
    y_tensor = torch.as_tensor(targets.astype(np.int64), device=DEVICE)
    batch_size = params["batch_size"]
    batches = pretrained._training_batches(
        X_checked, DEVICE, generator, batch_size, "auto", y_tensor
    )
    fixmatch = params.get("consistency_weight", 0) > 0
    if fixmatch:
        unlabeled = unlabeled_batches(pretrained, X_checked, generator, params)
        weight, threshold = params["consistency_weight"], params["confidence_threshold"]

    def model(X_batch):
        return head(encoder(X_batch))

    encoder.train()
    head.train()
    epochs_start = time.perf_counter()
    for epoch in range(epochs):
        # reseeded as the engine does, so both sides draw the same batches
        seed_now = epoch_seed(seed, epoch + 1)
        torch.manual_seed(seed_now)
        generator.manual_seed(seed_now)
        loss_sum = torch.zeros((), device=DEVICE)
        n_steps = 0
        if fixmatch:
            labeled = _cycle(batches)
            steps = ((*next(labeled), X_u) for X_u, _ in unlabeled)
        else:
            steps = ((X_batch, y_batch, None) for X_batch, y_batch in batches)
        for X_batch, y_batch, X_u in steps:
            loss = criterion(model(X_batch), y_batch)
            if fixmatch:
                with torch.no_grad():
                    weak = model(X_u)
                strong = model(pretrained._augment_rows(X_u, generator))
                loss = loss + weight * pseudo_label_loss(weak, strong, threshold)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.detach()
            n_steps += 1
        epoch_loss = loss_sum.item() / n_steps  # the one host sync of the epoch
    end = time.perf_counter()
    return end - start, end - epochs_start, epoch_loss


def engine_fit(pretrained, X, y, params, epochs):
    """Fine-tune with ``FineTunedClassifier.fit``.

    Parameters
    ----------
    pretrained, X, y, params, epochs
        As for :func:`plain_loop`.

    Returns
    -------
    total : float
        Seconds of ``fit`` in all.
    in_epochs : float
        Seconds in its epochs (the history's durations).
    loss : float
        Mean training loss of the last epoch.
    """
    clf = sklearn_ssl.FineTunedClassifier(
        FrozenEstimator(pretrained),
        freeze_epochs=0,
        warmup=0.0,
        max_epochs=epochs,
        device="cpu",
        precision="float32",
        **params,
    )
    start = time.perf_counter()
    clf.fit(X, y)
    total = time.perf_counter() - start
    return total, float(sum(clf.history_[:, "dur"])), float(clf.history_[-1, "train_loss"])


def unlabeled_batches(pretrained, X_checked, generator, params):
    """FixMatch's unlabeled batches, as FineTunedClassifier draws them: every row of
    ``X_checked``, ``unlabeled_ratio`` times the labeled rows of a batch."""
    rows = params["unlabeled_ratio"] * min(params["batch_size"], len(X_checked))
    return pretrained._training_batches(X_checked, DEVICE, generator, rows, "auto")


def rows_per_epoch(pretrained, X, params):
    """Rows one epoch trains on: labeled rows drawn, plus unlabeled rows with FixMatch.

    Parameters
    ----------
    pretrained, X, params
        As for :func:`plain_loop`.

    Returns
    -------
    rows : int
    """
    X_checked = pretrained._validate_input(X, reset=False)
    generator = make_generator(0, DEVICE)
    batch_size = params["batch_size"]
    labeled = pretrained._training_batches(X_checked, DEVICE, generator, batch_size, "auto")
    if params.get("consistency_weight", 0) == 0:
        return sum(len(X_batch) for X_batch, _ in labeled)
    unlabeled = unlabeled_batches(pretrained, X_checked, generator, params)
    steps = len(unlabeled)
    labeled_rows = sum(len(X_batch) for X_batch, _ in itertools.islice(_cycle(labeled), steps))
    return labeled_rows + sum(len(X_u) for X_u, _ in unlabeled)


def cases(quick):
    """``(name, pretrained, X, y, params, epochs)`` of every case, pretrained once here.

    Parameters
    ----------
    quick : bool
        Tiny settings (a smoke test).

    Returns
    -------
    cases : list of tuple
    """
    X, y = load_digits(return_X_y=True)
    X_pool, _, y_pool, _ = split(X, y)
    pretrain_epochs = 2 if quick else 10
    # SCARF's steps are short (where per-step overhead shows): more epochs steady the timing
    table_epochs, image_epochs = (2, 2) if quick else (50, 10)
    scarf = sklearn_ssl.SCARF(max_epochs=pretrain_epochs, device="cpu", random_state=0)
    simclr = sklearn_ssl.SimCLR(**DIGITS_VIEWS, max_epochs=pretrain_epochs)
    images = X_pool.reshape(-1, 1, 8, 8)
    print("pretraining SCARF and SimCLR once ...", flush=True)
    scarf.fit(X_pool)
    simclr.fit(images)
    fixmatch = {**FINE_TUNING, **FIXMATCH}
    return [
        ("SCARF digits table", scarf, X_pool, y_pool, FINE_TUNING, table_epochs),
        ("SimCLR digits 8x8", simclr, images, y_pool, FINE_TUNING, image_epochs),
        ("SCARF digits table, FixMatch", scarf, X_pool, y_pool, fixmatch, table_epochs),
        ("SimCLR digits 8x8, FixMatch", simclr, images, y_pool, fixmatch, image_epochs),
    ]


def measure(name, pretrained, X, y, params, epochs, repeats):
    """Alternate plain-loop and ``fit`` runs; medians and ratios.

    Parameters
    ----------
    name : str
        The case's name.
    pretrained, X, y, params, epochs
        As for :func:`plain_loop`.
    repeats : int
        Runs of each side.

    Returns
    -------
    result : dict
    """
    for run in (plain_loop, engine_fit):  # warm-up: first-call costs of both paths
        run(pretrained, X, y, params, 1)
    times = {"plain": [], "fit": [], "plain_epochs": [], "fit_epochs": []}
    losses = {}
    for _ in range(repeats):
        for side, run in (("plain", plain_loop), ("fit", engine_fit)):
            total, in_epochs, losses[side] = run(pretrained, X, y, params, epochs)
            times[side].append(total)
            times[side + "_epochs"].append(in_epochs)
    median = {key: statistics.median(values) for key, values in times.items()}
    samples = rows_per_epoch(pretrained, X, params) * epochs
    return {
        "case": name,
        "method": type(pretrained).__name__,
        "rows": len(X),
        "epochs": epochs,
        "samples_per_epoch": samples // epochs,
        "params": params,
        "plain_samples_per_s": samples / median["plain"],
        "fit_samples_per_s": samples / median["fit"],
        "plain_epochs_samples_per_s": samples / median["plain_epochs"],
        "fit_epochs_samples_per_s": samples / median["fit_epochs"],
        # time ratios: 1.10 or less is issue 24's goal
        "fit_over_plain_time": median["fit"] / median["plain"],
        "fit_over_plain_time_epochs": median["fit_epochs"] / median["plain_epochs"],
        "final_loss": losses,
        # same seeds, batches and updates: a different loss means different work
        "same_final_loss": losses["plain"] == losses["fit"],
        "times": times,
    }


def print_table(report):
    """The results as a markdown table."""
    print(
        f"\nFine-tuning speed on {report['device']}, median of {report['repeats']} alternating runs"
    )
    print(
        "| case | epochs | plain, epochs (samples/s) | fit(), epochs (samples/s) "
        "| fit / plain time, epochs "
        "| fit / plain time, whole call | final loss plain / fit() |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in report["results"]:
        cells = [
            row["case"],
            str(row["epochs"]),
            f"{row['plain_epochs_samples_per_s']:,.0f}",
            f"{row['fit_epochs_samples_per_s']:,.0f}",
            f"{row['fit_over_plain_time_epochs']:.3f}",
            f"{row['fit_over_plain_time']:.3f}",
            f"{row['final_loss']['plain']:.4f} / {row['final_loss']['fit']:.4f}",
        ]
        print("| " + " | ".join(cells) + " |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each side")
    parser.add_argument("--quick", action="store_true", help="a tiny run (smoke test)")
    parser.add_argument("--only", nargs="*", default=None, help="case names containing these")
    parser.add_argument("--out", default=None, help="JSON path (default: see outputs.py)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    selected = cases(args.quick)
    if args.only:
        selected = [case for case in selected if any(word in case[0] for word in args.only)]
    out = Path(args.out or output_path("speed_finetune_cpu.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "speed_finetune",
        "device": f"CPU ({platform.machine()}, {torch.get_num_threads()} thread(s))",
        "repeats": args.repeats,
        "settings": vars(args),
        "environment": environment(),
        "results": [],
    }
    for name, pretrained, X, y, params, epochs in selected:
        row = measure(name, pretrained, X, y, params, epochs, args.repeats)
        report["results"].append(row)
        out.write_text(json.dumps(report, indent=2))  # after every case: a cut run keeps its rows
        print(
            f"{name}: fit/plain time {row['fit_over_plain_time']:.3f} "
            f"(epochs alone {row['fit_over_plain_time_epochs']:.3f})",
            flush=True,
        )
    print_table(report)
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
