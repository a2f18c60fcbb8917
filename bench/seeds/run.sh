#!/usr/bin/env bash
# Trains one setting over several seeds, every seed alone, and scores each model where the
# comparisons of detect/testdata/devset/README.md were made: the dev split, the short excerpts of
# the synthetic dev split and the hand-written development set. See README.md.
#
# usage: bench/seeds/run.sh NAME FIRST LAST [vigie train flags...]
#   e.g. bench/seeds/run.sh shipped 1 6
#        bench/seeds/run.sh dropids07 1 6 --drop-ids 0.7
# Environment:
#   VIGIE  vigie binary (default: bin/vigie, built by `make build`)
#   WORK   results folder (default /tmp/vigie-seeds); each model's files go to WORK/NAME-sSEED*,
#          and a seed's earlier files are deleted before it trains
#   JOBS   seeds trained at once (default 2; each training uses one core)
#   ROOT   shared corpora folder (default ../shared/corpora)
#   FOLDS  when 1, seed N trains with VTPAN dev fold (N-1) mod 5 (vigie train --dev-fold), so that
#          seeds 1 to 5 hold out every even VTPAN row once: compare.py --pooled then measures the
#          setting on all 989 even rows (cross-validation) instead of one fold's 198
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 NAME FIRST LAST [vigie train flags...]" >&2; exit 2; }
name=$1 first=$2 last=$3
shift 3
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Absolute paths: the script works from the repository root.
VIGIE="$(realpath "${VIGIE:-$repo/bin/vigie}")"
WORK="${WORK:-/tmp/vigie-seeds}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
ROOT="$(realpath "${ROOT:-$repo/../shared/corpora}")"
JOBS="${JOBS:-2}"
FOLDS="${FOLDS:-0}"
case "$FOLDS" in
0) ;;
1) [ "$first" -ge 1 ] || { echo "run.sh: with FOLDS=1 seeds start at 1 (seed N has fold (N-1) mod 5)" >&2; exit 2; } ;;
*) echo "run.sh: FOLDS=$FOLDS: 0 or 1" >&2; exit 2 ;;
esac
[ -x "$VIGIE" ] || { echo "run.sh: no vigie binary at $VIGIE (make build)" >&2; exit 2; }
cd "$repo"

# The synthetic dev excerpts of the generator this binary holds (the training's default set:
# 6000 conversations, seed 1).
devx="$WORK/$name-devx.jsonl"
"$VIGIE" synth -n 6000 --seed 1 --split dev --excerpts -o "$devx" 2>"$WORK/$name-devx.log" ||
    { echo "run.sh: vigie synth failed, see $WORK/$name-devx.log" >&2; exit 1; }

one() {
    local seed=$1 m="$WORK/$name-s$1"
    shift
    local fold=()
    [ "$FOLDS" = 1 ] && fold=(--dev-fold $(( (seed - 1) % 5 )))
    rm -rf "$m.onnx" "$m.log" "$m-dev" "$m-dev.units" "$m-devx" "$m-devx.units" "$m-devset" "$m-devset.units" "$m-eval.log"
    "$VIGIE" train --root "$ROOT" --version "$name-s$seed" --seeds 1 --seed "$seed" ${fold[@]+"${fold[@]}"} "$@" -o "$m.onnx" >"$m.log" 2>&1 ||
        { echo "run.sh: training of seed $seed failed, see $m.log" >&2; return 1; }
    { "$VIGIE" eval --root "$ROOT" --model "$m.onnx" --split dev --out "$m-dev" --units "$m-dev.units" &&
        "$VIGIE" eval --root "$ROOT" --model "$m.onnx" "$devx" --out "$m-devx" --units "$m-devx.units" &&
        "$VIGIE" eval --root "$ROOT" --model "$m.onnx" detect/testdata/devset/*.jsonl --out "$m-devset" --units "$m-devset.units"; } >"$m-eval.log" 2>&1 ||
        { echo "run.sh: evaluation of seed $seed failed, see $m-eval.log" >&2; return 1; }
    echo "run.sh: $name seed $seed done"
}

pids=()
for seed in $(seq "$first" "$last"); do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 5; done
    one "$seed" "$@" &
    pids+=($!)
done
fail=0
for p in "${pids[@]}"; do wait "$p" || fail=1; done
[ "$fail" -eq 0 ] || exit 1
if [ "$FOLDS" = 1 ]; then
    echo "run.sh: compare with: /usr/bin/python3 bench/seeds/compare.py --pooled $WORK/$name [$WORK/OTHER_NAME...]" >&2
else
    echo "run.sh: compare with: /usr/bin/python3 bench/seeds/compare.py --per-seed $WORK/$name [$WORK/OTHER_NAME...]" >&2
fi
